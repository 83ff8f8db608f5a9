// Framing and decoding of frontend messages (after pg-protocol's parser.ts, server side):
// chunks from the socket are merged until a whole message is present; a message never
// references the input buffer after it is returned (Bind parameters are copied).
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';
import { FrontendCode, StartupCode } from './codes.js';
import type { FrontendMessage, StartupMessage } from './messages.js';

/** Larger messages are refused as a protocol violation (PostgreSQL's limit is 1 GB). */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
const MAX_STARTUP_BYTES = 10_000;

const EMPTY = Buffer.alloc(0);

function violation(message: string): SqlError {
  return new SqlError(SqlStates.protocolViolation, message);
}

/** Cursor over one message body. */
class BodyReader {
  buf: Buffer = EMPTY;
  pos = 0;
  end = 0;

  reset(buf: Buffer, start: number, end: number): void {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw violation('invalid message format');
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  cstring(): string {
    const nul = this.buf.indexOf(0, this.pos);
    if (nul < 0 || nul >= this.end) throw violation('invalid string in message');
    const s = this.buf.toString('utf8', this.pos, nul);
    this.pos = nul + 1;
    return s;
  }

  /** A copy of the next n bytes. */
  bytes(n: number): Buffer {
    this.need(n);
    const out = Buffer.allocUnsafe(n);
    this.buf.copy(out, 0, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  int16Array(): number[] {
    const n = this.int16();
    if (n < 0) throw violation('invalid array length in message');
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.int16();
    return out;
  }
}

export type ParsedMessage = StartupMessage | FrontendMessage;

export class MessageParser {
  private buffer: Buffer = EMPTY;
  private bufferOffset = 0;
  private bufferLength = 0;
  private readonly reader = new BodyReader();
  /** Until the StartupMessage, messages have no type byte. */
  private startupPhase = true;

  /** Feeds a chunk; calls `onMessage` for every complete message. Throws SqlError 08P01 on garbage. */
  parse(chunk: Buffer, onMessage: (m: ParsedMessage) => void): void {
    this.merge(chunk);
    const end = this.bufferOffset + this.bufferLength;
    let offset = this.bufferOffset;
    const buf = this.buffer;
    while (true) {
      if (this.startupPhase) {
        if (offset + 4 > end) break;
        const len = buf.readInt32BE(offset);
        if (len < 8 || len > MAX_STARTUP_BYTES) throw violation('invalid length of startup packet');
        if (offset + len > end) break;
        const m = this.decodeStartup(buf, offset + 4, offset + len);
        offset += len;
        if (m.kind === 'startup') this.startupPhase = false;
        onMessage(m);
        if (m.kind === 'cancelRequest') break;
      } else {
        if (offset + 5 > end) break;
        const code = buf[offset]!;
        const len = buf.readInt32BE(offset + 1);
        if (len < 4 || len > MAX_MESSAGE_BYTES) throw violation(`invalid message length ${len}`);
        if (offset + 1 + len > end) break;
        const m = this.decode(code, buf, offset + 5, offset + 1 + len);
        offset += 1 + len;
        onMessage(m);
      }
    }
    if (offset === end) {
      this.buffer = EMPTY;
      this.bufferOffset = 0;
      this.bufferLength = 0;
    } else {
      this.bufferLength = end - offset;
      this.bufferOffset = offset;
    }
  }

  private merge(chunk: Buffer): void {
    if (this.bufferLength === 0) {
      this.buffer = chunk;
      this.bufferOffset = 0;
      this.bufferLength = chunk.length;
      return;
    }
    const newLength = this.bufferLength + chunk.length;
    if (this.bufferOffset + newLength > this.buffer.length) {
      let size = Math.max(this.buffer.length * 2, 8192);
      while (size < newLength) size *= 2;
      const next = Buffer.allocUnsafe(size);
      this.buffer.copy(next, 0, this.bufferOffset, this.bufferOffset + this.bufferLength);
      this.buffer = next;
      this.bufferOffset = 0;
    }
    chunk.copy(this.buffer, this.bufferOffset + this.bufferLength);
    this.bufferLength = newLength;
  }

  private decodeStartup(buf: Buffer, start: number, end: number): StartupMessage {
    const r = this.reader;
    r.reset(buf, start, end);
    const code = r.int32();
    switch (code) {
      case StartupCode.sslRequest:
        return { kind: 'sslRequest' };
      case StartupCode.gssEncRequest:
        return { kind: 'gssEncRequest' };
      case StartupCode.cancelRequest:
        return { kind: 'cancelRequest', processId: r.int32(), secretKey: r.int32() };
      default: {
        const major = code >>> 16;
        if (major !== 3) {
          throw new SqlError(
            SqlStates.featureNotSupported,
            `unsupported frontend protocol ${major}.${code & 0xffff}: server supports 3.0 to 3.0`,
          );
        }
        const params = new Map<string, string>();
        while (r.pos < r.end) {
          if (buf[r.pos] === 0) break;
          const key = r.cstring();
          params.set(key, r.cstring());
        }
        return { kind: 'startup', minorVersion: code & 0xffff, params };
      }
    }
  }

  private decode(code: number, buf: Buffer, start: number, end: number): FrontendMessage {
    const r = this.reader;
    r.reset(buf, start, end);
    switch (code) {
      case FrontendCode.query:
        return { kind: 'query', sql: r.cstring() };
      case FrontendCode.parse: {
        const name = r.cstring();
        const sql = r.cstring();
        const n = r.int16();
        if (n < 0) throw violation('invalid parameter count');
        const paramOids = new Array<number>(n);
        for (let i = 0; i < n; i++) paramOids[i] = r.int32() >>> 0;
        return { kind: 'parse', name, sql, paramOids };
      }
      case FrontendCode.bind: {
        const portal = r.cstring();
        const statement = r.cstring();
        const paramFormats = r.int16Array();
        const n = r.int16();
        if (n < 0) throw violation('invalid parameter count');
        const params = new Array<Buffer | null>(n);
        for (let i = 0; i < n; i++) {
          const len = r.int32();
          params[i] = len < 0 ? null : r.bytes(len);
        }
        const resultFormats = r.int16Array();
        return { kind: 'bind', portal, statement, paramFormats, params, resultFormats };
      }
      case FrontendCode.describe:
      case FrontendCode.close: {
        const t = r.byte();
        if (t !== 0x53 && t !== 0x50)
          throw violation(`invalid ${code === FrontendCode.close ? 'CLOSE' : 'DESCRIBE'} message subtype ${t}`);
        const name = r.cstring();
        return { kind: code === FrontendCode.close ? 'close' : 'describe', target: t === 0x53 ? 'S' : 'P', name };
      }
      case FrontendCode.execute:
        return { kind: 'execute', portal: r.cstring(), maxRows: r.int32() };
      case FrontendCode.sync:
        return { kind: 'sync' };
      case FrontendCode.flush:
        return { kind: 'flush' };
      case FrontendCode.terminate:
        return { kind: 'terminate' };
      case FrontendCode.functionCall:
      case FrontendCode.copyData:
      case FrontendCode.copyDone:
      case FrontendCode.copyFail:
      case FrontendCode.password:
        return { kind: 'unsupported', code };
      default:
        throw violation(`invalid frontend message type ${code}`);
    }
  }
}
