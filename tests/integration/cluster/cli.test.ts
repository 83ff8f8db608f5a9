// `tributary start` end to end: ready line, workers registered, clean shutdown with no children left.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { NodeInfo } from '../../../common/plan/task.js';
import { until } from './helpers.js';

const ENTRY = fileURLToPath(new URL('../../../bin/tributary.js', import.meta.url));
const coordinatorReady = existsSync(fileURLToPath(new URL('../../../coordinator/main.ts', import.meta.url)));

function run(args: string[]) {
  const child = spawn(process.execPath, [ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => out, err: () => err, exit };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('tributary CLI', () => {
  it('prints help for each command', async () => {
    const cmds = ['start', 'coordinator', 'worker', 'query'];
    const runs = cmds.map((cmd) => run([cmd, '--help']));
    for (const [i, p] of runs.entries()) {
      expect(await p.exit).toBe(0);
      expect(p.out()).toContain(`Usage: tributary ${cmds[i]}`);
    }
    const bad = run(['frobnicate']);
    expect(await bad.exit).toBe(2);
    expect(bad.err()).toContain("unknown command 'frobnicate'");
  });

  it.skipIf(!coordinatorReady)('start: ready JSON line, two workers, SIGTERM leaves no process behind', async () => {
    const p = run(['start', '--pg-port', '0', '--http-port', '0', '--workers', '2']);
    await until(() => p.out().includes('"event":"ready"'), 45_000, `ready line (stderr: ${p.err()})`);
    const line = p
      .out()
      .split('\n')
      .find((l) => l.startsWith('{"event":"ready"'))!;
    const ready = JSON.parse(line) as { pgPort: number; httpPort: number; workers: number };
    expect(ready.workers).toBe(2);
    expect(ready.pgPort).toBeGreaterThan(0);
    const nodes = (await (await fetch(`http://127.0.0.1:${ready.httpPort}/v1/nodes`)).json()) as NodeInfo[];
    expect(nodes.filter((n) => !n.coordinator)).toHaveLength(2);
    const workerPids = await childPids(p.child.pid!);
    expect(workerPids.length).toBeGreaterThanOrEqual(2);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    await until(() => workerPids.every((pid) => !alive(pid)), 10_000, 'worker processes to exit');
  });
});

async function childPids(pid: number): Promise<number[]> {
  const { readFile } = await import('node:fs/promises');
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text.trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
