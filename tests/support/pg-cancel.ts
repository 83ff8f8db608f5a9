// Helpers for tests that cancel a statement over the PostgreSQL protocol and look at its error.
import { connect } from 'node:net';
import type pg from 'pg';

/** The error a promise rejects with (`no error` when it resolves). */
export function errorOf(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  return p.then(
    () => ({ message: 'no error' }),
    (e: unknown) => e as { code?: string; message: string },
  );
}

/** A PostgreSQL CancelRequest for the statement running on `client`, on a new connection to `port`. */
export function cancelRequest(client: pg.Client, port: number): Promise<void> {
  const keys = client as unknown as { processID: number; secretKey: number };
  const msg = Buffer.alloc(16);
  msg.writeInt32BE(16, 0);
  msg.writeInt32BE(80877102, 4);
  msg.writeInt32BE(keys.processID, 8);
  msg.writeInt32BE(keys.secretKey, 12);
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.end(msg));
    s.on('close', () => resolve());
    s.on('error', reject);
  });
}
