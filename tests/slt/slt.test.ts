// Every tests/slt/**/*.slt file is one test, run over the PostgreSQL wire protocol against ONE
// Tributary cluster, each file in a fresh memory schema. pg_compat_*.slt files also run against a
// real PostgreSQL and must give the same (expected) results there.
// One file: npx vitest run tests/slt/slt.test.ts -t 'functions/abs.slt'
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, repoRoot, startCluster } from '../support/cluster.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { formatFailures } from './executor.js';
import { isPgCompat, runSltFile } from './harness.js';
import { collectSltFiles } from './runner.js';

const sltDir = join(repoRoot, 'tests', 'slt');
const files = collectSltFiles([sltDir]);
const needsPostgres = files.some(isPgCompat);

describe.skipIf(files.length === 0)('sqllogictest', () => {
  let cluster: Cluster | undefined;
  let postgres: TestPostgres | undefined;

  beforeAll(async () => {
    [cluster, postgres] = await Promise.all([
      startCluster({ workers: 2 }),
      needsPostgres ? startPostgres() : Promise.resolve(undefined),
    ]);
  }, 120_000);

  afterAll(async () => {
    const stops = await Promise.allSettled([cluster?.stop(), postgres?.stop()]);
    for (const s of stops) if (s.status === 'rejected') throw s.reason;
  });

  for (const file of files) {
    const name = relative(sltDir, file);
    it(name, async () => {
      if (cluster === undefined) throw new Error('the cluster did not start');
      const displayPath = relative(repoRoot, file);
      const reports: string[] = [];
      const result = await runSltFile(file, { engine: 'tributary', url: cluster.pgUrl }, { displayPath });
      if (result.failed > 0) reports.push(formatFailures(result));
      if (isPgCompat(file)) {
        if (postgres === undefined) throw new Error('PostgreSQL did not start');
        const reference = await runSltFile(file, { engine: 'postgresql', url: postgres.url }, { displayPath });
        if (reference.failed > 0) reports.push(formatFailures(reference));
      }
      expect(reports.join('\n\n'), `${displayPath} has failing records`).toBe('');
      expect(result.passed + result.skipped, `${displayPath} ran no record`).toBeGreaterThan(0);
    }, 180_000);
  }
});

if (files.length === 0) it.skip('no .slt files under tests/slt yet', () => {});
