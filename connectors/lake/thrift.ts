// A generic Thrift compact-protocol decoder, enough for Parquet's FileMetaData: structs become
// objects keyed by field id, lists arrays, binaries Uint8Array, integers numbers (footer
// integers are sizes, counts and enums; 64-bit values beyond 2^53 lose precision, which no
// field we use can reach). Throws a plain Error on malformed input; callers name the file.

export type ThriftValue = boolean | number | Uint8Array | ThriftStruct | readonly ThriftValue[];
export type ThriftStruct = { readonly [field: number]: ThriftValue };

const STOP = 0;
const TRUE = 1;
const FALSE = 2;
const BYTE = 3;
const I16 = 4;
const I32 = 5;
const I64 = 6;
const DOUBLE = 7;
const BINARY = 8;
const LIST = 9;
const SET = 10;
const MAP = 11;
const STRUCT = 12;

const MAX_DEPTH = 64;

export class CompactReader {
  private pos = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private byte(): number {
    if (this.pos >= this.buf.length) throw new Error('thrift: unexpected end of footer');
    return this.buf[this.pos++]!;
  }

  private varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new Error('thrift: varint too long');
  }

  private zigzag(): number {
    const n = this.varint();
    // n is non-negative; (n >>> 1) ^ -(n & 1) without 32-bit truncation
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  private value(type: number, depth: number): ThriftValue {
    if (depth > MAX_DEPTH) throw new Error('thrift: nesting too deep');
    switch (type) {
      case TRUE:
        return true;
      case FALSE:
        return false;
      case BYTE: {
        const b = this.byte();
        return b > 127 ? b - 256 : b;
      }
      case I16:
      case I32:
      case I64:
        return this.zigzag();
      case DOUBLE: {
        if (this.pos + 8 > this.buf.length) throw new Error('thrift: unexpected end of footer');
        const d = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return d;
      }
      case BINARY: {
        const n = this.varint();
        if (this.pos + n > this.buf.length) throw new Error('thrift: binary past the end of footer');
        const out = this.buf.subarray(this.pos, this.pos + n);
        this.pos += n;
        return out;
      }
      case LIST:
      case SET: {
        const head = this.byte();
        let size = head >> 4;
        if (size === 15) size = this.varint();
        const elem = head & 0x0f;
        const out: ThriftValue[] = [];
        for (let i = 0; i < size; i++) {
          // booleans inside collections are one byte each
          out.push(elem === TRUE || elem === FALSE ? this.byte() === TRUE : this.value(elem, depth + 1));
        }
        return out;
      }
      case MAP: {
        const size = this.varint();
        if (size === 0) return [];
        const kv = this.byte();
        const out: ThriftValue[] = [];
        for (let i = 0; i < size; i++) {
          out.push([this.value(kv >> 4, depth + 1), this.value(kv & 0x0f, depth + 1)]);
        }
        return out;
      }
      case STRUCT:
        return this.struct(depth + 1);
      default:
        throw new Error(`thrift: unknown compact type ${type}`);
    }
  }

  struct(depth = 0): ThriftStruct {
    const out: Record<number, ThriftValue> = {};
    let last = 0;
    for (;;) {
      const head = this.byte();
      const type = head & 0x0f;
      if (type === STOP) return out;
      const delta = head >> 4;
      const id = delta === 0 ? this.zigzag() : last + delta;
      last = id;
      out[id] = this.value(type, depth);
    }
  }
}

export function decodeStruct(buf: Uint8Array): ThriftStruct {
  return new CompactReader(buf).struct();
}
