import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, type ColumnSchema, DOUBLE, INTEGER, VARCHAR } from '../../../../common/types.js';
import { decodeBatches, encodeRows, SYSTEM_BATCH_ROWS, toRowsPayload } from '../../../../connectors/system/encode.js';
import type { SystemValue } from '../../../../connectors/system/table.js';

const COLUMNS: readonly ColumnSchema[] = [
  { name: 'b', type: BOOLEAN },
  { name: 'i', type: INTEGER },
  { name: 'l', type: BIGINT },
  { name: 'd', type: DOUBLE },
  { name: 's', type: VARCHAR },
];

describe('system rows payload', () => {
  it('round-trips every supported type with nulls, over several batches', () => {
    const n = SYSTEM_BATCH_ROWS * 2 + 5;
    const rows: SystemValue[][] = [];
    for (let r = 0; r < n; r++) {
      rows.push(r % 7 === 0 ? [null, null, null, null, null] : [r % 2 === 0, r, r * 1000, r / 4, `é${r}`]);
    }
    const payload = toRowsPayload(JSON.parse(JSON.stringify(encodeRows(COLUMNS, rows))));
    const batches = [...decodeBatches(payload, COLUMNS)];
    expect(batches.map((b) => b.numRows)).toEqual([SYSTEM_BATCH_ROWS, SYSTEM_BATCH_ROWS, 5]);
    const back: unknown[][] = [];
    for (const b of batches) {
      for (let r = 0; r < b.numRows; r++) back.push(COLUMNS.map((_, c) => b.getChildAt(c)?.get(r)));
    }
    expect(back).toEqual(rows.map((row) => row.map((v, c) => (c === 2 && typeof v === 'number' ? BigInt(v) : v))));
  });

  it('an empty table gives no batches', () => {
    expect([...decodeBatches(encodeRows(COLUMNS, []), COLUMNS)]).toEqual([]);
  });

  it('rejects a malformed payload', () => {
    expect(() => toRowsPayload({ rowCount: 2, names: ['a'], columns: [[1]] })).toThrow('malformed split');
  });
});
