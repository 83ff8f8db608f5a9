// Explore the differential tester by hand:
//   node --import tsx tests/differential/run.ts --seed 7 --cases 500 [--depth 3] [--feature decimalDivision]
// Starts a Tributary cluster and a PostgreSQL server (or uses TRIBUTARY_DIFF_URL / TRIBUTARY_TEST_PG_URL),
// runs the cases, and prints every mismatch as minimal SQL with both engines' answers.
import pg from 'pg';
import { startCluster } from '../support/cluster.js';
import { startPostgres } from '../support/postgres.js';
import type { Features } from './generator.js';
import { formatMismatch, generateCases, queryFn, runCases, setupTable } from './harness.js';
import { knownBug } from './known-mismatches.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const seed = Number(arg('seed', '20261125'));
const count = Number(arg('cases', '2000'));
const depth = Number(arg('depth', '3'));
const features: Partial<Features> = {};
process.argv.forEach((a, i) => {
  if (a === '--feature') (features as Record<string, boolean>)[process.argv[i + 1] ?? ''] = true;
});

const started = Date.now();
const diffUrl = process.env.TRIBUTARY_DIFF_URL;
const cluster = diffUrl ? undefined : await startCluster({ workers: 2 });
const pgServer = await startPostgres();
const trib = diffUrl ? new pg.Client({ connectionString: diffUrl }) : await cluster!.client('memory.default');
if (diffUrl) await trib.connect();
const pgc = await pgServer.client();
try {
  const engines = { tributary: queryFn(trib), postgres: queryFn(pgc) };
  await setupTable(engines);
  const cases = generateCases({ seed, cases: count, maxDepth: depth, features });
  const t0 = Date.now();
  const report = await runCases(engines, cases, { maxMinimize: Number(arg('minimize', '60')) });
  console.log(
    `seed ${seed}: ${report.cases} cases, ${report.queries} queries per engine, ${report.failing.length} failing, ${((Date.now() - t0) / 1000).toFixed(1)} s (total ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  const seen = new Set<string>();
  for (const m of report.mismatches) {
    if (seen.has(m.sql)) continue;
    seen.add(m.sql);
    const known = knownBug(m);
    console.log(`\n${formatMismatch(m, known ? `known: ${known.id} — ${known.reason}` : 'NEW')}`);
  }
} finally {
  if (diffUrl) await trib.end();
  await pgc.end();
  await pgServer.stop();
  await cluster?.stop();
}
