// One reusable, growing output buffer for all backend messages of a connection (after
// pg-protocol's buffer-writer.ts). Messages are appended back to back; `take()` hands the
// bytes to the socket and starts over.

const SMALL_TAKE = 16 * 1024;

export class BufferWriter {
  private buf: Buffer;
  private off = 0;
  /** Offset of the length field of the message being written. */
  private lenAt = -1;

  constructor(private readonly initialSize = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.off;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.off + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.off);
    this.buf = next;
  }

  /** Starts a message: type byte and a length placeholder, patched by `end()`. */
  begin(code: number): this {
    this.ensure(5);
    this.buf[this.off] = code;
    this.lenAt = this.off + 1;
    this.off += 5;
    return this;
  }

  end(): void {
    this.buf.writeInt32BE(this.off - this.lenAt, this.lenAt);
    this.lenAt = -1;
  }

  /** A message with no body (ParseComplete, NoData...). */
  empty(code: number): void {
    this.ensure(5);
    const b = this.buf;
    const o = this.off;
    b[o] = code;
    b[o + 1] = 0;
    b[o + 2] = 0;
    b[o + 3] = 0;
    b[o + 4] = 4;
    this.off = o + 5;
  }

  byte(v: number): this {
    this.ensure(1);
    this.buf[this.off++] = v;
    return this;
  }

  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.off);
    this.off += 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.off);
    this.off += 4;
    return this;
  }

  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.off);
    this.off += 4;
    return this;
  }

  double(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.off);
    this.off += 8;
    return this;
  }

  /** NUL-terminated UTF-8 string. */
  cstring(s: string): this {
    this.ensure(s.length * 3 + 1);
    this.off += this.buf.write(s, this.off, 'utf8');
    this.buf[this.off++] = 0;
    return this;
  }

  /** Int32 length + UTF-8 bytes (a DataRow field). */
  lengthPrefixedUtf8(s: string): this {
    this.ensure(s.length * 3 + 4);
    const n = this.buf.write(s, this.off + 4, 'utf8');
    this.buf.writeInt32BE(n, this.off);
    this.off += 4 + n;
    return this;
  }

  /** Int32 length + bytes of a string known to be ASCII (formatted numbers and dates). */
  lengthPrefixedAscii(s: string): this {
    const n = s.length;
    this.ensure(n + 4);
    const b = this.buf;
    let o = this.off;
    b.writeInt32BE(n, o);
    o += 4;
    for (let i = 0; i < n; i++) b[o + i] = s.charCodeAt(i);
    this.off = o + n;
    return this;
  }

  /** Int32 length + a copy of bytes[from, to). */
  lengthPrefixedBytes(bytes: Uint8Array, from: number, to: number): this {
    const n = to - from;
    this.ensure(n + 4);
    this.buf.writeInt32BE(n, this.off);
    this.buf.set(bytes.subarray(from, to), this.off + 4);
    this.off += 4 + n;
    return this;
  }

  /** The written bytes, detached from the writer (safe to hand to socket.write), and a reset. */
  take(): Buffer {
    const n = this.off;
    this.off = 0;
    if (n <= SMALL_TAKE) {
      const out = Buffer.allocUnsafe(n); // small: from Node's shared pool
      this.buf.copy(out, 0, 0, n);
      return out;
    }
    const out = this.buf.subarray(0, n);
    this.buf = Buffer.allocUnsafe(Math.max(this.initialSize, Math.min(this.buf.length, 4 * 1024 * 1024)));
    return out;
  }
}
