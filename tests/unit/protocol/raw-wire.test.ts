// The server driven message by message with pg-protocol's own serializer and parser:
// portal suspension, Describe, binary formats, framing of partial packets, malformed input.
import { connect, type Socket } from 'node:net';
import { parse, serialize } from 'pg-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numericBinaryToText } from '../../../coordinator/protocol/binary.js';
import { type PgServer, startPgServer } from '../../../coordinator/protocol/server.js';
import { testEngine } from './test-engine.js';

let server: PgServer;

interface Msg {
  name: string;
  [k: string]: unknown;
}

class RawClient {
  readonly messages: Msg[] = [];
  private waiters: (() => void)[] = [];
  closed = false;
  constructor(readonly socket: Socket) {
    void parse(socket, (m) => {
      this.messages.push(m as unknown as Msg);
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(startup = true): Promise<RawClient> {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const c = new RawClient(socket);
    if (startup) {
      socket.write(serialize.startup({ user: 'u', database: 'db' }));
      await c.until('readyForQuery');
    }
    return c;
  }

  send(...bufs: Buffer[]): void {
    this.socket.write(Buffer.concat(bufs));
  }

  /** Messages up to and including the first one named `name`; removes them. */
  async until(name: string): Promise<Msg[]> {
    while (true) {
      const i = this.messages.findIndex((m) => m.name === name);
      if (i >= 0) return this.messages.splice(0, i + 1);
      if (this.closed) throw new Error(`connection closed before ${name}: ${JSON.stringify(this.messages)}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  end(): void {
    this.socket.end(serialize.end());
  }
}

const names = (ms: Msg[]): string[] => ms.map((m) => m.name);
const fields = (ms: Msg[]): unknown[] => ms.filter((m) => m.name === 'dataRow').map((m) => m.fields);

beforeAll(async () => {
  server = await startPgServer({ port: 0, engine: testEngine() });
});
afterAll(async () => {
  await server.close();
});

describe('pg wire protocol messages', () => {
  it('suspends a portal at the row limit and resumes on the next Execute', async () => {
    const c = await RawClient.open();
    c.send(
      serialize.parse({ text: 'select series 5 batch 2' }),
      serialize.bind({}),
      serialize.describe({ type: 'P' }),
      serialize.execute({ rows: 3 }),
      serialize.flush(),
    );
    const first = await c.until('portalSuspended');
    expect(names(first)).toEqual([
      'parseComplete',
      'bindComplete',
      'rowDescription',
      'dataRow',
      'dataRow',
      'dataRow',
      'portalSuspended',
    ]);
    expect(fields(first)).toEqual([
      ['0', 'row 0'],
      ['1', 'row 1'],
      ['2', 'row 2'],
    ]);
    c.send(serialize.execute({ rows: 3 }), serialize.sync());
    const rest = await c.until('readyForQuery');
    expect(names(rest)).toEqual(['dataRow', 'dataRow', 'commandComplete', 'readyForQuery']);
    expect(rest[2]?.text).toBe('SELECT 2');
    c.end();
  });

  it('describes a statement: parameter types and row description / NoData', async () => {
    const c = await RawClient.open();
    c.send(
      serialize.parse({ name: 's1', text: 'select $1, $2', types: [23, 0] }),
      serialize.describe({ type: 'S', name: 's1' }),
      serialize.parse({ name: 's2', text: 'create table t (x int)' }),
      serialize.describe({ type: 'S', name: 's2' }),
      serialize.sync(),
    );
    const ms = await c.until('readyForQuery');
    expect(names(ms)).toEqual([
      'parseComplete',
      'parameterDescription',
      'rowDescription',
      'parseComplete',
      'parameterDescription',
      'noData',
      'readyForQuery',
    ]);
    expect(ms[1]?.dataTypeIDs).toEqual([23, 1043]);
    c.end();
  });

  it('sends binary results when asked (raw bytes checked)', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.write(
      Buffer.concat([
        serialize.startup({ user: 'u' }),
        serialize.parse({ text: 'select types' }),
        serialize.bind({ binary: true }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
    );
    // split the raw stream into messages; stop at the second ReadyForQuery
    const messages: { type: string; body: Buffer }[] = [];
    while (messages.filter((m) => m.type === 'Z').length < 2) {
      await new Promise((r) => setTimeout(r, 5));
      const all = Buffer.concat(chunks);
      messages.length = 0;
      for (let o = 0; o + 5 <= all.length; ) {
        const len = all.readInt32BE(o + 1);
        if (o + 1 + len > all.length) break;
        messages.push({ type: String.fromCharCode(all[o]!), body: all.subarray(o + 5, o + 1 + len) });
        o += 1 + len;
      }
    }
    socket.destroy();
    const rows = messages
      .filter((m) => m.type === 'D')
      .map((m) => {
        const out: (Buffer | null)[] = [];
        let o = 2;
        for (let i = 0; i < m.body.readInt16BE(0); i++) {
          const len = m.body.readInt32BE(o);
          o += 4;
          out.push(len < 0 ? null : m.body.subarray(o, o + len));
          if (len > 0) o += len;
        }
        return out;
      });
    expect(rows.length).toBe(2);
    const r = rows[0]!;
    expect(r[0]).toEqual(Buffer.from([1]));
    expect(r[1]!.readInt32BE(0)).toBe(-42);
    expect(r[2]!.readBigInt64BE(0)).toBe(9007199254740993n);
    expect(r[3]!.readDoubleBE(0)).toBe(0.1);
    expect(numericBinaryToText(r[4]!)).toBe('-123.45');
    expect(numericBinaryToText(r[5]!)).toBe('-1.000');
    expect(r[6]!.toString('utf8')).toBe('héllo');
    expect(r[7]!.readInt32BE(0)).toBe(-1 - 10957); // days since 2000-01-01
    expect(r[8]!.readBigInt64BE(0)).toBe(1_700_000_000_123_400n - 946_684_800_000_000n);
    expect(r[9]).toBeNull();
    expect(rows[1]).toEqual(Array(10).fill(null));
  });

  it('decodes binary parameters to text for the engine', async () => {
    const c = await RawClient.open();
    const four = Buffer.alloc(4);
    four.writeInt32BE(-7);
    const eight = Buffer.alloc(8);
    eight.writeDoubleBE(2.5);
    c.send(
      serialize.parse({ text: 'select $1, $2, $3', types: [23, 701, 25] }),
      serialize.bind({ values: [four, eight, Buffer.from('txt')] }),
      serialize.execute({}),
      serialize.sync(),
    );
    const echo = await c.until('readyForQuery');
    expect(fields(echo)).toEqual([['-7', '2.5', 'txt']]);
    c.end();
  });

  it('discards messages after an error until Sync', async () => {
    const c = await RawClient.open();
    c.send(
      serialize.parse({ text: 'select * from missing' }),
      serialize.bind({}),
      serialize.execute({}),
      serialize.parse({ text: 'select 1' }),
      serialize.bind({}),
      serialize.execute({}),
      serialize.sync(),
      serialize.query('select 3'),
    );
    const ms = await c.until('readyForQuery');
    expect(names(ms)).toEqual(['parseComplete', 'bindComplete', 'error', 'readyForQuery']);
    expect((ms[2] as unknown as { code: string }).code).toBe('42P01');
    const next = await c.until('readyForQuery');
    expect(fields(next)).toEqual([['3']]);
    c.send(serialize.execute({ portal: 'nope' }), serialize.sync());
    const missing = await c.until('readyForQuery');
    expect((missing[0] as unknown as { code: string }).code).toBe('34000');
    c.end();
  });

  it('frames messages split into single bytes and many messages in one packet', async () => {
    const c = await RawClient.open(false);
    const bytes = Buffer.concat([
      serialize.startup({ user: 'u', database: 'db' }),
      serialize.query('select 11'),
      serialize.query('select 12'),
    ]);
    for (let i = 0; i < bytes.length; i++) {
      c.socket.write(bytes.subarray(i, i + 1));
      if (i % 7 === 0) await new Promise((r) => setImmediate(r));
    }
    await c.until('readyForQuery');
    expect(fields(await c.until('readyForQuery'))).toEqual([['11']]);
    expect(fields(await c.until('readyForQuery'))).toEqual([['12']]);
    c.end();
  });

  it('answers SSLRequest with N and continues with the startup', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const answer = new Promise<Buffer>((r) => socket.once('data', r));
    socket.write(serialize.requestSsl());
    expect((await answer).toString()).toBe('N');
    const c = new RawClient(socket);
    socket.write(serialize.startup({ user: 'u' }));
    const ms = await c.until('readyForQuery');
    const statuses = Object.fromEntries(
      ms.filter((m) => m.name === 'parameterStatus').map((m) => [m.parameterName, m.parameterValue]),
    );
    expect(statuses.server_version).toBe('15.0 (Tributary)');
    expect(statuses.client_encoding).toBe('UTF8');
    expect(statuses.DateStyle).toBe('ISO, MDY');
    expect(statuses.integer_datetimes).toBe('on');
    expect(names(ms)).toContain('backendKeyData');
    c.end();
  });

  it('closes only the offending connection on a malformed message (08P01)', async () => {
    const good = await RawClient.open();
    const bad = await RawClient.open();
    bad.socket.write(Buffer.from([0x51, 0, 0, 0, 2])); // Query with length 2 < 4
    const ms = await bad.until('error');
    expect((ms.at(-1) as unknown as { code: string; severity: string }).code).toBe('08P01');
    await new Promise<void>((r) => (bad.closed ? r() : bad.socket.once('close', () => r())));
    const bad2 = await RawClient.open();
    bad2.socket.write(Buffer.from([0x7a, 0, 0, 0, 4])); // unknown message type 'z'
    expect(((await bad2.until('error')).at(-1) as unknown as { code: string }).code).toBe('08P01');
    good.send(serialize.query('select 8'));
    expect(fields(await good.until('readyForQuery'))).toEqual([['8']]);
    good.end();
  });

  it('rejects a startup without user', async () => {
    const c = await RawClient.open(false);
    c.socket.write(serialize.startup({ database: 'db' }));
    const ms = await c.until('error');
    expect((ms.at(-1) as unknown as { code: string }).code).toBe('28000');
  });
});
