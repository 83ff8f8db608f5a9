// Join order: inner joins of a FROM list are reordered so that each has a join condition where
// the WHERE clause connects the tables (no cross products the query does not ask for).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NodeInfo } from '../../../common/plan/task.js';
import { CatalogManager, DEFAULT_CATALOG_DIR } from '../../../coordinator/catalog/catalog-manager.js';
import { bindQuery } from '../../../coordinator/planner/bind-select.js';
import { SymbolAllocator } from '../../../coordinator/planner/logical.js';
import { resolveAllTables } from '../../../coordinator/planner/resolve-tables.js';
import { explainLines, planQuery, type RunnerDeps } from '../../../coordinator/query-runner.js';
import type { Session } from '../../../coordinator/session.js';
import { initParser, parseStatement } from '../../../coordinator/sql/parser.js';

const workers: NodeInfo[] = [
  { nodeId: 'w1', httpUri: 'http://127.0.0.1:1', nodeVersion: 'test', coordinator: false, state: 'active' },
  { nodeId: 'w2', httpUri: 'http://127.0.0.1:2', nodeVersion: 'test', coordinator: false, state: 'active' },
];
let deps: RunnerDeps;

beforeAll(async () => {
  await initParser();
  const catalogs = await CatalogManager.load(DEFAULT_CATALOG_DIR, { nodeId: 'c', nodes: () => workers });
  deps = {
    catalogs,
    scheduler: { execute: () => expect.unreachable() as never },
    metaContext: (session) => ({ session, workers }),
  };
});

async function explain(sql: string): Promise<string> {
  const stmt = parseStatement(sql);
  if (stmt.kind !== 'pg') throw new Error('not a query');
  const s: Session = { id: 1, user: 'test', catalog: 'tpch', schema: 'tiny', timeZone: 'UTC', settings: new Map() };
  const lookup = await resolveAllTables(
    stmt.ast,
    s,
    deps.catalogs,
    deps.metaContext({ user: 'test', timeZone: 'UTC' }),
  );
  const bound = bindQuery(stmt.ast, { symbols: new SymbolAllocator(), params: [], resolveTable: lookup.resolveTable });
  return explainLines(await planQuery(bound.plan, bound.names, deps), deps).join('\n');
}

const tpch = (n: string) => readFileSync(new URL(`../../fixtures/tpch/q${n}.sql`, import.meta.url), 'utf8');

describe('join order', () => {
  it('joins part with lineitem before supplier in TPC-H q9 (no part x supplier product)', async () => {
    const text = await explain(tpch('09'));
    expect(text).not.toContain('NestedLoopJoin');
    expect(text).toMatch(/HashJoin INNER \[(p_partkey = l_partkey|l_partkey = p_partkey)\]/);
    expect(text).toMatch(/HashJoin INNER \[(s_suppkey = l_suppkey|l_suppkey = s_suppkey)\]/);
  });

  it('has no cross product in TPC-H q2 and q8 either', async () => {
    for (const q of ['02', '08']) expect(await explain(tpch(q))).not.toContain('NestedLoopJoin');
  });

  it('starts from the first table and takes the next connected one', async () => {
    const text = await explain(
      'select count(*) from region r, supplier s, nation n where s.s_nationkey = n.n_nationkey and n.n_regionkey = r.r_regionkey',
    );
    expect(text).not.toContain('NestedLoopJoin');
    expect(text).toMatch(/HashJoin INNER \[(n_regionkey = r_regionkey|r_regionkey = n_regionkey)\]/);
  });

  it('joins a filtered chain of dimensions into the relation it hangs off first (TPC-H q5)', async () => {
    // region (filtered) -> nation -> supplier: the suppliers of one region filter lineitem before
    // it meets orders; the region joins nation before nation meets supplier.
    const text = await explain(tpch('05'));
    const joins = [...text.matchAll(/HashJoin INNER \[([^\]]+)\]/g)].map((m) => m[1]!);
    const at = (re: RegExp) => joins.findIndex((j) => re.test(j));
    const suppliers = at(/l_suppkey = s_suppkey/);
    const orders = at(/l_orderkey = o_orderkey/);
    const nations = at(/s_nationkey = n_nationkey/);
    const regions = at(/n_regionkey = r_regionkey/);
    expect(Math.min(suppliers, orders, nations, regions)).toBeGreaterThanOrEqual(0);
    // EXPLAIN prints a join above its inputs: later lines are joined earlier.
    expect(orders).toBeLessThan(suppliers);
    expect(suppliers).toBeLessThan(nations);
    expect(nations).toBeLessThan(regions);
  });

  it('leaves an unfiltered chain for later (it would only widen the side)', async () => {
    const text = await explain(tpch('10'));
    const joins = [...text.matchAll(/HashJoin INNER \[([^\]]+)\]/g)].map((m) => m[1]!);
    const customers = joins.findIndex((j) => /o_custkey = c_custkey/.test(j));
    const lineitems = joins.findIndex((j) => /l_orderkey = o_orderkey/.test(j));
    expect(customers).toBeLessThan(lineitems);
  });

  it('keeps a cross product the query asks for', async () => {
    const text = await explain('select count(*) from nation, region, supplier where s_nationkey = n_nationkey');
    expect(text.match(/NestedLoopJoin INNER/g)).toHaveLength(1);
    expect(text).toMatch(/HashJoin INNER \[(s_nationkey = n_nationkey|n_nationkey = s_nationkey)\]/);
  });
});

describe('semi joins', () => {
  it('filters orders by the IN subquery before joining lineitem in TPC-H q18', async () => {
    const text = await explain(tpch('18'));
    // The semi join's probe side is the orders scan, not the lineitem x orders join.
    expect(text).toMatch(
      /HashJoin SEMI \[o_orderkey = l_orderkey\].*\n(\s+=> \[.*\]\n)?\s+TableScan tpch columns=\[o_orderkey/,
    );
  });
});

describe('build side of EXISTS / NOT EXISTS', () => {
  const outer = "from tpch.sf1.orders o where o.o_orderdate < date '1992-02-01' and";
  it('builds on the smaller outer side against a big subquery side (RIGHT SEMI / RIGHT ANTI)', async () => {
    const semi = await explain(
      `select count(*) ${outer} exists (select * from tpch.sf1.lineitem l where l.l_orderkey = o.o_orderkey)`,
    );
    expect(semi).toMatch(/HashJoin RIGHT SEMI \[l_orderkey = o_orderkey\] dynamicFilters=\[df0: o_orderkey\]/);
    const anti = await explain(
      `select count(*) ${outer} not exists (select * from tpch.sf1.lineitem l where l.l_orderkey = o.o_orderkey)`,
    );
    expect(anti).toMatch(/HashJoin RIGHT ANTI \[l_orderkey = o_orderkey\]/);
  });

  it('keeps building on the subquery side when it is small, and for NOT IN', async () => {
    const small = await explain(
      `select count(*) ${outer} exists (select * from tpch.sf1.nation n where n.n_nationkey = o.o_custkey)`,
    );
    expect(small).toMatch(/HashJoin SEMI \[o_custkey = n_nationkey\]/);
    const notIn = await explain(
      `select count(*) ${outer} o.o_orderkey not in (select l.l_orderkey from tpch.sf1.lineitem l)`,
    );
    expect(notIn).toMatch(/HashJoin ANTI \(null-aware\)/);
  });
});
