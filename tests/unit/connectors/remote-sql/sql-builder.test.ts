import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../../common/expr/expr.js';
import {
  BIGINT,
  BOOLEAN,
  DATE,
  type DataType,
  DOUBLE,
  decimal,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
} from '../../../../common/types.js';
import { mysqlDialect } from '../../../../connectors/mysql/index.js';
import { postgresDialect } from '../../../../connectors/postgresql/index.js';
import { RemoteMetadata } from '../../../../connectors/remote-sql/connector.js';
import type { RemoteBackend } from '../../../../connectors/remote-sql/dialect.js';
import { fromRemoteHandle, type RemoteTableHandle } from '../../../../connectors/remote-sql/handle.js';
import { buildSelect, pushability } from '../../../../connectors/remote-sql/sql-builder.js';

const ref = (id: string, type: DataType): Expr => ({ kind: 'ref', id, type });
const lit = (value: string | number | boolean | null, type: DataType): Expr => ({ kind: 'literal', value, type });
const call = (fn: string, a: Expr, b: Expr): Expr => ({ kind: 'call', fn, args: [a, b], type: BOOLEAN });

const HOSTILE = 'we"ird`; -- /* x';
const remote: RemoteTableHandle = {
  schema: 'my"schema',
  table: HOSTILE,
  columns: [
    { name: 'id', type: INTEGER, pushdown: 'all' },
    { name: 'big', type: BIGINT, pushdown: 'all' },
    { name: 'price', type: decimal(12, 2), pushdown: 'all' },
    { name: 'day', type: DATE, pushdown: 'all' },
    { name: 'ts', type: TIMESTAMP, pushdown: 'all' },
    { name: 'name', type: VARCHAR, pushdown: 'equality' },
    { name: 'ci', type: VARCHAR, pushdown: 'superset' },
    { name: 'doc', type: VARCHAR, pushdown: 'none' },
    { name: HOSTILE, type: DOUBLE, pushdown: 'all' },
  ],
  filters: [],
  limit: null,
};
const handle = fromRemoteHandle(remote);

function backend(dialect: typeof postgresDialect): RemoteBackend {
  return {
    dialect,
    client: {} as RemoteBackend['client'],
    toSqlError: () => {
      throw new Error('unused');
    },
  };
}

describe('remote SQL generation', () => {
  it('quotes identifiers per dialect and binds every literal', () => {
    const f = call('eq', ref('name', VARCHAR), lit("x'); DROP TABLE t; --", VARCHAR));
    const pg = buildSelect(postgresDialect, { ...remote, filters: [f] }, ['id', HOSTILE]);
    expect(pg.sql).toBe(
      'SELECT "id", "we""ird`; -- /* x" FROM "my""schema"."we""ird`; -- /* x" WHERE ("name" = $1::text)',
    );
    expect(pg.params).toEqual(["x'); DROP TABLE t; --"]);
    const my = buildSelect(mysqlDialect, { ...remote, filters: [f], limit: 5 }, ['id']);
    expect(my.sql).toBe('SELECT `id` FROM `my"schema`.`we"ird``; -- /* x` WHERE (`name` = ?) LIMIT 5');
    expect(my.params).toEqual(["x'); DROP TABLE t; --"]);
  });

  it('numbers parameters across conjuncts and renders typed literals exactly', () => {
    const filters: Expr[] = [
      call('ge', ref('big', BIGINT), lit('9007199254740993', BIGINT)),
      {
        kind: 'in',
        arg: ref('price', decimal(12, 2)),
        list: [lit('-5', decimal(12, 2)), lit('12345', decimal(12, 2))],
        negated: false,
        type: BOOLEAN,
      },
      call('lt', ref('day', DATE), lit(-1, DATE)),
      call('lt', ref('ts', TIMESTAMP), lit('1709209696123456', TIMESTAMP)),
      { kind: 'is_null', arg: ref('doc', VARCHAR), negated: true, type: BOOLEAN },
    ];
    const q = buildSelect(postgresDialect, { ...remote, filters }, []);
    expect(q.sql).toBe(
      'SELECT 1 FROM "my""schema"."we""ird`; -- /* x" WHERE ("big" >= $1::int8) AND ("price" IN ($2::numeric, $3::numeric)) AND ("day" < $4::date) AND ("ts" < $5::timestamp) AND ("doc" IS NOT NULL)',
    );
    expect(q.params).toEqual(['9007199254740993', '-0.05', '123.45', '1969-12-31', '2024-02-29 12:28:16.123456']);
    const my = buildSelect(mysqlDialect, { ...remote, filters }, ['id']);
    expect(my.sql).toContain('`price` IN (CAST(? AS DECIMAL(12,2)), CAST(? AS DECIMAL(12,2)))');
    expect(my.sql).toContain('`ts` < CAST(? AS DATETIME(6))');
  });

  it('decides per expression what the source can evaluate', () => {
    const h = remote;
    expect(pushability(postgresDialect, h, call('lt', ref('id', INTEGER), lit(3, INTEGER)))).toBe('exact');
    // Strings: equality only (collations order differently).
    expect(pushability(postgresDialect, h, call('eq', ref('name', VARCHAR), lit('a', VARCHAR)))).toBe('exact');
    expect(pushability(postgresDialect, h, call('lt', ref('name', VARCHAR), lit('a', VARCHAR)))).toBe('no');
    // Case-insensitive collations: a superset, re-checked by the engine; never under NOT / <>.
    expect(pushability(mysqlDialect, h, call('eq', ref('ci', VARCHAR), lit('a', VARCHAR)))).toBe('superset');
    expect(
      pushability(mysqlDialect, h, {
        kind: 'not',
        arg: call('eq', ref('ci', VARCHAR), lit('a', VARCHAR)),
        type: BOOLEAN,
      }),
    ).toBe('no');
    expect(pushability(mysqlDialect, h, call('ne', ref('ci', VARCHAR), lit('a', VARCHAR)))).toBe('no');
    // Types read as text (json, uuid...): IS NULL only.
    expect(pushability(postgresDialect, h, call('eq', ref('doc', VARCHAR), lit('{}', VARCHAR)))).toBe('no');
    expect(
      pushability(postgresDialect, h, { kind: 'is_null', arg: ref('doc', VARCHAR), negated: false, type: BOOLEAN }),
    ).toBe('exact');
    // Functions, NULL literals, non-finite doubles stay in the engine.
    expect(
      pushability(
        postgresDialect,
        h,
        call('eq', { kind: 'call', fn: 'lower', args: [ref('name', VARCHAR)], type: VARCHAR }, lit('a', VARCHAR)),
      ),
    ).toBe('no');
    expect(pushability(postgresDialect, h, call('eq', ref('id', INTEGER), lit(null, INTEGER)))).toBe('no');
    expect(pushability(postgresDialect, h, call('lt', ref(HOSTILE, DOUBLE), lit('NaN', DOUBLE)))).toBe('no');
    // Widening casts inserted by the binder are dropped.
    const widened = call('eq', { kind: 'cast', arg: ref('id', INTEGER), type: BIGINT }, lit('7', BIGINT));
    expect(pushability(postgresDialect, h, widened)).toBe('exact');
    expect(buildSelect(postgresDialect, { ...h, filters: [widened] }, ['id']).sql).toContain('("id" = $1::int8)');
    const narrowing = call('eq', { kind: 'cast', arg: ref('big', BIGINT), type: INTEGER }, lit(7, INTEGER));
    expect(pushability(postgresDialect, h, narrowing)).toBe('no');
  });

  it('applyFilter accepts exact terms, keeps superset terms remaining, and reports no change as undefined', () => {
    const meta = new RemoteMetadata('my', backend(mysqlDialect));
    const exact = call('gt', ref('id', INTEGER), lit(1, INTEGER));
    const superset = call('eq', ref('ci', VARCHAR), lit('a', VARCHAR));
    const never = call('lt', ref('ci', VARCHAR), lit('a', VARCHAR));
    const r = meta.applyFilter(handle, [exact, superset, never]);
    expect(r?.accepted).toEqual([exact]);
    expect(r?.remaining).toEqual([superset, never]);
    const next = r!.handle as unknown as RemoteTableHandle;
    expect(next.filters).toEqual([exact, superset]);
    // Offered again what stayed remaining: nothing changes.
    expect(meta.applyFilter(r!.handle, [superset, never])).toBeUndefined();
    // A limit above superset filters could lose rows: not pushed.
    expect(meta.applyLimit(r!.handle, 3)).toBeUndefined();
  });

  it('applyLimit keeps the smallest limit and describeHandle shows the remote SQL', () => {
    const meta = new RemoteMetadata('pg', backend(postgresDialect));
    const a = meta.applyLimit(handle, 10);
    expect(a?.guaranteed).toBe(true);
    expect(meta.applyLimit(a!.handle, 20)).toBeUndefined();
    const b = meta.applyLimit(a!.handle, 3);
    const f = meta.applyFilter(b!.handle, [call('gt', ref('id', INTEGER), lit(1, INTEGER))]);
    expect(f).toBeUndefined(); // a filter above a limit is not a filter below it
    expect(meta.describeHandle(b!.handle)).toMatch(
      /^pushed: limit=3 \(one split\); remote: SELECT "id", .* FROM "my""schema"\."we""ird`; -- \/\* x" LIMIT 3$/,
    );
  });
});
