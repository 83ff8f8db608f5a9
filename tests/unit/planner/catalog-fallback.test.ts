// The rewrites applied to client catalog queries that do not bind as written
// (coordinator/planner/catalog-fallback.ts), compared with the parse of the SQL they amount to.
import type { Node } from '@pgsql/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { pruneEmptyCatalogBlocks } from '../../../coordinator/planner/catalog-fallback.js';
import { initParser, parseStatement } from '../../../coordinator/sql/parser.js';

beforeAll(async () => {
  await initParser();
});

function parse(sql: string): Node {
  const s = parseStatement(sql);
  if (s.kind !== 'pg') throw new Error(`not a PostgreSQL statement: ${sql}`);
  return s.ast;
}

/** The AST without source locations, which differ between the two spellings. */
function shape(n: unknown): unknown {
  if (Array.isArray(n)) return n.map(shape);
  if (typeof n !== 'object' || n === null) return n;
  return Object.fromEntries(
    Object.entries(n)
      .filter(([k]) => k !== 'location' && k !== 'stmt_location' && k !== 'stmt_len')
      .map(([k, v]) => [k, shape(v)]),
  );
}

function rewritten(sql: string): unknown {
  const out = pruneEmptyCatalogBlocks(parse(sql));
  return out === undefined ? undefined : shape(out);
}

const same = (sql: string) => shape(parse(sql));

describe('blocks over always-empty catalog tables', () => {
  it('an inner or comma join with one becomes SELECT NULL ... WHERE false, keeping output names', () => {
    expect(
      rewritten(
        "SELECT c.oid::pg_catalog.regclass, c.relname AS n FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i WHERE c.oid = i.inhparent AND c.relkind != 'p' ORDER BY inhseqno",
      ),
    ).toEqual(same('SELECT NULL AS oid, NULL AS n WHERE false'));
    expect(rewritten('SELECT x.a FROM pg_catalog.pg_class c JOIN pg_index x ON x.indrelid = c.oid')).toEqual(
      same('SELECT NULL AS a WHERE false'),
    );
  });

  it('outer joins are empty only when the preserved side is', () => {
    expect(rewritten('SELECT c.relname FROM pg_class c LEFT JOIN pg_description d ON d.objoid = c.oid')).toBe(
      undefined,
    );
    expect(rewritten('SELECT d.description FROM pg_description d LEFT JOIN pg_class c ON d.objoid = c.oid')).toEqual(
      same('SELECT NULL AS description WHERE false'),
    );
    expect(rewritten('SELECT 1 AS x FROM pg_class c FULL JOIN pg_description d ON d.objoid = c.oid')).toBe(undefined);
  });

  it('aggregates over no rows give a row: not rewritten; nor are SELECT * blocks', () => {
    expect(rewritten('SELECT count(*) FROM pg_catalog.pg_index')).toBe(undefined);
    expect(rewritten('SELECT max(indrelid) FROM pg_index GROUP BY indexrelid')).toBe(undefined);
    expect(rewritten('SELECT * FROM pg_catalog.pg_index')).toBe(undefined);
  });

  it('subqueries become the value they have over no rows', () => {
    expect(
      rewritten(
        'SELECT a.attname, (SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d WHERE d.adrelid = a.attrelid), ARRAY(SELECT m.roleid FROM pg_auth_members m) FROM pg_attribute a WHERE NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = a.attrelid) AND a.attrelid IN (SELECT inhrelid FROM pg_inherits)',
      ),
    ).toEqual(same("SELECT a.attname, NULL, '{}' FROM pg_attribute a WHERE NOT false AND false"));
  });

  it('set operations, derived tables and unnest of an always-NULL catalog array', () => {
    expect(rewritten('SELECT p.pubname FROM pg_publication p UNION SELECT NULL ORDER BY 1')).toEqual(
      same('SELECT NULL AS pubname WHERE false UNION SELECT NULL ORDER BY 1'),
    );
    expect(rewritten('SELECT r.k FROM (SELECT (x.keys).n AS k FROM pg_constraint x) r WHERE r.k = (r.keys).x')).toEqual(
      same('SELECT NULL AS k WHERE false'),
    );
    expect(rewritten('SELECT array(SELECT x FROM pg_catalog.unnest(tc.reloptions) x) FROM pg_class tc')).toEqual(
      same("SELECT '{}' FROM pg_class tc"),
    );
  });

  it('leaves user tables and CTEs that shadow a catalog name alone', () => {
    expect(rewritten('WITH pg_index AS (SELECT 1 AS x) SELECT x FROM pg_index')).toBe(undefined);
    expect(rewritten('SELECT o.k, (SELECT t.v FROM t WHERE t.k = o.k) FROM o')).toBe(undefined);
    expect(rewritten('SELECT 1 FROM memory.s.pg_index')).toBe(undefined);
  });
});

describe('scalar subqueries that look a catalog row up by OID', () => {
  it('become the max() of themselves (at most one row matches)', () => {
    expect(
      rewritten(
        "SELECT t.typname FROM pg_type t WHERE t.typrelid = 0 OR (SELECT c.relkind = 'c' FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid)",
      ),
    ).toEqual(
      same(
        "SELECT t.typname FROM pg_type t WHERE t.typrelid = 0 OR (SELECT max(c.relkind = 'c') FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid)",
      ),
    );
  });

  it('but not when the key is not the OID, or the table has none', () => {
    expect(rewritten('SELECT (SELECT c.relkind FROM pg_class c WHERE c.relname = t.typname) FROM pg_type t')).toBe(
      undefined,
    );
    expect(rewritten('SELECT (SELECT s.setting FROM pg_settings s WHERE s.oid = t.oid) FROM pg_type t')).toBe(
      undefined,
    );
  });
});
