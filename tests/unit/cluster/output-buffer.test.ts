import { makeTable, type RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, parseFrame } from '../../../common/exchange/frames.js';
import type { TaskStats } from '../../../common/plan/task.js';
import { OutputBuffer, type PartitionFn } from '../../../worker/exchange/output-buffer.js';

function batch(n: number, start = 0): RecordBatch {
  return makeTable({ a: Int32Array.from({ length: n }, (_, i) => start + i) }).batches[0]!;
}
const stats: TaskStats = {
  taskId: 't',
  nodeId: 'n',
  splits: 0,
  outputRows: 0,
  outputBytes: 0,
  elapsedMs: 0,
  operators: [],
};

async function drain(buf: OutputBuffer, part: number): Promise<string[]> {
  const r = buf.reader(part);
  const kinds: string[] = [];
  for (let f = await r.next(); f; f = await r.next()) {
    const d = new FrameDecoder();
    d.push(f);
    const frame = parseFrame(d.next()!);
    kinds.push(frame.kind === 'batch' ? `batch:${frame.batch.numRows}` : frame.kind);
  }
  return kinds;
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('OutputBuffer', () => {
  it('blocks the producer while a partition holds more than the bound, until the consumer drains', async () => {
    const buf = new OutputBuffer({ partitions: 1, partitioning: { kind: 'single' }, maxBufferedBytes: 1000 });
    await buf.add(batch(10)); // small: below the bound
    let resolved = false;
    const p = buf.add(batch(1000)).then(() => {
      resolved = true;
    });
    await tick();
    expect(resolved).toBe(false);
    expect(buf.bufferedBytes(0)).toBeGreaterThan(1000);
    const r = buf.reader(0);
    await r.next(); // first (small) frame: still above the bound
    await tick();
    expect(resolved).toBe(false);
    await r.next(); // the big frame: queue empty, producer released
    await p;
    expect(resolved).toBe(true);
  });

  it('releases the producer when the consumer abandons the partition', async () => {
    const buf = new OutputBuffer({ partitions: 1, partitioning: { kind: 'single' }, maxBufferedBytes: 100 });
    let abandoned = false;
    const buf2 = new OutputBuffer({
      partitions: 1,
      partitioning: { kind: 'single' },
      maxBufferedBytes: 100,
      onAllAbandoned: () => {
        abandoned = true;
      },
    });
    const r = buf2.reader(0);
    const p = buf2.add(batch(100));
    r.close();
    await p;
    expect(abandoned).toBe(true);
    expect(buf2.bufferedBytes(0)).toBe(0);
    expect(buf.partitions).toBe(1);
  });

  it('broadcast sends every batch to every partition, then END', async () => {
    const buf = new OutputBuffer({ partitions: 3, partitioning: { kind: 'broadcast' } });
    await buf.add(batch(5));
    await buf.add(batch(0)); // empty batches are skipped
    await buf.add(batch(2));
    buf.finish(stats);
    for (let i = 0; i < 3; i++) expect(await drain(buf, i)).toEqual(['batch:5', 'batch:2', 'end']);
    expect(buf.isDrained()).toBe(true);
  });

  it('hash partitioning routes the partitioner output and skips empty parts', async () => {
    const split: PartitionFn = (b, keys, n) => {
      expect(keys).toEqual([0]);
      expect(n).toBe(2);
      return [b.slice(0, 1), null];
    };
    const buf = new OutputBuffer({ partitions: 2, partitioning: { kind: 'hash', keys: [0] }, partitionBatch: split });
    await buf.add(batch(4));
    buf.finish(stats);
    expect(await drain(buf, 0)).toEqual(['batch:1', 'end']);
    expect(await drain(buf, 1)).toEqual(['end']);
  });

  it('fail drops queued data and delivers the error first; a second reader is refused', async () => {
    const buf = new OutputBuffer({ partitions: 1, partitioning: { kind: 'single' } });
    await buf.add(batch(3));
    buf.fail({ sqlState: '22012', message: 'division by zero' });
    expect(await drain(buf, 0)).toEqual(['error']);
    expect(() => buf.reader(0)).toThrow(/already being read/);
  });

  it('abort wakes a blocked producer', async () => {
    const buf = new OutputBuffer({ partitions: 1, partitioning: { kind: 'single' }, maxBufferedBytes: 10 });
    buf.reader(0);
    const p = buf.add(batch(100));
    buf.abort();
    await p;
  });
});
