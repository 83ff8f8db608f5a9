import { describe, expect, it } from 'vitest';
import { formatResult } from '../../../bin/print-table.js';

describe('CLI table output', () => {
  it('aligns like psql: numbers right, text left, row count footer', () => {
    const out = formatResult({
      command: 'SELECT',
      rowCount: 2,
      fields: [
        { name: 'id', dataTypeID: 23 },
        { name: 'name', dataTypeID: 25 },
      ],
      rows: [
        ['1', 'alice'],
        ['100', null],
      ],
    });
    expect(out).toBe(' id  | name  \n-----+-------\n   1 | alice\n 100 |\n(2 rows)\n');
  });

  it('prints the command tag for statements without rows', () => {
    expect(formatResult({ command: 'CREATE', rowCount: null, fields: [], rows: [] })).toBe('CREATE\n');
  });
});
