import { beforeAll, describe, expect, it } from 'vitest';
import { SqlError } from '../../../common/errors.js';
import { initParser, parseStatement, splitStatements } from '../../../coordinator/sql/parser.js';

beforeAll(() => initParser());

describe('parseStatement', () => {
  it('parses PostgreSQL statements with libpg-query', () => {
    const s = parseStatement('select l_orderkey from tpch.tiny.lineitem');
    expect(s.kind).toBe('pg');
  });

  it('reports syntax errors with SQLSTATE 42601 and a 1-based position', () => {
    try {
      parseStatement('select from where x');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SqlError);
      expect((e as SqlError).sqlState).toBe('42601');
      expect((e as SqlError).position).toBe(13);
    }
  });

  it('recognises Trino statements the PostgreSQL grammar lacks', () => {
    expect(parseStatement('SHOW CATALOGS')).toEqual({ kind: 'show_catalogs' });
    expect(parseStatement('show schemas from tpch')).toEqual({ kind: 'show_schemas', catalog: 'tpch' });
    expect(parseStatement("SHOW TABLES FROM tpch.tiny LIKE 'line%'")).toEqual({
      kind: 'show_tables',
      name: ['tpch', 'tiny'],
      like: 'line%',
    });
    expect(parseStatement('DESCRIBE tpch.tiny."LineItem"')).toEqual({
      kind: 'show_columns',
      name: ['tpch', 'tiny', 'LineItem'],
    });
    expect(parseStatement('use memory.default;')).toEqual({ kind: 'use', name: ['memory', 'default'] });
    expect(parseStatement('create schema if not exists memory.s1')).toEqual({
      kind: 'create_schema',
      name: ['memory', 's1'],
      ifNotExists: true,
    });
  });

  it('leaves SHOW <setting> to PostgreSQL grammar', () => {
    expect(parseStatement('show timezone').kind).toBe('pg');
  });
});

describe('splitStatements', () => {
  it('splits at top-level semicolons only', () => {
    const parts = splitStatements("select 'a;b'; show tables from x.y; -- c;\n select 1");
    expect(parts.map((p) => p.sql.trim())).toEqual(["select 'a;b'", 'show tables from x.y', '-- c;\n select 1']);
    expect(parts[1]?.offset).toBe(13);
  });

  it('drops empty statements', () => {
    expect(splitStatements(' ; ;')).toEqual([]);
  });
});
