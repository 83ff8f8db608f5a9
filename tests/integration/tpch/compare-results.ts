// Compares a query's answer from Tributary with PostgreSQL's, both read as raw text (every value
// exactly as it came over the wire, or null).
//
// - Row counts must be equal.
// - The rows must be the same multiset (both sides sorted the same way before the row-by-row check).
// - Where the query orders its output, the sequence of the ORDER BY columns must be the same on both
//   sides (rows tied on the ordering may come in any order).
// - Values: exact decimals of the same scale must be exactly equal. Exact decimals of different
//   scales (Trino's rules for avg and division give other scales than PostgreSQL's numeric) must
//   agree once the finer one is rounded to the coarser scale. Anything involving an approximate
//   number (double, exponent notation) is compared with a relative tolerance: 1e-9, or 1e-6 for
//   columns declared approximate (avg / division results).

export interface ColumnInfo {
  readonly name: string;
  readonly typeOid: number;
}

export interface Answer {
  readonly columns: readonly ColumnInfo[];
  readonly rows: readonly (readonly (string | null)[])[];
}

export interface CompareOptions {
  /** Output column indexes of the ORDER BY keys, in ORDER BY order; empty: no ordering to check. */
  readonly orderKeys: readonly number[];
  /** Output column indexes derived from avg or division: relative tolerance 1e-6. */
  readonly approx?: readonly number[];
}

const NUMERIC_OIDS = new Set([20, 21, 23, 26, 700, 701, 1700]);
const EXACT_DECIMAL = /^[+-]?\d+(?:\.(\d*))?$/;
const STRICT_TOLERANCE = 1e-9;
const APPROX_TOLERANCE = 1e-6;

/** An exact decimal as a scaled BigInt, or undefined when the text is not one. */
function parseExact(text: string): { readonly unscaled: bigint; readonly scale: number } | undefined {
  const m = EXACT_DECIMAL.exec(text);
  if (!m) return undefined;
  const fraction = m[1] ?? '';
  const digits = text.replace(/^[+]/, '').replace('.', '');
  return { unscaled: BigInt(digits), scale: fraction.length };
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** Why two values differ, or undefined when they agree. */
export function compareValue(
  ours: string | null,
  theirs: string | null,
  numeric: boolean,
  approx: boolean,
): string | undefined {
  if (ours === null || theirs === null) {
    return ours === theirs ? undefined : `${show(ours)} <> ${show(theirs)}`;
  }
  if (!numeric) return ours === theirs ? undefined : `${show(ours)} <> ${show(theirs)}`;
  const a = parseExact(ours);
  const b = parseExact(theirs);
  if (a !== undefined && b !== undefined) {
    if (a.scale === b.scale && !approx) {
      return a.unscaled === b.unscaled ? undefined : `${ours} <> ${theirs} (exact decimals)`;
    }
    if (approx) {
      // Both are exact, but the scales differ: the coarser one must be the finer one rounded.
      const [coarse, fine] = a.scale < b.scale ? [a, b] : [b, a];
      const shift = pow10(fine.scale - coarse.scale);
      // |fine - coarse * shift| <= shift / 2 (a tie may round either way).
      const diff = fine.unscaled - coarse.unscaled * shift;
      const abs = diff < 0n ? -diff : diff;
      if (2n * abs <= shift) return undefined;
    } else {
      // Different scales of the same value (12.50 vs 12.5) are equal; anything else is not.
      const scale = Math.max(a.scale, b.scale);
      const ax = a.unscaled * pow10(scale - a.scale);
      const bx = b.unscaled * pow10(scale - b.scale);
      if (ax === bx) return undefined;
    }
    // Fall through to the tolerance check below: a long-scale decimal may be a rounded quotient.
  }
  const x = Number(ours);
  const y = Number(theirs);
  if (Number.isNaN(x) || Number.isNaN(y)) return `${show(ours)} <> ${show(theirs)} (not numbers)`;
  const tolerance = approx ? APPROX_TOLERANCE : STRICT_TOLERANCE;
  const scale = Math.max(Math.abs(x), Math.abs(y));
  if (Math.abs(x - y) <= tolerance * scale || Math.abs(x - y) < 1e-12) return undefined;
  return `${ours} <> ${theirs} (relative difference ${(Math.abs(x - y) / scale).toExponential(2)})`;
}

function show(v: string | null): string {
  return v === null ? 'NULL' : JSON.stringify(v);
}

function isNumericColumn(ours: ColumnInfo | undefined, theirs: ColumnInfo | undefined): boolean {
  return NUMERIC_OIDS.has(ours?.typeOid ?? -1) || NUMERIC_OIDS.has(theirs?.typeOid ?? -1);
}

/** Orders rows so that both answers sort the same way even when numbers are spelt differently. */
function rowComparator(numeric: readonly boolean[]) {
  return (r: readonly (string | null)[], s: readonly (string | null)[]): number => {
    for (let i = 0; i < r.length; i++) {
      const a = r[i] ?? null;
      const b = s[i] ?? null;
      if (a === b) continue;
      if (a === null) return -1;
      if (b === null) return 1;
      if (numeric[i]) {
        const d = Number(a) - Number(b);
        if (d !== 0 && !Number.isNaN(d)) return d;
      }
      return a < b ? -1 : a > b ? 1 : 0;
    }
    return 0;
  };
}

/** Every difference between the two answers (at most `limit`); empty when they agree. */
export function compareAnswers(ours: Answer, theirs: Answer, options: CompareOptions, limit = 10): string[] {
  const problems: string[] = [];
  if (ours.columns.length !== theirs.columns.length) {
    problems.push(`column count ${ours.columns.length} <> ${theirs.columns.length}`);
    return problems;
  }
  if (ours.rows.length !== theirs.rows.length) {
    problems.push(`row count ${ours.rows.length} <> ${theirs.rows.length}`);
  }
  const width = theirs.columns.length;
  const numeric = Array.from({ length: width }, (_, i) => isNumericColumn(ours.columns[i], theirs.columns[i]));
  const approx = new Set(options.approx ?? []);

  const rowDiff = (where: string, r: readonly (string | null)[], s: readonly (string | null)[], cols: number[]) => {
    for (const c of cols) {
      const why = compareValue(r[c] ?? null, s[c] ?? null, numeric[c] ?? false, approx.has(c));
      if (why !== undefined) {
        problems.push(`${where}, column ${theirs.columns[c]?.name ?? c}: ours ${why.replace(' <> ', ', PostgreSQL ')}`);
        return;
      }
    }
  };

  const all = Array.from({ length: width }, (_, i) => i);
  const n = Math.min(ours.rows.length, theirs.rows.length);
  // The ordering: the ORDER BY columns, row by row, in the order each side returned them.
  if (options.orderKeys.length > 0) {
    for (let i = 0; i < n && problems.length < limit; i++) {
      rowDiff(`order, row ${i + 1}`, ours.rows[i] ?? [], theirs.rows[i] ?? [], [...options.orderKeys]);
    }
  }
  // The contents: all columns, as multisets.
  const compare = rowComparator(numeric);
  const sortedOurs = [...ours.rows].sort(compare);
  const sortedTheirs = [...theirs.rows].sort(compare);
  for (let i = 0; i < n && problems.length < limit; i++) {
    rowDiff(`sorted row ${i + 1}`, sortedOurs[i] ?? [], sortedTheirs[i] ?? [], all);
  }
  return problems.slice(0, limit);
}
