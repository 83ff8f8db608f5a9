// Builds an Arrow Utf8 column (Int32 offsets + bytes) directly from byte slices, growing the
// byte buffer geometrically. Values are ASCII, so bytes and characters coincide.

export class Utf8Builder {
  bytes: Uint8Array;
  offsets: Int32Array;
  length = 0;
  private pos = 0;

  constructor(rows: number, bytesPerRow: number) {
    this.offsets = new Int32Array(rows + 1);
    this.bytes = new Uint8Array(Math.max(16, rows * bytesPerRow));
  }

  /** Makes room for `n` more bytes; returns the write position. */
  reserve(n: number): number {
    if (this.pos + n > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + n));
      grown.set(this.bytes.subarray(0, this.pos));
      this.bytes = grown;
    }
    return this.pos;
  }

  /** Ends the current value at byte position `end` (after writing into `bytes` from `reserve`). */
  endValue(end: number): void {
    this.pos = end;
    this.offsets[++this.length] = end;
  }

  append(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    const at = this.reserve(n);
    const bytes = this.bytes;
    // A plain loop: values are short, and subarray() would allocate per value.
    for (let i = 0; i < n; i++) bytes[at + i] = src[start + i] ?? 0;
    this.endValue(at + n);
  }

  /** Takes over fully built buffers (`bytes` already set, `offsets` of `rows` values). */
  adopt(offsets: Int32Array, rows: number, byteLength: number): void {
    this.offsets = offsets;
    this.length = rows;
    this.pos = byteLength;
  }

  finish(): { values: Uint8Array; offsets: Int32Array; validity: null } {
    return {
      values: this.bytes.subarray(0, this.pos),
      offsets: this.offsets.subarray(0, this.length + 1),
      validity: null,
    };
  }
}

const ENCODER = new TextEncoder();

export function ascii(s: string): Uint8Array {
  return ENCODER.encode(s);
}

/** Writes `value` as exactly `width` decimal digits (zero padded) at `at`; returns the end. */
export function writeDigits(bytes: Uint8Array, at: number, value: number, width: number): number {
  let v = value;
  for (let i = width - 1; i >= 0; i--) {
    bytes[at + i] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  return at + width;
}

/** Writes `value` (>= 0) in decimal without padding; returns the end. */
export function writeNumber(bytes: Uint8Array, at: number, value: number): number {
  let width = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) width++;
  return writeDigits(bytes, at, value, width);
}

export function writeBytes(bytes: Uint8Array, at: number, src: Uint8Array): number {
  for (let i = 0; i < src.length; i++) bytes[at + i] = src[i] ?? 0;
  return at + src.length;
}
