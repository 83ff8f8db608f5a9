// Dynamic filtering into a real MariaDB (the mysql connector): the build side's keys reach the
// remote statement as bound `?` parameters, so the rows read from the server drop; string keys
// go as IN (MySQL's case-insensitive equality returns a superset, which the engine re-checks) and
// the results equal those with dynamic filtering off and MariaDB's own answer.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../support/cluster.js';
import { startMysql, type TestMysql } from '../../support/mysql.js';

const ROWS = 50_000;
let my: TestMysql;
let cluster: Cluster;
let client: pg.Client;
let catalogsDir: string;

beforeAll(async () => {
  my = await startMysql();
  await my.query(
    `CREATE TABLE sales AS SELECT seq AS id, seq % 5000 AS cust, CONCAT('Tag', seq % 500) AS tag FROM seq_1_to_${ROWS}`,
  );
  await my.query('ANALYZE TABLE sales');
  catalogsDir = await mkdtemp(join(tmpdir(), 'tributary-df-my-'));
  await writeFile(
    join(catalogsDir, 'my.properties'),
    `connector.name=mysql\nconnection-url=jdbc:mysql://${my.host}:${my.port}/${my.database}\nconnection-user=${my.user}\nconnection-password=\${ENV:TRIB_DF_MYSQL_PASSWORD}\n`,
  );
  await writeFile(join(catalogsDir, 'tpch.properties'), 'connector.name=tpch\n');
  cluster = await startCluster({ workers: 2, catalogsDir, env: { TRIB_DF_MYSQL_PASSWORD: my.password } });
  client = await cluster.client('tpch.tiny');
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
  await my?.stop();
  if (catalogsDir) await rm(catalogsDir, { recursive: true, force: true });
}, 120_000);

async function analyzeRowsRead(sql: string): Promise<{ rowsRead: number; filters?: string }> {
  const r = await client.query({ text: `EXPLAIN ANALYZE ${sql}`, rowMode: 'array' });
  const out = r.rows.map((x: unknown[]) => String(x[0]).trim());
  const at = out.findIndex((l) => l.startsWith('TableScan(my):'));
  expect(at, out.join('\n')).toBeGreaterThanOrEqual(0);
  if (!out[at + 1]?.startsWith('dynamic filters:')) return { rowsRead: Number(/out (\d+) rows/.exec(out[at]!)![1]) };
  return { rowsRead: Number(/(\d+) rows read/.exec(out[at + 2]!)![1]), filters: out[at + 1]! };
}

async function both(sql: string) {
  const on = (await client.query({ text: sql, rowMode: 'array' })).rows;
  const onRead = await analyzeRowsRead(sql);
  await client.query('SET enable_dynamic_filtering = off');
  try {
    expect((await client.query({ text: sql, rowMode: 'array' })).rows).toEqual(on);
    const offRead = await analyzeRowsRead(sql);
    return { result: on, on: onRead, off: offRead };
  } finally {
    await client.query('RESET enable_dynamic_filtering');
  }
}

describe('dynamic filtering into MariaDB', () => {
  it('sends integer build keys as bound parameters', async () => {
    const { result, on, off } = await both(
      `SELECT count(*), sum(s.id) FROM my.${my.database}.sales s JOIN customer c ON s.cust = c.c_custkey
       WHERE c.c_name IN ('Customer#000000011', 'Customer#000000012')`,
    );
    const expected = await my.query('SELECT count(*), sum(id) FROM sales WHERE cust IN (11, 12)');
    expect(result.map((r) => r.map(String))).toEqual(expected);
    expect(on.filters).toContain('df0 cust IN (11, 12) (by the connector)');
    expect(on.rowsRead).toBe(20);
    expect(off.rowsRead).toBe(ROWS);
  });

  it('sends string keys as IN and re-checks the case-insensitive superset', async () => {
    const { result, on, off } = await both(
      `SELECT count(*) FROM my.${my.database}.sales s JOIN (VALUES ('tag7'), ('Tag8')) v(t) ON s.tag = v.t`,
    );
    // Only 'Tag8' matches byte for byte; MariaDB also returns the 'Tag7' rows for 'tag7'.
    expect(result).toEqual([['100']]);
    expect(on.filters).toContain("df0 tag IN ('Tag8', 'tag7') (connector + row filter)");
    expect(on.rowsRead).toBe(200);
    expect(off.rowsRead).toBe(ROWS);
  });
});
