// Top-N, aggregation, join and split SQL of the remote-sql connectors (no server: the SQL text and
// what is refused). The same shapes run against real servers in tests/integration/remote/.
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
import type { RemoteBackend, RemoteDialect } from '../../../../connectors/remote-sql/dialect.js';
import { fromRemoteHandle, type RemoteTableHandle, toRemoteHandle } from '../../../../connectors/remote-sql/handle.js';
import { remoteOptions } from '../../../../connectors/remote-sql/options.js';
import { pushAggregation, pushJoin, pushTopN } from '../../../../connectors/remote-sql/pushdown.js';
import { keyRanges, pageRanges } from '../../../../connectors/remote-sql/splits.js';
import { buildSelect } from '../../../../connectors/remote-sql/sql-builder.js';
import type { AggregationSpec } from '../../../../connectors/spi.js';

const ref = (id: string, type: DataType): Expr => ({ kind: 'ref', id, type });
const lit = (value: string | number | boolean | null, type: DataType): Expr => ({ kind: 'literal', value, type });
const call = (fn: string, a: Expr, b: Expr): Expr => ({ kind: 'call', fn, args: [a, b], type: BOOLEAN });

const HOSTILE = 'we"ird`; -- /* x ✓';

const orders: RemoteTableHandle = {
  schema: 'shop',
  table: 'orders',
  columns: [
    { name: 'id', type: INTEGER, pushdown: 'all' },
    { name: 'cust', type: BIGINT, pushdown: 'all' },
    { name: 'amount', type: decimal(12, 2), pushdown: 'all' },
    { name: 'day', type: DATE, pushdown: 'all' },
    { name: 'ts', type: TIMESTAMP, pushdown: 'all' },
    { name: 'note', type: VARCHAR, pushdown: 'equality' },
    { name: 'ci', type: VARCHAR, pushdown: 'superset' },
    { name: 'doc', type: VARCHAR, pushdown: 'none' },
    { name: 'dbl', type: DOUBLE, pushdown: 'all' },
    { name: 'free', type: decimal(38, 10), pushdown: 'all', rounded: true },
    { name: HOSTILE, type: INTEGER, pushdown: 'all' },
  ],
  filters: [],
  limit: null,
};
const customers: RemoteTableHandle = {
  schema: 'shop',
  table: HOSTILE,
  columns: [
    { name: 'id', type: INTEGER, pushdown: 'all' },
    { name: 'name', type: VARCHAR, pushdown: 'equality' },
    { name: HOSTILE, type: VARCHAR, pushdown: 'equality' },
  ],
  filters: [],
  limit: null,
};

const names = (h: RemoteTableHandle) => h.columns.map((c) => c.name);
const agg = (
  fn: AggregationSpec['aggregates'][number]['fn'],
  args: string[],
  type: DataType,
): AggregationSpec['aggregates'][number] => ({ fn, args, distinct: false, type });

describe('top-N pushdown SQL', () => {
  it('PostgreSQL: explicit NULLS FIRST/LAST, strings under COLLATE "C"', () => {
    const filtered = { ...orders, filters: [call('gt', ref('id', INTEGER), lit(5, INTEGER))] };
    const h = pushTopN(postgresDialect, filtered, 3, [
      { column: 'note', ascending: true, nullsFirst: false },
      { column: HOSTILE, ascending: false, nullsFirst: true },
    ]);
    const q = buildSelect(postgresDialect, h!, ['id', 'note']);
    expect(q.sql).toBe(
      'SELECT "id", "note" FROM "shop"."orders" WHERE ("id" > $1::int4) ORDER BY "note" COLLATE "C" ASC NULLS LAST, "we""ird`; -- /* x ✓" DESC NULLS FIRST LIMIT 3',
    );
    expect(q.params).toEqual(['5']);
  });

  it('MySQL: NULL placement through `x IS NULL`; strings are not ordered at the source', () => {
    const h = pushTopN(mysqlDialect, orders, 10, [{ column: 'day', ascending: false, nullsFirst: false }]);
    expect(buildSelect(mysqlDialect, h!, ['id']).sql).toBe(
      'SELECT `id` FROM `shop`.`orders` ORDER BY `day` IS NULL ASC, `day` DESC LIMIT 10',
    );
    const asc = pushTopN(mysqlDialect, orders, 1, [{ column: 'id', ascending: true, nullsFirst: true }]);
    expect(buildSelect(mysqlDialect, asc!, ['id']).sql).toContain('ORDER BY `id` IS NULL DESC, `id` ASC LIMIT 1');
    expect(
      pushTopN(mysqlDialect, orders, 10, [{ column: 'note', ascending: true, nullsFirst: false }]),
    ).toBeUndefined();
  });

  it('refuses keys without a matching order, superset filters and a top-N over a plain limit', () => {
    const key = (column: string) => [{ column, ascending: true, nullsFirst: false }];
    expect(pushTopN(postgresDialect, orders, 3, key('doc'))).toBeUndefined();
    const superset = { ...orders, filters: [call('eq', ref('ci', VARCHAR), lit('a', VARCHAR))] };
    expect(pushTopN(mysqlDialect, superset, 3, key('id'))).toBeUndefined();
    expect(pushTopN(postgresDialect, { ...orders, limit: 5 }, 3, key('id'))).toBeUndefined();
    // The same keys with a smaller limit tighten it; a larger one changes nothing.
    const h = pushTopN(postgresDialect, orders, 5, key('id'))!;
    expect(pushTopN(postgresDialect, h, 7, key('id'))).toBeUndefined();
    expect(pushTopN(postgresDialect, h, 2, key('id'))?.limit).toBe(2);
  });

  it('applyTopN is guaranteed (one split) and can be switched off by topn-pushdown.enabled', () => {
    const backend = { dialect: postgresDialect } as RemoteBackend;
    const meta = new RemoteMetadata('pg', backend);
    const r = meta.applyTopN(fromRemoteHandle(orders), 3, [
      { index: 0, column: 'id', ascending: true, nullsFirst: false },
    ]);
    expect(r?.guaranteed).toBe(true);
    expect(meta.describeHandle(r!.handle)).toMatch(
      /^pushed: topN=3 \(one split\); remote: SELECT .* ORDER BY "id" ASC NULLS LAST LIMIT 3$/,
    );
    const off = new RemoteMetadata(
      'pg',
      backend,
      remoteOptions({
        name: 'pg',
        connectorName: 'postgresql',
        properties: { 'topn-pushdown.enabled': 'false' },
        configDir: '.',
      }),
    );
    expect(
      off.applyTopN(fromRemoteHandle(orders), 3, [{ index: 0, column: 'id', ascending: true, nullsFirst: false }]),
    ).toBeUndefined();
    const noFilters = new RemoteMetadata(
      'pg',
      backend,
      remoteOptions({
        name: 'pg',
        connectorName: 'postgresql',
        properties: { 'filter-pushdown.enabled': 'false' },
        configDir: '.',
      }),
    );
    expect(
      noFilters.applyFilter(fromRemoteHandle(orders), [call('gt', ref('id', INTEGER), lit(1, INTEGER))]),
    ).toBeUndefined();
    expect(() =>
      remoteOptions({
        name: 'pg',
        connectorName: 'postgresql',
        properties: { 'split.max-count': '0' },
        configDir: '.',
      }),
    ).toThrow(/split.max-count/);
  });
});

describe('aggregation pushdown SQL', () => {
  const spec: AggregationSpec = {
    groupBy: ['day', 'note'],
    aggregates: [
      agg('count_star', [], BIGINT),
      agg('count', ['doc'], BIGINT),
      agg('sum', ['id'], BIGINT),
      agg('sum', ['amount'], decimal(38, 2)),
      agg('avg', ['cust'], DOUBLE),
      agg('avg', ['amount'], decimal(12, 2)),
      agg('min', ['note'], VARCHAR),
      agg('max', ['ts'], TIMESTAMP),
      agg('sum', ['dbl'], DOUBLE),
    ],
  };

  it('PostgreSQL: casts to Tributary types, exact decimal avg, GROUP BY after the pushed filters', () => {
    const filtered = { ...orders, filters: [call('ge', ref('day', DATE), lit(0, DATE))] };
    const r = pushAggregation(postgresDialect, filtered, spec)!;
    expect(r.outputs).toEqual([
      'day',
      'note',
      'count_all',
      'count_doc',
      'sum_id',
      'sum_amount',
      'avg_cust',
      'avg_amount',
      'min_note',
      'max_ts',
      'sum_dbl',
    ]);
    const q = buildSelect(postgresDialect, r.handle, r.outputs);
    expect(q.sql).toBe(
      'SELECT "day", "note", count(*) AS "count_all", count("doc") AS "count_doc", CAST(sum("id") AS int8) AS "sum_id", ' +
        'CAST(sum("amount") AS numeric(38,2)) AS "sum_amount", (CAST(sum("cust") AS float8) / count("cust")) AS "avg_cust", ' +
        'CAST(sign(sum("amount")) * div(abs(sum("amount")) * 200 + count("amount"), 2 * count("amount")) * 0.01 AS numeric(12,2)) AS "avg_amount", ' +
        'min("note" COLLATE "C") AS "min_note", max("ts") AS "max_ts", sum(CAST("dbl" AS float8)) AS "sum_dbl" ' +
        'FROM "shop"."orders" WHERE ("day" >= $1::date) GROUP BY "day", "note"',
    );
    expect(q.params).toEqual(['1970-01-01']);
    // Only what the scan reads is selected; the GROUP BY keeps every key.
    expect(buildSelect(postgresDialect, r.handle, ['count_all']).sql).toBe(
      'SELECT count(*) AS "count_all" FROM "shop"."orders" WHERE ("day" >= $1::date) GROUP BY "day", "note"',
    );
  });

  it('a global aggregation keeps its one row when no output is read', () => {
    const r = pushAggregation(postgresDialect, orders, { groupBy: [], aggregates: [agg('count_star', [], BIGINT)] })!;
    expect(buildSelect(postgresDialect, r.handle, []).sql).toBe('SELECT count(*) FROM "shop"."orders"');
  });

  it('MySQL: exact DECIMAL sums, avg of integers in DOUBLE; no avg of decimals, no string keys', () => {
    const ok: AggregationSpec = {
      groupBy: ['day'],
      aggregates: [agg('sum', ['amount'], decimal(38, 2)), agg('avg', ['id'], DOUBLE), agg('max', ['day'], DATE)],
    };
    const r = pushAggregation(mysqlDialect, orders, ok)!;
    expect(buildSelect(mysqlDialect, r.handle, r.outputs).sql).toBe(
      'SELECT `day`, SUM(`amount`) AS `sum_amount`, (CAST(SUM(`id`) AS DOUBLE) / COUNT(`id`)) AS `avg_id`, MAX(`day`) AS `max_day` FROM `shop`.`orders` GROUP BY `day`',
    );
    expect(
      pushAggregation(mysqlDialect, orders, { groupBy: [], aggregates: [agg('avg', ['amount'], decimal(12, 2))] }),
    ).toBeUndefined();
    expect(pushAggregation(mysqlDialect, orders, { groupBy: ['ci'], aggregates: [] })).toBeUndefined();
    expect(
      pushAggregation(mysqlDialect, orders, { groupBy: [], aggregates: [agg('min', ['ci'], VARCHAR)] }),
    ).toBeUndefined();
  });

  it('all or nothing: one aggregate the source cannot compute exactly keeps everything in the engine', () => {
    const refused: AggregationSpec['aggregates'][number][] = [
      { fn: 'count', args: ['id'], distinct: true, type: BIGINT }, // DISTINCT
      agg('stddev_samp', ['id'], DOUBLE), // not pushed
      agg('sum', ['free'], decimal(38, 10)), // values are rounded when read
      agg('sum', ['doc'], VARCHAR), // text
      agg('sum', ['id'], INTEGER), // not the engine's result type
    ];
    for (const a of refused) {
      expect(
        pushAggregation(postgresDialect, orders, { groupBy: [], aggregates: [agg('count_star', [], BIGINT), a] }),
      ).toBeUndefined();
    }
    // Grouping by a double (-0/0, NaN) or a rounded column is not pushed; min of a rounded column is.
    expect(pushAggregation(postgresDialect, orders, { groupBy: ['dbl'], aggregates: [] })).toBeUndefined();
    expect(pushAggregation(postgresDialect, orders, { groupBy: ['free'], aggregates: [] })).toBeUndefined();
    expect(
      pushAggregation(postgresDialect, orders, { groupBy: [], aggregates: [agg('min', ['free'], decimal(38, 10))] }),
    ).toBeDefined();
    // Over a limit, or over superset filters (extra rows would enter the groups): not pushed.
    expect(
      pushAggregation(postgresDialect, { ...orders, limit: 3 }, { groupBy: ['id'], aggregates: [] }),
    ).toBeUndefined();
    const superset = { ...orders, filters: [call('eq', ref('ci', VARCHAR), lit('a', VARCHAR))] };
    expect(pushAggregation(mysqlDialect, superset, { groupBy: ['id'], aggregates: [] })).toBeUndefined();
  });

  it('filters and a top-N over a pushed aggregation go over it as a derived table', () => {
    const r = pushAggregation(postgresDialect, orders, {
      groupBy: ['cust'],
      aggregates: [agg('count_star', [], BIGINT)],
    })!;
    const meta = new RemoteMetadata('pg', { dialect: postgresDialect } as RemoteBackend);
    const having = meta.applyFilter(fromRemoteHandle(r.handle), [
      call('gt', ref('count_all', BIGINT), lit('2', BIGINT)),
    ]);
    expect(having?.accepted).toHaveLength(1);
    const top = meta.applyTopN(having!.handle, 5, [
      { index: 1, column: 'count_all', ascending: false, nullsFirst: false },
    ]);
    const q = buildSelect(postgresDialect, toRemoteHandle(top!.handle), ['cust', 'count_all']);
    expect(q.sql).toBe(
      'SELECT "cust", "count_all" FROM (SELECT "cust", count(*) AS "count_all" FROM "shop"."orders" GROUP BY "cust") AS "t" ' +
        'WHERE ("count_all" > $1::int8) ORDER BY "count_all" DESC NULLS LAST LIMIT 5',
    );
  });
});

describe('join pushdown SQL', () => {
  const on = [{ left: 'cust', right: 'id' }];

  it('one statement with both sides as derived tables; hostile names quoted, values bound in text order', () => {
    const left = { ...orders, filters: [call('lt', ref('id', INTEGER), lit(100, INTEGER))] };
    const right = { ...customers, filters: [call('eq', ref(HOSTILE, VARCHAR), lit("x'); DROP TABLE t; --", VARCHAR))] };
    const r = pushJoin(postgresDialect, left, right, { joinType: 'inner', on })!;
    // Right columns are renamed where they clash with the left's.
    expect(r.right.get('id')).toBe('id_2');
    expect(r.right.get(HOSTILE)).toBe(`${HOSTILE}_2`);
    const pg = buildSelect(postgresDialect, r.handle, ['id', 'amount', 'name', `${HOSTILE}_2`]);
    expect(pg.sql).toBe(
      'SELECT "l"."id" AS "id", "l"."amount" AS "amount", "r"."name" AS "name", "r"."we""ird`; -- /* x ✓" AS "we""ird`; -- /* x ✓_2" ' +
        'FROM (SELECT "id", "amount", "cust" FROM "shop"."orders" WHERE ("id" < $1::int4)) AS "l" ' +
        'INNER JOIN (SELECT "name", "we""ird`; -- /* x ✓", "id" FROM "shop"."we""ird`; -- /* x ✓" WHERE ("we""ird`; -- /* x ✓" = $2::text)) AS "r" ' +
        'ON "l"."cust" = "r"."id"',
    );
    expect(pg.params).toEqual(['100', "x'); DROP TABLE t; --"]);
    const myRight = { ...right, columns: right.columns.map((c) => ({ ...c, pushdown: 'all' as const })) };
    const my = pushJoin(mysqlDialect, left, myRight, { joinType: 'left', on })!;
    const q = buildSelect(mysqlDialect, my.handle, ['id', 'name']);
    expect(q.sql).toBe(
      'SELECT `l`.`id` AS `id`, `r`.`name` AS `name` FROM (SELECT `id`, `cust` FROM `shop`.`orders` WHERE (`id` < CAST(? AS SIGNED))) AS `l` ' +
        'LEFT JOIN (SELECT `name`, `id` FROM `shop`.`we"ird``; -- /* x ✓` WHERE (`we"ird``; -- /* x ✓` = ?)) AS `r` ON `l`.`cust` = `r`.`id`',
    );
    expect(q.params).toEqual(['100', "x'); DROP TABLE t; --"]);
  });

  it('filters, top-N and aggregation over a pushed join; a join of a join', () => {
    const j = pushJoin(postgresDialect, orders, customers, { joinType: 'inner', on })!;
    const meta = new RemoteMetadata('pg', { dialect: postgresDialect } as RemoteBackend);
    const cross = meta.applyFilter(fromRemoteHandle(j.handle), [call('lt', ref('id', INTEGER), ref('id_2', INTEGER))]);
    const grouped = meta.applyAggregation(cross!.handle, {
      groupBy: ['name'],
      aggregates: [agg('sum', ['amount'], decimal(38, 2))],
    });
    const q = buildSelect(postgresDialect, toRemoteHandle(grouped!.handle), ['name', 'sum_amount']);
    expect(q.sql).toBe(
      'SELECT "name", CAST(sum("amount") AS numeric(38,2)) AS "sum_amount" FROM (SELECT "name", "amount" FROM ' +
        '(SELECT "r"."name" AS "name", "l"."amount" AS "amount", "l"."id" AS "id", "r"."id" AS "id_2" FROM ' +
        '(SELECT "amount", "id", "cust" FROM "shop"."orders") AS "l" INNER JOIN (SELECT "name", "id" FROM "shop"."we""ird`; -- /* x ✓") AS "r" ON "l"."cust" = "r"."id") AS "t" ' +
        'WHERE ("id" < "id_2")) AS "t" GROUP BY "name"',
    );
    const three = pushJoin(postgresDialect, j.handle, customers, {
      joinType: 'left',
      on: [{ left: 'id_2', right: 'id' }],
    });
    expect(buildSelect(postgresDialect, three!.handle, ['id_3']).sql).toBe(
      'SELECT "r"."id" AS "id_3" FROM (SELECT "r"."id" AS "id_2" FROM (SELECT "cust" FROM "shop"."orders") AS "l" INNER JOIN ' +
        '(SELECT "id" FROM "shop"."we""ird`; -- /* x ✓") AS "r" ON "l"."cust" = "r"."id") AS "l" LEFT JOIN (SELECT "id" FROM "shop"."we""ird`; -- /* x ✓") AS "r" ON "l"."id_2" = "r"."id"',
    );
  });

  it('refuses keys whose equality differs at the source, limits, and superset filters under a left join', () => {
    const join = (
      l: RemoteTableHandle,
      r: RemoteTableHandle,
      left: string,
      right: string,
      dialect: RemoteDialect = postgresDialect,
    ) => pushJoin(dialect, l, r, { joinType: 'left', on: [{ left, right }] });
    expect(join(orders, customers, 'doc', 'name')).toBeUndefined(); // text form only
    expect(join(orders, customers, 'dbl', 'id')).toBeUndefined(); // doubles: NaN, -0
    expect(join(orders, customers, 'free', 'id')).toBeUndefined(); // rounded when read
    expect(join(orders, customers, 'day', 'name')).toBeUndefined(); // different families
    expect(join(orders, customers, 'note', 'name')).toBeDefined();
    expect(join(orders, { ...customers, limit: 3 }, 'cust', 'id')).toBeUndefined();
    const superset = {
      ...orders,
      filters: [call('eq', ref('ci', VARCHAR), lit('a', VARCHAR))],
    };
    expect(join(customers, superset, 'id', 'id', mysqlDialect)).toBeUndefined();
    expect(
      pushJoin(mysqlDialect, superset, customers, { joinType: 'inner', on: [{ left: 'id', right: 'id' }] }),
    ).toBeDefined();
  });
});

describe('split SQL', () => {
  it('integer key ranges: outer ranges open, NULL keys in the first; bounds bound as parameters', () => {
    const ranges = keyRanges('id', 1n, 100n, 4);
    expect(ranges).toEqual([
      { kind: 'key', column: 'id', lower: null, upper: '26', nulls: true },
      { kind: 'key', column: 'id', lower: '26', upper: '51', nulls: false },
      { kind: 'key', column: 'id', lower: '51', upper: '76', nulls: false },
      { kind: 'key', column: 'id', lower: '76', upper: null, nulls: false },
    ]);
    const filtered = { ...orders, filters: [call('gt', ref('amount', decimal(12, 2)), lit('500', decimal(12, 2)))] };
    const first = buildSelect(postgresDialect, filtered, ['id'], ranges[0]);
    expect(first.sql).toBe(
      'SELECT "id" FROM "shop"."orders" WHERE ("amount" > $1::numeric) AND ("id" < $2::int4 OR "id" IS NULL)',
    );
    expect(first.params).toEqual(['5.00', '26']);
    expect(buildSelect(mysqlDialect, filtered, ['id'], ranges[1]).sql).toBe(
      'SELECT `id` FROM `shop`.`orders` WHERE (`amount` > CAST(? AS DECIMAL(12,2))) AND (`id` >= CAST(? AS SIGNED) AND `id` < CAST(? AS SIGNED))',
    );
    // Fewer keys than splits: one range per key value at most.
    expect(keyRanges('id', 5n, 6n, 8)).toHaveLength(2);
    expect(keyRanges('id', 5n, 5n, 8)).toEqual([]);
  });

  it('PostgreSQL heap page ranges through ctid', () => {
    const ranges = pageRanges(10, 4);
    expect(ranges.map((r) => (r.kind === 'pages' ? [r.fromPage, r.toPage] : []))).toEqual([
      [0, 3],
      [3, 6],
      [6, 9],
      [9, null],
    ]);
    const q = buildSelect(postgresDialect, orders, ['id', HOSTILE], ranges[1]);
    expect(q.sql).toBe(
      'SELECT "id", "we""ird`; -- /* x ✓" FROM "shop"."orders" WHERE (ctid >= $1::tid AND ctid < $2::tid)',
    );
    expect(q.params).toEqual(['(3,0)', '(6,0)']);
    expect(buildSelect(postgresDialect, orders, ['id'], ranges[0]).sql).toContain('WHERE (ctid < $1::tid)');
    expect(() => buildSelect(mysqlDialect, orders, ['id'], ranges[0])).toThrow(/page-range/);
  });
});

describe('handles', () => {
  it('describeHandle lists what was pushed, never more than the query literals as parameters', () => {
    const meta = new RemoteMetadata('pg', { dialect: postgresDialect } as RemoteBackend);
    const j = meta.applyJoin(fromRemoteHandle(orders), fromRemoteHandle(customers), {
      joinType: 'inner',
      on: [{ left: 'cust', right: 'id' }],
    })!;
    expect(meta.describeHandle(j.handle)).toMatch(/^pushed: join\(inner on cust = id\) \(one split\); remote: SELECT /);
    expect(names(toRemoteHandle(j.handle))).toContain('id_2');
  });
});

describe('generated names', () => {
  it('are unique case-insensitively (MySQL) and fit an identifier (PostgreSQL truncates at 63 bytes)', () => {
    const long = 'ü'.repeat(31); // 62 bytes
    const a: RemoteTableHandle = {
      ...customers,
      columns: [
        { name: 'Name', type: VARCHAR, pushdown: 'all' },
        { name: long, type: INTEGER, pushdown: 'all' },
      ],
    };
    const b: RemoteTableHandle = {
      ...customers,
      columns: [
        { name: 'name', type: VARCHAR, pushdown: 'all' },
        { name: long, type: INTEGER, pushdown: 'all' },
      ],
    };
    const j = pushJoin(mysqlDialect, a, b, { joinType: 'inner', on: [{ left: long, right: long }] })!;
    const out = names(j.handle);
    expect(new Set(out.map((n) => n.toLowerCase())).size).toBe(4);
    expect(j.right.get('name')).toBe('name_2');
    for (const n of out) expect(new TextEncoder().encode(n).length).toBeLessThanOrEqual(63);
    const g = pushAggregation(postgresDialect, a, {
      groupBy: [long],
      aggregates: [agg('sum', [long], BIGINT), agg('max', [long], INTEGER), agg('sum', [long], BIGINT)],
    })!;
    expect(new Set(g.outputs).size).toBe(4);
    for (const n of g.outputs) expect(new TextEncoder().encode(n).length).toBeLessThanOrEqual(63);
  });
});
