// Messages between a worker process's main thread and its lake codec threads (codec-pool.ts,
// codec-thread-main.ts). Every request carries an id; each gets exactly one reply with that id.
import type { SerializedSqlError } from '../../common/errors.js';
import type { DecodedBatch, DecodeRequest } from './codec.js';

export type ToThread =
  | { readonly kind: 'decode'; readonly id: number; readonly req: DecodeRequest }
  /** Opens writer `session` on `path`. */
  | { readonly kind: 'open'; readonly id: number; readonly session: number; readonly path: string }
  | { readonly kind: 'write'; readonly id: number; readonly session: number; readonly ipc: Uint8Array }
  | { readonly kind: 'close'; readonly id: number; readonly session: number }
  | { readonly kind: 'abort'; readonly id: number; readonly session: number };

export type FromThread =
  | { readonly kind: 'ready' }
  | { readonly kind: 'decoded'; readonly id: number; readonly batches: DecodedBatch[] }
  | { readonly kind: 'done'; readonly id: number; readonly bytes: number }
  | { readonly kind: 'error'; readonly id: number; readonly error: SerializedSqlError };

/** The distinct ArrayBuffers behind decoded batches, to transfer instead of copy. */
export function transferables(batches: readonly DecodedBatch[], exclude?: ArrayBufferLike): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const b of batches) {
    for (const c of b.columns) {
      for (const view of [c.values, c.offsets, c.validity]) {
        const buf = view?.buffer;
        if (buf instanceof ArrayBuffer && buf !== exclude) seen.add(buf);
      }
    }
  }
  return [...seen];
}
