// Regressions: projections whose output columns share a name (SELECT abs(-5), abs(-2.50)), and
// batches with such schemas crossing the exchange frame format.
import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../../common/arrow/batch.js';
import { schemaColumns } from '../../../common/arrow/schema.js';
import { decodeBatchPayload, encodeBatchPayload } from '../../../common/exchange/frames.js';
import type { Expr } from '../../../common/expr/expr.js';
import { BIGINT, DOUBLE, decimal, INTEGER, VARCHAR } from '../../../common/types.js';
import { batchText, call, col, cols, lit, run, values } from './helpers.js';

describe('output columns with equal names', () => {
  it('keep their own types (abs of an integer and of a decimal)', async () => {
    const exprs: Expr[] = [
      call('abs', INTEGER, lit(-5, INTEGER)),
      call('abs', decimal(3, 2), lit('-250', decimal(3, 2))),
      call('abs', DOUBLE, lit(-1.5, DOUBLE)),
    ];
    const output = exprs.map((e) => ({ name: 'abs', type: e.type }));
    const r = await run({ kind: 'project', input: values(cols(['x', INTEGER]), [[1]]), exprs, output });
    expect(batchText(r)).toEqual([['5', '2.50', '1.5']]);
    expect(schemaColumns(r[0]!.schema).map((c) => [c.name, c.type.kind])).toEqual([
      ['abs', 'integer'],
      ['abs', 'decimal'],
      ['abs', 'double'],
    ]);
  });

  it('over columns of different types', async () => {
    const t = decimal(6, 2);
    const exprs: Expr[] = [call('abs', INTEGER, col(0, INTEGER)), call('abs', t, col(1, t))];
    const output = exprs.map((e) => ({ name: 'abs', type: e.type }));
    const input = values(cols(['v', INTEGER], ['d', t]), [
      [-3, '-125'],
      [4, '275'],
      [null, null],
    ]);
    expect(batchText(await run({ kind: 'project', input, exprs, output }))).toEqual([
      ['3', '1.25'],
      ['4', '2.75'],
      [null, null],
    ]);
  });

  it('survive the Arrow IPC round trip of the exchange', () => {
    const schema = [
      { name: '?column?', type: DOUBLE },
      { name: '?column?', type: VARCHAR },
      { name: '?column?', type: BIGINT },
    ];
    const b = makeBatch(schema, 1, [
      { values: new Float64Array([0.5]), validity: null },
      { values: new TextEncoder().encode('abc'), offsets: new Int32Array([0, 3]), validity: null },
      { values: new BigInt64Array([7n]), validity: null },
    ]);
    const back = decodeBatchPayload(encodeBatchPayload(b));
    expect(schemaColumns(back.schema)).toEqual(schemaColumns(b.schema));
    expect(schemaColumns(back.schema).map((c) => c.name)).toEqual(['?column?', '?column?', '?column?']);
    expect(batchText([back])).toEqual([['0.5', 'abc', '7']]);
  });
});
