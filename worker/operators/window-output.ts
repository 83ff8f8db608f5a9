// Window operator: a numeric result column written position by position, without BigInt for
// values that are safe integers (int64 and decimal128 words are written from the number).
import { fitDecimal } from '../../common/expr/literal.js';
import type { DataType } from '../../common/types.js';
import { overflow } from '../expressions/runtime.js';
import { bitmapBytes, type Col, d128Set, type Layout, layoutOf } from '../expressions/vector.js';

const TWO32 = 4294967296;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

export class NumOut {
  readonly layout: Layout;
  private readonly f64: Float64Array | null = null;
  private readonly i32: Int32Array | null = null;
  private readonly i64: BigInt64Array | null = null;
  /** Little-endian words of the i64 / d128 values. */
  private readonly words: Uint32Array | null = null;
  private readonly values: Float64Array | Int32Array | BigInt64Array | Uint32Array;
  private readonly validity: Uint8Array;
  private nulls = 0;
  private readonly precision: number;
  private readonly scale: number;
  private readonly isDecimal: boolean;

  constructor(
    readonly type: DataType,
    readonly n: number,
  ) {
    this.layout = layoutOf(type);
    this.isDecimal = type.kind === 'decimal';
    this.precision = type.kind === 'decimal' ? type.precision : 38;
    this.scale = type.kind === 'decimal' ? type.scale : 0;
    switch (this.layout) {
      case 'f64':
        this.values = this.f64 = new Float64Array(n);
        break;
      case 'i32':
        this.values = this.i32 = new Int32Array(n);
        break;
      case 'i64':
        this.values = this.i64 = new BigInt64Array(n);
        this.words = new Uint32Array(this.i64.buffer);
        break;
      case 'd128':
        this.values = this.words = new Uint32Array(n * 4);
        break;
      default:
        throw new Error(`window function result of layout ${this.layout}`);
    }
    this.validity = new Uint8Array(bitmapBytes(n)).fill(0xff);
  }

  setNull(k: number): void {
    this.validity[k >> 3]! &= ~(1 << (k & 7));
    this.nulls++;
  }

  /** An integer (scaled, for decimals) with |x| < 2^53. */
  setSafe(k: number, x: number): void {
    const w = this.words;
    if (w !== null) {
      if (this.layout === 'i64') {
        w[2 * k] = x >>> 0;
        w[2 * k + 1] = Math.floor(x / TWO32) >>> 0;
      } else {
        const a = 4 * k;
        if (this.precision < 16 && Math.abs(x) >= 10 ** this.precision)
          fitDecimal(BigInt(x), this.precision, this.scale);
        w[a] = x >>> 0;
        w[a + 1] = Math.floor(x / TWO32) >>> 0;
        const ext = x < 0 ? 0xffffffff : 0;
        w[a + 2] = ext;
        w[a + 3] = ext;
      }
    } else if (this.i32 !== null) this.i32[k] = x;
    else {
      if (this.isDecimal && Math.abs(x) >= 10 ** this.precision) fitDecimal(BigInt(x), this.precision, this.scale);
      this.f64![k] = x;
    }
  }

  /** An exact integer (scaled, for decimals) of any size: range checked. */
  setBig(k: number, x: bigint): void {
    switch (this.layout) {
      case 'i64':
        if (x > INT64_MAX || x < INT64_MIN) overflow('bigint');
        this.i64![k] = x;
        return;
      case 'd128':
        d128Set(this.words!, k, fitDecimal(x, this.precision, this.scale) as bigint);
        return;
      case 'f64':
        this.f64![k] = this.isDecimal ? (fitDecimal(x, this.precision, this.scale) as number) : Number(x);
        return;
      default:
        if (x > 2147483647n || x < -2147483648n) overflow('integer');
        this.i32![k] = Number(x);
    }
  }

  /** A double result (only for double columns). */
  setDouble(k: number, x: number): void {
    this.f64![k] = x;
  }

  col(): Col {
    return { values: this.values, offsets: null, validity: this.nulls > 0 ? this.validity : null };
  }
}
