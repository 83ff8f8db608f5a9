import { describe, expect, it } from 'vitest';
import { DATE, INTEGER, TIMESTAMP, VARCHAR } from '../../../../common/types.js';
import { tableProperties } from '../../../../connectors/lake/table-properties.js';
import { parseTrinoStatement } from '../../../../coordinator/sql/trino-front.js';

describe('CREATE TABLE ... WITH (...) AS', () => {
  it('recognises Trino table properties and keeps the query text', () => {
    const sql =
      "CREATE TABLE lake.s.t WITH (partitioned_by = ARRAY['dt', 'Hour'], format = 'PARQUET', n = 4) AS SELECT 1 AS x;";
    const s = parseTrinoStatement(sql);
    expect(s).toMatchObject({
      kind: 'create_table_as',
      name: ['lake', 's', 't'],
      ifNotExists: false,
      properties: { partitioned_by: ['dt', 'Hour'], format: 'PARQUET', n: '4' },
      query: 'SELECT 1 AS x',
    });
    if (s?.kind === 'create_table_as') expect(sql.slice(s.queryOffset)).toMatch(/^SELECT/);
    expect(parseTrinoStatement("create table if not exists t with (format='it''s') as (select 1)")).toMatchObject({
      ifNotExists: true,
      properties: { format: "it's" },
      query: '(select 1)',
    });
  });

  it('leaves plain CREATE TABLE to PostgreSQL and rejects broken properties', () => {
    expect(parseTrinoStatement('create table t (a int)')).toBeUndefined();
    expect(parseTrinoStatement('create table t as select 1')).toBeUndefined();
    expect(() => parseTrinoStatement("create table t with (partitioned_by = ARRAY['a' 'b']) as select 1")).toThrow(
      /table properties/,
    );
  });

  it('validates lake table properties', () => {
    const cols = [
      { name: 'x', type: INTEGER },
      { name: 'dt', type: DATE },
      { name: 'ts', type: TIMESTAMP },
      { name: 's', type: VARCHAR },
    ];
    expect(tableProperties({ partitioned_by: ['DT', 's'], format: 'parquet' }, cols)).toEqual({
      partitionedBy: ['dt', 's'],
    });
    expect(() => tableProperties({ bucket_count: '4' }, cols)).toThrow(/bucket_count/);
    expect(() => tableProperties({ format: 'ORC' }, cols)).toThrow(/format/);
    expect(() => tableProperties({ partitioned_by: ['nope'] }, cols)).toThrow(/nope/);
    expect(() => tableProperties({ partitioned_by: ['ts'] }, cols)).toThrow(/not supported/);
  });
});
