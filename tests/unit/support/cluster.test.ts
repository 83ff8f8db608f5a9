import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, startCluster } from '../../support/cluster.js';
import { isAlive } from '../../support/process-tree.js';

const entry = join(repoRoot, 'tests', 'unit', 'support', 'fixtures', 'fake-cluster.mjs');
const fake = (mode: string) => ({ entry, env: { FAKE_CLUSTER_MODE: mode } });

describe('startCluster (against a fake cluster process)', () => {
  it('reads the ready line, then stops the process and its children', async () => {
    const cluster = await startCluster({ ...fake('ok'), workers: 3 });
    expect(cluster.pgPort).toBe(45678);
    expect(cluster.httpPort).toBe(45679);
    expect(cluster.workers).toBe(3);
    expect(cluster.pgUrl).toBe('postgres://tributary@127.0.0.1:45678/tpch');
    expect(cluster.logs()).toContain('"starting"');
    expect(isAlive(cluster.pid)).toBe(true);
    await cluster.stop();
    expect(isAlive(cluster.pid)).toBe(false);
  });

  it('fails with the stderr tail when the process exits before it is ready', async () => {
    await expect(startCluster(fake('fail'))).rejects.toThrow(/exited \(code 3\)[\s\S]*boom: catalog directory missing/);
  });

  it('fails on timeout when no ready line comes, and kills the process', async () => {
    await expect(startCluster({ ...fake('silent'), startTimeoutMs: 500 })).rejects.toThrow(/ready line within 500 ms/);
  });

  it('reports and kills processes left behind after SIGINT', async () => {
    const cluster = await startCluster({ ...fake('orphan'), stopGraceMs: 1000 });
    await expect(cluster.stop()).rejects.toThrow(/left processes behind/);
  });

  it('kills a cluster that ignores SIGINT', async () => {
    const cluster = await startCluster({ ...fake('stubborn'), stopGraceMs: 500 });
    await expect(cluster.stop()).rejects.toThrow(/did not exit within 500 ms/);
    expect(isAlive(cluster.pid)).toBe(false);
  });
});
