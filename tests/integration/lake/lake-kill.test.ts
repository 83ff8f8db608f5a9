// Writes into the lake stopped midway leave nothing visible: a CTAS cancelled by the client
// (PostgreSQL CancelRequest), a CTAS whose client connection closes, and an INSERT during
// which a worker process is killed with SIGKILL. Each statement is stopped only once files
// of it are being staged; afterwards the table is absent (42P01) or has exactly its old rows
// and files, and nothing remains in the staging area. What a crash leaves in staging is swept
// when the coordinator starts again.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../support/cluster.js';
import { cancelRequest, errorOf } from '../../support/pg-cancel.js';
import { descendants } from '../../support/process-tree.js';

let dir: string;
let lake: string;
let catalogs: string;
let cluster: Cluster;

// about 6 million rows: far more than a few seconds of writing
const BIG = 'select l_orderkey, l_partkey, l_quantity, l_extendedprice, l_shipdate, l_comment from tpch.sf1.lineitem';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tributary-lake-kill-'));
  lake = join(dir, 'lake');
  catalogs = join(dir, 'catalogs');
  mkdirSync(join(lake, 'k'), { recursive: true });
  mkdirSync(catalogs);
  // small files, so that staged files appear within the first second of a write
  writeFileSync(
    join(catalogs, 'lake.properties'),
    'connector.name=lake\nlake.root=../lake\nlake.metadata-ttl=0ms\nlake.writer.max-file-rows=20000\n',
  );
  writeFileSync(join(catalogs, 'tpch.properties'), 'connector.name=tpch\n');
  cluster = await startCluster({ workers: 2, catalogsDir: catalogs });
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every file under `d`, relative, sorted ([] when `d` does not exist). */
function tree(d: string): string[] {
  try {
    return readdirSync(d, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(d.length + 1))
      .sort();
  } catch {
    return [];
  }
}

/** Resolves once some file of the write is in the staging area of table directory `t`. */
async function untilStaged(t: string, statement: Promise<unknown>): Promise<void> {
  let ended = false;
  void statement.then(
    () => {
      ended = true;
    },
    () => {
      ended = true;
    },
  );
  for (;;) {
    if (tree(join(t, '_staging')).some((f) => f.endsWith('.parquet'))) return;
    if (ended) throw new Error('the statement ended before any file was staged');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function expectNoTable(client: pg.Client, name: string): Promise<void> {
  expect((await errorOf(client.query(`select count(*) from lake.k.${name}`))).code).toBe('42P01');
  // no data file anywhere, staged or not
  expect(tree(join(lake, 'k', name))).toEqual([]);
}

describe('a lake write stopped midway leaves nothing visible', () => {
  it('CTAS cancelled by the client (CancelRequest)', async () => {
    const c = await cluster.client();
    const ctas = c.query(`create table lake.k.cancelled as ${BIG}`);
    await untilStaged(join(lake, 'k', 'cancelled'), ctas);
    await cancelRequest(c, cluster.pgPort);
    expect((await errorOf(ctas)).code).toBe('57014');
    await expectNoTable(c, 'cancelled');
    // the workers are free again and the lake still takes writes
    await c.query('create table lake.k.after_cancel as select * from tpch.tiny.nation');
    expect((await c.query('select count(*)::int as n from lake.k.after_cancel')).rows).toEqual([{ n: 25 }]);
    await expectNoTable(c, 'cancelled');
  }, 120_000);

  it('CTAS whose client disconnects', async () => {
    const c = await cluster.client();
    const ctas = c.query(`create table lake.k.dropped as ${BIG}`);
    await untilStaged(join(lake, 'k', 'dropped'), ctas);
    await c.end();
    await errorOf(ctas);
    const other = await cluster.client();
    // the server ends the statement soon after the connection closed; a query that needs both
    // workers runs after their share of the aborted write
    await other.query('select count(*) from tpch.tiny.lineitem');
    for (let i = 0; i < 100 && tree(join(lake, 'k', 'dropped')).length > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    await expectNoTable(other, 'dropped');
  }, 120_000);

  it('INSERT during which a worker is killed with SIGKILL keeps the old rows and files', async () => {
    const c = await cluster.client();
    await c.query(
      "create table lake.k.kept as select n_nationkey as l_orderkey, n_regionkey as l_partkey, 1.5::decimal(15,2) as l_quantity, 2.5::decimal(15,2) as l_extendedprice, date '1995-01-01' as l_shipdate, n_name as l_comment from tpch.tiny.nation",
    );
    const table = join(lake, 'k', 'kept');
    const before = tree(table);
    const insert = c.query(`insert into lake.k.kept ${BIG}`);
    await untilStaged(table, insert);
    const workers = descendants(cluster.pid).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('worker');
      } catch {
        return false;
      }
    });
    expect(workers.length).toBe(2);
    process.kill(workers[0]!, 'SIGKILL');
    const err = await errorOf(insert);
    expect(err.code).toBe('08006');
    // the surviving worker answers with the old rows only, once the coordinator has noticed
    // that the other one is gone (heartbeat timeout); the table holds its old files only
    let rows: unknown;
    for (let i = 0; i < 100 && rows === undefined; i++) {
      rows = await c.query('select count(*)::int as n, sum(l_orderkey)::int as s from lake.k.kept').then(
        (r) => r.rows,
        async (e: { code?: string }) => {
          if (e.code !== '08006') throw e;
          await new Promise((r) => setTimeout(r, 200));
          return undefined;
        },
      );
    }
    expect(rows).toEqual([{ n: 25, s: 300 }]);
    expect(tree(table)).toEqual(before);
  }, 120_000);

  it('the coordinator sweeps what a crash left in staging when it starts', async () => {
    await cluster.stop();
    const staged = join(lake, 'k', 'kept', '_staging', 'crashed-insert');
    mkdirSync(staged, { recursive: true });
    writeFileSync(join(staged, 'half.parquet'), 'PAR1 not really');
    mkdirSync(join(lake, 'k', 'ctas_crashed', '_staging', 'crashed-ctas'), { recursive: true });
    writeFileSync(join(lake, 'k', 'ctas_crashed', '_staging', 'crashed-ctas', 'x.parquet'), 'PAR1');
    cluster = await startCluster({ workers: 1, catalogsDir: catalogs });
    const c = await cluster.client();
    expect((await c.query('select count(*)::int as n from lake.k.kept')).rows).toEqual([{ n: 25 }]);
    expect(tree(join(lake, 'k', 'kept')).filter((f) => f.startsWith('_staging'))).toEqual([]);
    expect(readdirSync(join(lake, 'k'))).not.toContain('ctas_crashed');
  }, 120_000);
});
