// dbgen's random number generator (the Park–Miller "minimal standard" LCG, seed * 16807 mod
// 2^31-1) as used by the reference generator. Every column draws from its own stream; a stream
// consumes a fixed number of values per row ("usage per row"), so the seed at any row is the
// initial seed advanced by usage * row steps, computed in O(log n) by `advanceSeed`.
// Seeds stay below 2^31, so every product here is exact in a float64.

export const MODULUS = 2147483647;
const MULTIPLIER = 16807;
const TWO_31 = 2147483648;

/** The next seed of a stream: seed * 16807 mod (2^31 - 1), without a float modulo. */
export function nextSeed(seed: number): number {
  const x = seed * MULTIPLIER;
  const hi = Math.floor(x / TWO_31);
  const r = x - hi * TWO_31 + hi;
  return r >= MODULUS ? r - MODULUS : r;
}

/**
 * dbgen's bounded draw from an already advanced seed: low + (int)((seed / M) * range), with the
 * range computed in 32-bit arithmetic like the original (it overflows for [0, 2^31-1]).
 */
export function boundedValue(seed: number, low: number, high: number): number {
  const range = (high - low + 1) | 0;
  return low + Math.trunc((seed / MODULUS) * range);
}

/** a * b mod (2^31 - 1) for a, b < 2^31, exact in float64 by splitting b into 16-bit halves. */
export function mulMod(a: number, b: number): number {
  const bHi = Math.floor(b / 65536);
  const bLo = b - bHi * 65536;
  const t = (a * bHi) % MODULUS;
  return (t * 65536 + a * bLo) % MODULUS;
}

/** 16807^count mod (2^31 - 1). */
export function multiplierPower(count: number): number {
  let result = 1;
  let multiplier = MULTIPLIER;
  let n = count;
  while (n > 0) {
    if (n % 2 !== 0) result = mulMod(result, multiplier);
    n = Math.floor(n / 2);
    multiplier = mulMod(multiplier, multiplier);
  }
  return result;
}

/** The seed after `count` draws (dbgen's advanceSeed / NthElement). */
export function advanceSeed(seed: number, count: number): number {
  return count <= 0 ? seed : mulMod(seed, multiplierPower(count));
}

/**
 * A stream positioned row by row: `rowSeed` is the seed at the start of the current row, and
 * `next()` draws within it. `startRow(row)` jumps anywhere; `nextRow()` moves on by one row.
 */
export class RowStream {
  private readonly initial: number;
  private readonly rowStep: number;
  rowSeed: number;
  seed: number;

  constructor(
    initialSeed: number,
    readonly usagePerRow: number,
    row = 0,
  ) {
    this.initial = initialSeed;
    this.rowStep = multiplierPower(usagePerRow);
    this.rowSeed = advanceSeed(initialSeed, usagePerRow * row);
    this.seed = this.rowSeed;
  }

  startRow(row: number): void {
    this.rowSeed = advanceSeed(this.initial, this.usagePerRow * row);
    this.seed = this.rowSeed;
  }

  nextRow(): void {
    this.rowSeed = mulMod(this.rowSeed, this.rowStep);
    this.seed = this.rowSeed;
  }

  /** A value in [low, high] (dbgen's nextInt). */
  next(low: number, high: number): number {
    this.seed = nextSeed(this.seed);
    return low + Math.trunc((this.seed / MODULUS) * ((high - low + 1) | 0));
  }
}

/**
 * Draws one value in [low, high] per row for rows [startRow, startRow + out.length) of a stream
 * that consumes `usagePerRow` values per row (the first value of each row).
 */
export function drawPerRow(
  initialSeed: number,
  usagePerRow: number,
  startRow: number,
  low: number,
  high: number,
  out: Int32Array,
): Int32Array {
  const step = multiplierPower(usagePerRow);
  const range = (high - low + 1) | 0;
  let rowSeed = advanceSeed(initialSeed, usagePerRow * startRow);
  for (let i = 0; i < out.length; i++) {
    out[i] = low + Math.trunc((nextSeed(rowSeed) / MODULUS) * range);
    rowSeed = mulMod(rowSeed, step);
  }
  return out;
}

/**
 * Draws `counts[r]` consecutive values in [low, high] for each row r (a lineitem stream: one value
 * per line of an order), into `out` (length = sum of counts).
 */
export function drawPerLine(
  initialSeed: number,
  usagePerRow: number,
  startRow: number,
  counts: Uint8Array,
  low: number,
  high: number,
  out: Int32Array,
): Int32Array {
  const step = multiplierPower(usagePerRow);
  const range = (high - low + 1) | 0;
  let rowSeed = advanceSeed(initialSeed, usagePerRow * startRow);
  let k = 0;
  for (let r = 0; r < counts.length; r++) {
    let seed = rowSeed;
    const n = counts[r] ?? 0;
    for (let j = 0; j < n; j++) {
      const x = seed * MULTIPLIER;
      const hi = Math.floor(x / TWO_31);
      seed = x - hi * TWO_31 + hi;
      if (seed >= MODULUS) seed -= MODULUS;
      out[k++] = low + Math.trunc((seed / MODULUS) * range);
    }
    rowSeed = mulMod(rowSeed, step);
  }
  return out;
}
