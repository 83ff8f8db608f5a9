import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFailures } from '../../slt/executor.js';
import { runSltFile } from '../../slt/harness.js';
import { main } from '../../slt/runner.js';
import { repoRoot } from '../../support/cluster.js';
import { startPostgres, type TestPostgres } from '../../support/postgres.js';

const fixtures = join(repoRoot, 'tests', 'unit', 'support', 'fixtures');

// The runner is checked against a real PostgreSQL, the same server pg_compat_*.slt files use.
describe('slt runner on PostgreSQL', () => {
  let server: TestPostgres;
  let scratch: string;
  beforeAll(async () => {
    server = await startPostgres();
    scratch = await mkdtemp(join(tmpdir(), 'tributary-slt-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('passes a file whose expectations hold, honouring skipif/onlyif/halt', async () => {
    const result = await runSltFile(join(fixtures, 'pg-basic.slt'), { engine: 'postgresql', url: server.url });
    expect(formatFailures(result)).toBe('');
    expect(result.failed).toBe(0);
    expect(result.passed).toBe(11);
    expect(result.skipped).toBe(2);
  });

  it('drops the per-file schema afterwards', async () => {
    const left = await server.query("select nspname from pg_namespace where nspname like 'slt_%'");
    expect(left.rows).toEqual([]);
  });

  it('reports each mismatch with file:line, expected and actual', async () => {
    const result = await runSltFile(
      join(fixtures, 'pg-wrong.slt'),
      { engine: 'postgresql', url: server.url },
      {
        displayPath: 'pg-wrong.slt',
      },
    );
    expect(result.passed).toBe(2);
    expect(result.failed).toBe(5);
    const report = formatFailures(result);
    expect(report).toContain(
      'pg-wrong.slt:8: [postgresql] query result mismatch (rowsort)\n  expected:\n    1 one\n    2 deux\n    3 NULL\n  actual:\n    1 one\n    2 two\n    3 NULL',
    );
    expect(report).toContain('pg-wrong.slt:15: [postgresql] expected 1 columns (query I), got 2 (IT)');
    expect(report).toContain('pg-wrong.slt:20: [postgresql] statement failed: 42P01: table "nope" does not exist');
    expect(report).toContain('pg-wrong.slt:23: [postgresql] statement succeeded, expected SQLSTATE 42P01');
    expect(report).toContain(
      'pg-wrong.slt:26: [postgresql] query result mismatch (nosort)\n  expected:\n    (no rows)\n  actual:\n    42',
    );
  });

  it('--complete rewrites the failing expectations, after which the file passes', async () => {
    const copy = join(scratch, 'pg-wrong.slt');
    await copyFile(join(fixtures, 'pg-wrong.slt'), copy);
    const lines: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(['--complete', '--engine', 'postgresql', '--url', server.url, copy]);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    expect(lines.join('')).toMatch(/2 passed, 5 failed/);
    const completed = await readFile(copy, 'utf8');
    expect(completed).toContain('query IT rowsort\nSELECT a, b FROM t\n----\n1 one\n2 two\n3 NULL\n');
    expect(completed).toContain('query IT\nSELECT a, b FROM t WHERE a = 1\n----\n1 one\n');
    expect(completed).toContain('statement error 42P01\nDROP TABLE nope\n');
    expect(completed).toContain('statement ok\nSELECT 1\n');
    expect(completed).toContain('query I\nSELECT 42\n----\n42\n');
    const again = await runSltFile(copy, { engine: 'postgresql', url: server.url });
    expect(formatFailures(again)).toBe('');
    expect(again.passed).toBe(7);
  });
});
