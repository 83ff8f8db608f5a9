// The body of a lake codec thread (started by codec-thread.js): runs the LocalCodec for the
// worker's main thread and sends decoded buffers back by transfer, not copy. One decode at a time
// is given to a thread (codec-pool.ts); writer sessions interleave with it.
import { parentPort } from 'node:worker_threads';
import { wasmMemory } from 'parquet-wasm';
import { SqlError, toSqlError } from '../../common/errors.js';
import type { ParquetFileWriter } from './codec.js';
import { type FromThread, type ToThread, transferables } from './codec-messages.js';
import { LocalCodec } from './local-codec.js';

const port = parentPort;
if (!port) throw new Error('codec-thread-main.ts runs inside a worker thread');

const codec = new LocalCodec();
const writers = new Map<number, ParquetFileWriter>();

function post(m: FromThread, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(m, transfer);
}

function writer(session: number): ParquetFileWriter {
  const w = writers.get(session);
  if (!w) throw SqlError.internal(`lake codec thread: no writer session ${session}`);
  return w;
}

async function handle(m: ToThread): Promise<void> {
  try {
    switch (m.kind) {
      case 'decode': {
        const batches = await codec.decode(m.req);
        post({ kind: 'decoded', id: m.id, batches }, transferables(batches, wasmMemory().buffer));
        return;
      }
      case 'open':
        writers.set(m.session, await codec.openWriter(m.path));
        post({ kind: 'done', id: m.id, bytes: 0 });
        return;
      case 'write':
        await writer(m.session).write(m.ipc);
        post({ kind: 'done', id: m.id, bytes: 0 });
        return;
      case 'close': {
        const w = writer(m.session);
        writers.delete(m.session);
        post({ kind: 'done', id: m.id, bytes: await w.close() });
        return;
      }
      case 'abort': {
        const w = writers.get(m.session);
        writers.delete(m.session);
        await w?.abort();
        post({ kind: 'done', id: m.id, bytes: 0 });
        return;
      }
    }
  } catch (e) {
    post({ kind: 'error', id: m.id, error: toSqlError(e).toJSON() });
  }
}

port.on('message', (m: ToThread) => {
  void handle(m);
});
post({ kind: 'ready' });
