// The wire protocol server driven by the real psql binary (SSLRequest, simple query, errors).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgServer, startPgServer } from '../../../coordinator/protocol/server.js';
import { testEngine } from './test-engine.js';

const PSQL = '/usr/bin/psql';
let server: PgServer;

function psql(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      PSQL,
      ['-X', '-h', '127.0.0.1', '-p', String(server.port), '-U', 'u', '-d', 'db', ...args],
      { env: { ...process.env, PGCONNECT_TIMEOUT: '5', PGPASSWORD: '' }, timeout: 10_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  server = await startPgServer({ port: 0, engine: testEngine() });
});
afterAll(async () => {
  await server.close();
});

describe.skipIf(!existsSync(PSQL))('pg wire server with psql', () => {
  it('runs select 1', async () => {
    const r = await psql('-A', '-t', '-c', 'select 1');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1\n');
    expect(r.code).toBe(0);
  });

  it('prints typed values and NULLs in aligned output', async () => {
    const r = await psql('-A', '-F', '|', '-c', 'select types');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('b|i|l|d|n|ln|s|dt|ts|u');
    expect(lines[1]).toBe('t|-42|9007199254740993|0.1|-123.45|-1.000|héllo|1969-12-31|2023-11-14 22:13:20.1234|');
    expect(lines[3]).toBe('(2 rows)');
  });

  it('shows a syntax error with the position caret', async () => {
    const r = await psql('-c', 'select 1 frm t');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('ERROR:  syntax error at or near "frm"');
    expect(r.stderr).toContain('LINE 1: select 1 frm t\n                 ^');
  });

  it('runs several statements in one -c and stops at an error', async () => {
    const r = await psql('-A', '-t', '-c', 'select 1; select 2; select * from missing; select 3');
    expect(r.stdout).toBe('1\n2\n');
    expect(r.stderr).toContain('ERROR:  relation "missing" does not exist');
    expect(r.stderr).toContain('DETAIL:  some detail');
    expect(r.stderr).toContain('HINT:  some hint');
  });

  it('keeps the session after an error: the next -c runs on the same connection', async () => {
    const r = await psql('-A', '-t', '-c', 'select boom', '-c', 'select 4');
    expect(r.stderr).toContain('ERROR:  internal error: boom');
    expect(r.stdout).toBe('4\n');
  });
});
