// Binder + optimizer + fragmenter over the embedded catalogs, checked through EXPLAIN text.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqlError } from '../../../common/errors.js';
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

function session(): Session {
  return { id: 1, user: 'test', catalog: 'tpch', schema: 'tiny', timeZone: 'UTC', settings: new Map() };
}

async function plan(sql: string) {
  const stmt = parseStatement(sql);
  if (stmt.kind !== 'pg') throw new Error('not a query');
  const s = session();
  const lookup = await resolveAllTables(stmt.ast, s, catalogs, deps.metaContext({ user: 'test', timeZone: 'UTC' }));
  const bound = bindQuery(stmt.ast, { symbols: new SymbolAllocator(), params: [], resolveTable: lookup.resolveTable });
  return planQuery(bound.plan, bound.names, deps);
}

async function explain(sql: string): Promise<string> {
  return explainLines(await plan(sql), deps).join('\n');
}

async function bindError(sql: string): Promise<SqlError> {
  try {
    await plan(sql);
  } catch (e) {
    if (e instanceof SqlError) return e;
    throw e;
  }
  throw new Error(`expected an error for ${sql}`);
}

describe('planner', () => {
  it('folds a constant query into one values fragment', async () => {
    const p = await plan('select 1 as one, 2 + 3 as five');
    expect(p.fragmented.fragments).toHaveLength(1);
    expect(p.fragmented.fragments[0]?.root.kind).toBe('values');
    expect(p.fragmented.output.map((c) => c.name)).toEqual(['one', 'five']);
  });

  it('splits GROUP BY into partial aggregation, hash exchange and final aggregation', async () => {
    const text = await explain('select l_returnflag, count(*), sum(l_quantity) from lineitem group by l_returnflag');
    expect(text).toMatch(/Fragment \d \[source\] -> output: hash\(#0\)/);
    expect(text).toContain('Aggregate(partial) keys=[l_returnflag]');
    expect(text).toMatch(/Fragment \d \[hash\] -> output: single/);
    expect(text).toContain('Aggregate(final)');
  });

  it('reads only the columns a query uses', async () => {
    const text = await explain('select sum(l_extendedprice) from lineitem where l_quantity < 10');
    expect(text).toContain('TableScan tpch columns=[l_quantity, l_extendedprice]');
  });

  it('pushes filters below projections and joins, into the scan fragment', async () => {
    const p = await plan(
      "select n_name, r_name from nation join region on n_regionkey = r_regionkey where r_name = 'ASIA' and n_nationkey > 3",
    );
    const text = explainLines(p, deps).join('\n');
    expect(text).toContain('HashJoin INNER');
    expect(text).toMatch(/Filter \(r_name = 'ASIA'\)\n\s+=> \[.*\]\n\s+TableScan tpch columns=\[r_regionkey, r_name\]/);
    expect(text).toMatch(/Filter \(n_nationkey > 3\)/);
  });

  it("filters a left join's inner side below the join and drops the columns only the filter reads", async () => {
    const text = await explain(
      "select c_custkey, count(o_orderkey) from customer left join orders on c_custkey = o_custkey and o_comment not like '%special%requests%' group by c_custkey",
    );
    expect(text).toMatch(/HashJoin LEFT \[c_custkey = o_custkey\]\n/);
    expect(text).toMatch(
      /Project o_orderkey := o_orderkey, o_custkey := o_custkey\n\s+=> \[o_orderkey, o_custkey\]\n\s+Filter \(NOT \(o_comment LIKE/,
    );
  });

  it('turns ORDER BY + LIMIT into a partial and a final top-N', async () => {
    const text = await explain('select o_orderkey from orders order by o_totalprice desc limit 5');
    expect(text.match(/TopN 5/g)).toHaveLength(2);
  });

  it('builds the hash table on the smaller side', async () => {
    const text = await explain('select count(*) from nation, lineitem where n_nationkey = l_suppkey');
    expect(text).toMatch(/HashJoin INNER \[l_suppkey = n_nationkey\]/);
  });

  it('explains names with SQLSTATEs like PostgreSQL', async () => {
    expect((await bindError('select * from nosuch')).sqlState).toBe('42P01');
    const col = await bindError('select nope from nation');
    expect(col.sqlState).toBe('42703');
    expect(col.position).toBe(8);
    expect((await bindError('select frobnicate(1)')).sqlState).toBe('42883');
    expect((await bindError('select n_name, count(*) from nation')).sqlState).toBe('42803');
    expect((await bindError("select * from nation n1, nation n2 where n_name = 'x'")).sqlState).toBe('42702');
    expect((await bindError('select mode() from nation')).sqlState).toBe('42883');
    expect((await bindError('select sum(n_nationkey) over w from nation')).sqlState).toBe('42704');
  });

  it('plans window functions after a hash exchange on the partition keys', async () => {
    const text = await explain(
      'select n_name, rank() over (partition by n_regionkey order by n_nationkey desc) from nation',
    );
    expect(text).toMatch(
      /Window partition=\[n_regionkey\] order=\[n_nationkey DESC NULLS FIRST\] functions=\[rank\(\)\]/,
    );
  });

  it('decorrelates EXISTS and NOT IN into semi and null-aware anti joins', async () => {
    const text = await explain(
      'select count(*) from orders where exists (select 1 from lineitem where l_orderkey = o_orderkey) and o_custkey not in (select c_custkey from customer where c_acctbal < 0)',
    );
    expect(text).toContain('HashJoin SEMI [o_orderkey = l_orderkey]');
    expect(text).toContain('HashJoin ANTI (null-aware) [o_custkey = c_custkey]');
  });

  it('turns a correlated scalar aggregate subquery into a grouped left join', async () => {
    const text = await explain(
      'select count(*) from part where p_retailprice > (select avg(ps_supplycost) from partsupp where ps_partkey = p_partkey)',
    );
    expect(text).toContain('HashJoin LEFT [p_partkey = correlation_0]');
    expect(text).toContain('Aggregate(final) keys=[ps_partkey]');
  });

  it("builds on a filtered outer side smaller than the subquery aggregation's input, filtering that input", async () => {
    const text = await explain(
      "select count(*) from part where p_brand = 'Brand#23' and p_retailprice > (select avg(ps_supplycost) from partsupp where ps_partkey = p_partkey)",
    );
    expect(text).toMatch(/HashJoin RIGHT \[correlation_0 = p_partkey\] dynamicFilters=\[df0: p_partkey\]/);
    expect(text).toMatch(/TableScan tpch columns=\[ps_partkey, ps_supplycost\] .*dynamicFilters=\[df0: ps_partkey\]/);
  });

  it('factors the join key out of the OR branches of TPC-H q19', async () => {
    const q19 = readFileSync(new URL('../../fixtures/tpch/q19.sql', import.meta.url), 'utf8');
    const text = await explain(q19);
    expect(text).toMatch(/HashJoin INNER \[(l_partkey = p_partkey|p_partkey = l_partkey)\]/);
    expect(text).not.toContain('NestedLoopJoin');
  });

  it('coerces untyped literals to the column type', async () => {
    const text = await explain("select count(*) from orders where o_orderdate >= '1995-01-01'");
    expect(text).toContain('(o_orderdate >= DATE 9131)');
  });
});
