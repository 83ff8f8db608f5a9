// The fixed table `t` both engines evaluate generated expressions over: ~50 rows, every supported
// type, many NULLs and edge values. Created from the same SQL text in both engines.

export type ColumnType = 'bool' | 'int' | 'bigint' | 'dec' | 'double' | 'varchar' | 'date';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly sqlType: string;
  /** SQL literals the rows draw from (NULL is added separately). */
  readonly values: readonly string[];
}

export const COLUMNS: readonly Column[] = [
  { name: 'id', type: 'int', sqlType: 'INTEGER', values: [] },
  { name: 'b', type: 'bool', sqlType: 'BOOLEAN', values: ['TRUE', 'FALSE'] },
  {
    name: 'i',
    type: 'int',
    sqlType: 'INTEGER',
    values: [
      '0',
      '1',
      '-1',
      '2',
      '-2',
      '7',
      '10',
      '100',
      '-100',
      '2147483647',
      '-2147483647',
      '46341',
      '65536',
      '3',
      '-7',
    ],
  },
  { name: 'j', type: 'int', sqlType: 'INTEGER', values: ['0', '1', '-1', '3', '5', '-3', '2', '9', '-9', '1000000'] },
  {
    name: 'l',
    type: 'bigint',
    sqlType: 'BIGINT',
    values: [
      '0',
      '1',
      '-1',
      '3000000000',
      '-3000000000',
      '9223372036854775807',
      '-9223372036854775807',
      '4294967296',
      '123456789012',
      '7',
      '-5',
    ],
  },
  {
    name: 'f',
    type: 'double',
    sqlType: 'DOUBLE PRECISION',
    values: [
      '0',
      '1.5',
      '-1.5',
      '0.1',
      '2.5',
      '-2.5',
      '1000000000000000',
      '-1000000000000000',
      '3.141592653589793',
      '0.0000000001',
      '100',
      '0.5',
      '0.3333333333333333',
      '123456.789',
    ],
  },
  {
    name: 'd',
    type: 'dec',
    sqlType: 'DECIMAL(10,2)',
    values: [
      '0.00',
      '1.00',
      '-1.00',
      '0.01',
      '-0.01',
      '99999999.99',
      '-99999999.99',
      '2.50',
      '-2.50',
      '0.50',
      '123.45',
      '7.00',
    ],
  },
  {
    name: 'e',
    type: 'dec',
    sqlType: 'DECIMAL(18,6)',
    values: ['0.000001', '-0.000001', '123456789012.345678', '-123456789012.345678', '1.500000', '0', '-7.250000', '3'],
  },
  {
    name: 'w',
    type: 'dec',
    sqlType: 'DECIMAL(30,8)',
    values: [
      '1234567890123456789012.12345678',
      '-1234567890123456789012.12345678',
      '0.00000001',
      '1',
      '-1',
      '0',
      '2.5',
      '99999999999.99999999',
    ],
  },
  {
    name: 's',
    type: 'varchar',
    sqlType: 'VARCHAR',
    values: [
      "''",
      "'a'",
      "'abc'",
      "'ABC'",
      "'O''Brien'",
      "' pad '",
      "'é'",
      "'Ünïcödé'",
      "'中文'",
      "'😀x'",
      "'a%b'",
      "'a_b'",
      "'x\\y'",
      "'100'",
      "'abcdefghij'",
      "'  '",
    ],
  },
  { name: 'u', type: 'varchar', sqlType: 'VARCHAR', values: ["'a'", "'b'", "'A'", "''", "'zz'", "'é'", "'O''Brien'"] },
  {
    name: 'dt',
    type: 'date',
    sqlType: 'DATE',
    values: [
      "DATE '2020-02-29'",
      "DATE '1970-01-01'",
      "DATE '1969-12-31'",
      "DATE '2000-01-01'",
      "DATE '9999-12-31'",
      "DATE '2024-12-31'",
      "DATE '1900-03-01'",
    ],
  },
];

export const ROW_COUNT = 50;

/** The rows as SQL literal tuples, deterministic. Row id r+1; about one value in five is NULL. */
export function rowLiterals(): string[][] {
  const rows: string[][] = [];
  for (let r = 0; r < ROW_COUNT; r++) {
    const row: string[] = [String(r + 1)];
    COLUMNS.forEach((c, ci) => {
      if (ci === 0) return;
      // Row 1 is all NULL; otherwise NULL when a per-column hash says so.
      const h = (r * 7919 + ci * 104729) % 97;
      if (r === 0 || h % 5 === 0) row.push('NULL');
      else row.push(c.values[((Math.imul(r + 1, 2654435761) ^ Math.imul(ci + 1, 40503)) >>> 0) % c.values.length]!);
    });
    rows.push(row);
  }
  return rows;
}

export function createTableSql(name: string): string {
  return `CREATE TABLE ${name} (${COLUMNS.map((c) => `${c.name} ${c.sqlType}`).join(', ')})`;
}

export function insertSql(name: string, rows: readonly (readonly string[])[] = rowLiterals()): string {
  return `INSERT INTO ${name} VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')}`;
}
