// numeric output: exactly `scale` fraction digits, no exponent, no negative zero.
// Short decimals (p <= 15) arrive as exact scaled integers in a Float64Array; long ones as
// Arrow Decimal128 (4 little-endian uint32 words per value, two's complement).

const TWO_32 = 4294967296;

/** Formats the scaled integer `digits` (no sign, no leading zeros beyond one "0") with `scale`. */
function placePoint(neg: boolean, digits: string, scale: number): string {
  if (scale <= 0) return neg ? `-${digits}` : digits;
  let s = digits;
  if (s.length <= scale) s = '0'.repeat(scale + 1 - s.length) + s;
  const cut = s.length - scale;
  return `${neg ? '-' : ''}${s.slice(0, cut)}.${s.slice(cut)}`;
}

/** `scaled` is value * 10^scale, an integer below 2^53 in magnitude. */
export function formatShortDecimal(scaled: number, scale: number): string {
  const neg = scaled < 0;
  let a = neg ? -scaled : scaled;
  if (a !== Math.floor(a)) a = Math.round(a); // defensive: producers must store integers
  if (a === 0) return placePoint(false, '0', scale);
  return placePoint(neg, String(a), scale);
}

export function formatBigIntDecimal(scaled: bigint, scale: number): string {
  const neg = scaled < 0n;
  const s = (neg ? -scaled : scaled).toString();
  return placePoint(neg && s !== '0', s, scale);
}

/** Reads the Decimal128 at `index` of `words` (4 words per value) as a BigInt. */
export function decimal128ToBigInt(words: Uint32Array, index: number): bigint {
  const o = index * 4;
  const v =
    (BigInt(words[o + 3]!) << 96n) |
    (BigInt(words[o + 2]!) << 64n) |
    (BigInt(words[o + 1]!) << 32n) |
    BigInt(words[o]!);
  return words[o + 3]! & 0x80000000 ? v - (1n << 128n) : v;
}

export function formatLongDecimal(words: Uint32Array, index: number, scale: number): string {
  const o = index * 4;
  const w0 = words[o]!;
  const w1 = words[o + 1]!;
  const w2 = words[o + 2]!;
  const w3 = words[o + 3]!;
  // Fast paths without BigInt when the value fits in 53 bits.
  if (w3 === 0 && w2 === 0 && w1 < 0x200000) return formatShortDecimal(w1 * TWO_32 + w0, scale);
  if (w3 === 0xffffffff && w2 === 0xffffffff && w1 >= 0xffe00000) {
    const mag = (0xffffffff - w1) * TWO_32 + (0xffffffff - w0) + 1;
    return formatShortDecimal(-mag, scale);
  }
  return formatBigIntDecimal(decimal128ToBigInt(words, index), scale);
}
