// Differential test (issue 4 item 8): a fixed-seed batch of random expressions, WHERE predicates and
// grouped aggregates over the nullable columns of `t`, evaluated by Tributary and by PostgreSQL on the
// same rows. A mismatch is shrunk to a minimal statement and fails the test unless it is a known,
// reported engine bug (known-mismatches.ts). Explore other seeds with tests/differential/run.ts.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../support/cluster.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { type Engines, formatMismatch, generateCases, minimize, queryFn, runCases, setupTable } from './harness.js';
import { knownBug } from './known-mismatches.js';

const SEED = 20261125;
const CASES = 2000;

let cluster: Cluster;
let pgServer: TestPostgres;
let tribClient: pg.Client;
let pgClient: pg.Client;
let engines: Engines;

beforeAll(async () => {
  [cluster, pgServer] = await Promise.all([startCluster({ workers: 2 }), startPostgres()]);
  tribClient = await cluster.client('memory.default');
  pgClient = await pgServer.client();
  engines = { tributary: queryFn(tribClient), postgres: queryFn(pgClient) };
  await setupTable(engines);
}, 180_000);

afterAll(async () => {
  await pgClient?.end();
  await Promise.allSettled([cluster?.stop(), pgServer?.stop()]);
});

describe('differential: Tributary vs PostgreSQL', () => {
  it('the harness detects a mismatch and shrinks it', async () => {
    // A deliberately different statement on each side stands in for an engine bug.
    const fake: Engines = {
      tributary: (sql) => engines.tributary(sql.replace(/\(j \+ 1\)/g, '(j + 2)')),
      postgres: engines.postgres,
    };
    const m = await minimize(fake, {
      kind: 'expr',
      nodes: [{ t: 'int', kids: [], column: 'j', render: () => 'COALESCE(CAST(NULL AS INTEGER), (j + 1))' }],
    });
    expect(m.kind).toBe('value');
    expect(m.sql).toMatch(/WHERE id IN \(\d+\)/);
  });

  it(`agrees on ${CASES} generated cases (seed ${SEED})`, async () => {
    const cases = generateCases({ seed: SEED, cases: CASES });
    const report = await runCases(engines, cases, { maxMinimize: 20 });
    const unknown: string[] = [];
    const known: string[] = [];
    for (const m of report.mismatches) {
      const bug = knownBug(m);
      if (bug) known.push(`${bug.id}: ${m.sql}`);
      else unknown.push(formatMismatch(m));
    }
    if (known.length > 0) console.log(`known engine bugs hit:\n${[...new Set(known)].join('\n')}`);
    // More failing cases than were minimised can only be judged by minimising them: fail loudly.
    expect(report.failing.length - report.mismatches.length, 'failing cases left un-minimised').toBe(0);
    expect(unknown, `new mismatches (minimal SQL):\n${unknown.join('\n\n')}`).toEqual([]);
  }, 240_000);
});
