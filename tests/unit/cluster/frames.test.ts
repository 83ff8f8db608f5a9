import { Field, Int32, makeData, makeTable, RecordBatch, Schema, Struct, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  decodeBatchPayload,
  encodeBatchFrame,
  encodeBatchPayload,
  encodeEndFrame,
  encodeErrorFrame,
  FrameDecoder,
  parseFrame,
} from '../../../common/exchange/frames.js';
import type { TaskStats } from '../../../common/plan/task.js';

function batch(values: number[]): RecordBatch {
  return makeTable({ a: Int32Array.from(values), b: Float64Array.from(values.map((v) => v / 2)) }).batches[0]!;
}

const stats: TaskStats = {
  taskId: 'q.0.0',
  nodeId: 'w1',
  splits: 2,
  outputRows: 3,
  outputBytes: 10,
  elapsedMs: 1,
  operators: [],
};

describe('exchange frames', () => {
  it('round-trips a batch that holds the same column twice (SELECT a, a), for every length', () => {
    for (const n of [1, 2, 3, 4, 7, 8, 100]) {
      const ints = makeData({ type: new Int32(), length: n, data: Int32Array.from({ length: n }, (_, i) => i * 3) });
      const strs = vectorFromArray(
        Array.from({ length: n }, (_, i) => `v${i}`),
        new Utf8(),
      ).data[0]!;
      const fields = ['a', 'a2', 's', 's2'].map((name, i) => new Field(name, i < 2 ? new Int32() : new Utf8(), true));
      const data = makeData({ type: new Struct(fields), length: n, children: [ints, ints, strs, strs] });
      const back = decodeBatchPayload(encodeBatchPayload(new RecordBatch(new Schema(fields), data)));
      expect(Array.from(back.getChild('a2')!.toArray() as Int32Array)).toEqual(
        Array.from({ length: n }, (_, i) => i * 3),
      );
      expect(back.getChild('s2')!.toArray()).toEqual(Array.from({ length: n }, (_, i) => `v${i}`));
    }
  });

  it('encodes kind, big-endian length and payload', () => {
    const f = encodeErrorFrame({ sqlState: '22012', message: 'division by zero' });
    expect(f[0]).toBe(2);
    expect(f.readUInt32BE(1)).toBe(f.byteLength - 5);
    expect(JSON.parse(f.subarray(5).toString('utf8'))).toEqual({ sqlState: '22012', message: 'division by zero' });
  });

  it('round-trips batches, errors and end through a decoder fed byte by byte', () => {
    const stream = Buffer.concat([
      encodeBatchFrame(batch([1, 2, 3])),
      encodeBatchFrame(batch([4])),
      encodeErrorFrame({ sqlState: '22012', message: 'x' }),
      encodeEndFrame(stats),
    ]);
    const d = new FrameDecoder();
    const frames = [];
    for (let i = 0; i < stream.byteLength; i++) {
      d.push(stream.subarray(i, i + 1));
      for (let f = d.next(); f; f = d.next()) frames.push(parseFrame(f));
    }
    expect(d.pendingBytes).toBe(0);
    expect(frames.map((f) => f.kind)).toEqual(['batch', 'batch', 'error', 'end']);
    const first = frames[0]!;
    if (first.kind !== 'batch') throw new Error('expected batch');
    expect([...first.batch.getChildAt(0)!]).toEqual([1, 2, 3]);
    expect([...first.batch.getChildAt(1)!]).toEqual([0.5, 1, 1.5]);
    const end = frames[3]!;
    expect(end.kind === 'end' && end.stats).toEqual(stats);
  });

  it('decodes a payload at an unaligned offset', () => {
    const frame = encodeBatchFrame(batch([7, 8]));
    const shifted = Buffer.alloc(frame.byteLength + 3);
    frame.copy(shifted, 3);
    const b = decodeBatchPayload(shifted.subarray(3 + 5));
    expect([...b.getChildAt(0)!]).toEqual([7, 8]);
  });

  it('keeps a partial frame pending', () => {
    const f = encodeBatchFrame(batch([1]));
    const d = new FrameDecoder();
    d.push(f.subarray(0, f.byteLength - 1));
    expect(d.next()).toBeUndefined();
    expect(d.pendingBytes).toBe(f.byteLength - 1);
    d.push(f.subarray(f.byteLength - 1));
    expect(d.next()?.kind).toBe(1);
  });

  it('rejects an unknown frame kind', () => {
    expect(() => parseFrame({ kind: 9, payload: new Uint8Array() })).toThrow(/unknown exchange frame kind 9/);
  });
});
