// Plan-time dynamic filtering: which scans get which join's filter (through EXPLAIN), for which
// join types, across fragments, and join-key predicates copied to the other side.
import { beforeAll, describe, expect, it } from 'vitest';
import type { NodeInfo, SessionInfo } from '../../../common/plan/task.js';
import { CatalogManager, DEFAULT_CATALOG_DIR } from '../../../coordinator/catalog/catalog-manager.js';
import { bindQuery } from '../../../coordinator/planner/bind-select.js';
import { remoteFilterProducers } from '../../../coordinator/planner/dynamic-filters.js';
import { SymbolAllocator } from '../../../coordinator/planner/logical.js';
import { resolveAllTables } from '../../../coordinator/planner/resolve-tables.js';
import { explainLines, type PlannedQuery, planQuery, type RunnerDeps } from '../../../coordinator/query-runner.js';
import { DynamicFilterService } from '../../../coordinator/scheduler/dynamic-filters.js';
import { initParser, parseStatement } from '../../../coordinator/sql/parser.js';

const workers: NodeInfo[] = [
  { nodeId: 'w1', httpUri: 'http://127.0.0.1:1', nodeVersion: 'test', coordinator: false, state: 'active' },
];
let catalogs: CatalogManager;
let deps: RunnerDeps;

beforeAll(async () => {
  await initParser();
  catalogs = await CatalogManager.load(DEFAULT_CATALOG_DIR, { nodeId: 'c', nodes: () => workers });
  deps = {
    catalogs,
    scheduler: { execute: () => expect.unreachable() as never },
    metaContext: (session) => ({ session, workers }),
  };
});

async function plan(sql: string, properties?: Record<string, string>): Promise<PlannedQuery> {
  const stmt = parseStatement(sql);
  if (stmt.kind !== 'pg') throw new Error('not a query');
  const session = { id: 1, user: 'test', catalog: 'tpch', schema: 'tiny', timeZone: 'UTC', settings: new Map() };
  const info: SessionInfo = { user: 'test', timeZone: 'UTC', ...(properties ? { properties } : {}) };
  const lookup = await resolveAllTables(stmt.ast, session, catalogs, deps.metaContext(info));
  const bound = bindQuery(stmt.ast, { symbols: new SymbolAllocator(), params: [], resolveTable: lookup.resolveTable });
  return planQuery(bound.plan, bound.names, deps, info);
}

async function explain(sql: string, properties?: Record<string, string>): Promise<string> {
  return explainLines(await plan(sql, properties), deps).join('\n');
}

const SELECTIVE =
  "SELECT o_orderkey FROM orders JOIN customer ON o_custkey = c_custkey WHERE c_name = 'Customer#000000001'";

describe('dynamic filters in the plan', () => {
  it('puts the build keys of an inner join on the probe scan', async () => {
    const text = await explain(SELECTIVE);
    expect(text).toContain('HashJoin INNER [o_custkey = c_custkey] dynamicFilters=[df0: c_custkey]');
    expect(text).toMatch(/TableScan tpch columns=\[o_orderkey, o_custkey\] .*dynamicFilters=\[df0: o_custkey\]/);
    expect(text).not.toMatch(/TableScan tpch columns=\[c_custkey.*dynamicFilters/);
  });

  it('marks filters of partitioned joins as crossing fragments', async () => {
    const p = await plan(SELECTIVE, { join_distribution_type: 'partitioned' });
    const producers = remoteFilterProducers(p.fragmented.fragments);
    expect([...producers.keys()]).toEqual(['df0']);
    const joinFragment = p.fragmented.fragments[producers.get('df0')!]!;
    expect(joinFragment.distribution).toBe('hash');
    const broadcast = await plan(SELECTIVE);
    expect(remoteFilterProducers(broadcast.fragmented.fragments).size).toBe(0);
  });

  it('filters the probe side of semi and right joins, through aggregations', async () => {
    expect(
      await explain(
        'SELECT count(*) FROM orders WHERE o_custkey IN (SELECT c_custkey FROM customer WHERE c_acctbal > 9000)',
      ),
    ).toMatch(/HashJoin SEMI .*dynamicFilters=\[df0: c_custkey\]/);
    const right = await explain(
      "SELECT o_orderkey FROM orders RIGHT JOIN customer ON o_custkey = c_custkey WHERE c_name = 'Customer#000000001'",
    );
    expect(right).toMatch(/HashJoin RIGHT \[o_custkey = c_custkey\] dynamicFilters=\[df0: c_custkey\]/);
    expect(right).toMatch(/TableScan tpch columns=\[o_orderkey, o_custkey\] .*dynamicFilters=\[df0: o_custkey\]/);
    const agg = await explain(
      "SELECT g.k, g.n FROM (SELECT o_custkey AS k, count(*) AS n FROM orders GROUP BY o_custkey) g JOIN customer ON g.k = c_custkey WHERE c_name = 'x'",
    );
    expect(agg).toMatch(/TableScan tpch columns=\[o_custkey\] .*dynamicFilters=\[df0: o_custkey\]/);
  });

  it('never filters preserved sides, anti joins, or below a limit; off by session property', async () => {
    expect(await explain('SELECT count(*) FROM orders LEFT JOIN customer ON o_custkey = c_custkey')).not.toContain(
      'dynamicFilters',
    );
    expect(
      await explain('SELECT count(*) FROM orders WHERE o_custkey NOT IN (SELECT c_custkey FROM customer)'),
    ).not.toContain('dynamicFilters');
    // the limited side may build a filter for the other one, but is never filtered itself
    const limited = await explain(
      "SELECT t.o_orderkey FROM (SELECT * FROM orders LIMIT 10) t JOIN customer ON t.o_custkey = c_custkey WHERE c_name = 'x'",
    );
    expect(limited).not.toMatch(/tiny\.orders \(sf 0\.01\) dynamicFilters/);
    expect(await explain(SELECTIVE, { enable_dynamic_filtering: 'off' })).not.toContain('dynamicFilters');
  });
});

describe('join-key predicates copied to the other side', () => {
  it('copies a literal comparison across an inner join key', async () => {
    const text = await explain(
      'SELECT count(*) FROM orders JOIN customer ON o_custkey = c_custkey WHERE c_custkey = 7',
    );
    expect(text).toContain('Filter (o_custkey = 7)');
    expect(text).toContain('Filter (c_custkey = 7)');
  });

  it('settles: each copied predicate appears once, whatever its shape', async () => {
    for (const where of [
      'c_custkey IN (5)',
      '5 = c_custkey',
      'c_custkey BETWEEN 1 AND 3',
      'c_custkey = 5 AND c_custkey = 5',
      'c_custkey = 5 AND o_custkey = 5',
      "c_custkey >= 2 AND c_name = 'x'",
    ]) {
      const text = await explain(`SELECT count(*) FROM orders JOIN customer ON o_custkey = c_custkey WHERE ${where}`);
      const filters = text.split('\n').filter((l) => l.trim().startsWith('Filter'));
      expect(filters.length, text).toBeLessThanOrEqual(2);
      expect(text, where).toMatch(/Filter .*o_custkey/);
    }
  });

  it('copies from the preserved side of a left join only', async () => {
    const left = await explain(
      'SELECT count(*) FROM customer LEFT JOIN orders ON c_custkey = o_custkey WHERE c_custkey IN (1, 2)',
    );
    expect(left).toContain('Filter (o_custkey IN (1, 2))');
    const none = await explain(
      'SELECT count(*) FROM customer LEFT JOIN orders ON c_custkey = o_custkey AND o_custkey > 5',
    );
    expect(none).not.toContain('c_custkey > 5');
  });
});

describe('the coordinator merging partial filters', () => {
  it('answers waiting scans once every join task reported, and null when the query ends', async () => {
    const service = new DynamicFilterService();
    service.register('q1', new Map([['df0', 2]]));
    const waiting = service.wait('q1', 'df0', 60_000);
    const int = { kind: 'integer' } as const;
    expect(service.report('q1', 'df0', 't0', { kind: 'values', type: int, values: [3, 1] })).toBe(true);
    expect(service.report('q1', 'df0', 't0', { kind: 'values', type: int, values: [99] })).toBe(true); // a repeat
    service.report('q1', 'df0', 't1', { kind: 'values', type: int, values: [2] });
    // integer keys merge into one sorted list
    expect(await waiting).toEqual({ kind: 'values', type: int, values: [1, 2, 3] });
    expect(await service.wait('q1', 'df0', 0)).toEqual({ kind: 'values', type: int, values: [1, 2, 3] });

    service.register('q2', new Map([['df0', 1]]));
    const abandoned = service.wait('q2', 'df0', 60_000);
    service.unregister('q2');
    expect(await abandoned).toBeNull();
    expect(await service.wait('q2', 'df0', 60_000)).toBeNull();
    expect(service.report('q2', 'df0', 't0', { kind: 'all' })).toBe(false);
    service.unregister('q1');
    expect(service.size).toBe(0);
  });
});
