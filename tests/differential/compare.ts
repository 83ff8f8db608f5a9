// Comparing one query's outcome on Tributary and on PostgreSQL, value by value in text form.
import type { SqlType } from './generator.js';

export type Outcome =
  | { readonly ok: true; readonly rows: readonly (readonly (string | null)[])[]; readonly oids: readonly number[] }
  | { readonly ok: false; readonly code: string; readonly message: string };

export type MismatchKind = 'value' | 'rows' | 'error-vs-value' | 'error-code';

const FLOAT_OIDS = new Set([700, 701]);

/** 1.500 -> 1.5, -0.00 -> 0, 2.0 -> 2: exact decimals compared by value, not by scale. */
export function canonicalDecimal(v: string): string {
  let s = v.trim();
  if (!/^[-+]?\d*\.?\d+$/.test(s) && !/^[-+]?\d+\.$/.test(s)) return s;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s.startsWith('-');
    s = s.slice(1);
  }
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  s = s.replace(/^0+(?=\d)/, '');
  if (s === '' || s === '0') return '0';
  return neg ? `-${s}` : s;
}

function parseFloatText(v: string): number {
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (v === 'NaN') return Number.NaN;
  return Number(v);
}

function closeFloats(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return Math.abs(a - b) <= 1e-9 * scale || Math.abs(a - b) < 1e-12;
}

/** Two text values of one result column agree (numbers by value, doubles with a relative tolerance). */
export function sameValue(
  a: string | null,
  b: string | null,
  t: SqlType | undefined,
  oidA: number | undefined,
  oidB: number | undefined,
): boolean {
  if (a === null || b === null) return a === b;
  if (a === b) return true;
  const numeric = t === 'int' || t === 'bigint' || t === 'dec' || t === 'double';
  if (!numeric) return false;
  if (canonicalDecimal(a) === canonicalDecimal(b)) return true;
  const floaty = t === 'double' || FLOAT_OIDS.has(oidA ?? 0) || FLOAT_OIDS.has(oidB ?? 0);
  return floaty && closeFloats(parseFloatText(a), parseFloatText(b));
}

/**
 * Tributary's decimals follow Trino: at most 38 digits, beyond that 22003. PostgreSQL's numeric is
 * unbounded. An overflow where PostgreSQL's answer has more than 38 digits is that rule, not a bug.
 */
function exceedsDecimal38(o: Outcome): boolean {
  if (!o.ok) return false;
  return o.rows.some((r) =>
    r.some((v) => v !== null && /^-?[\d.]+$/.test(v) && v.replace(/[-.]/g, '').replace(/^0+/, '').length > 38),
  );
}

export interface Diff {
  readonly kind: MismatchKind;
  /** Indexes of rows that differ (value mismatches). */
  readonly rows: readonly number[];
}

/**
 * Compares two outcomes. `types[c]` is the generated type of result column c (undefined: compare
 * text exactly). Undefined when they agree.
 */
export function compareOutcomes(
  trib: Outcome,
  pg: Outcome,
  types: readonly (SqlType | undefined)[],
  columns?: readonly number[],
): Diff | undefined {
  if (!trib.ok && trib.code === '22003' && pg.ok && exceedsDecimal38(pg)) return undefined;
  if (!trib.ok || !pg.ok) {
    if (trib.ok !== pg.ok) return { kind: 'error-vs-value', rows: [] };
    if (!trib.ok && !pg.ok && trib.code !== pg.code) return { kind: 'error-code', rows: [] };
    return undefined;
  }
  if (trib.rows.length !== pg.rows.length) return { kind: 'rows', rows: [] };
  const cols = columns ?? types.map((_, i) => i);
  const bad: number[] = [];
  for (let r = 0; r < trib.rows.length; r++) {
    const ta = trib.rows[r]!;
    const pa = pg.rows[r]!;
    if (ta.length !== pa.length) return { kind: 'rows', rows: [] };
    for (const c of cols) {
      if (!sameValue(ta[c] ?? null, pa[c] ?? null, types[c], trib.oids[c], pg.oids[c])) {
        bad.push(r);
        break;
      }
    }
  }
  return bad.length > 0 ? { kind: 'value', rows: bad } : undefined;
}

export function describeOutcome(o: Outcome, maxRows = 8): string {
  if (!o.ok) return `ERROR ${o.code}: ${o.message}`;
  const shown = o.rows
    .slice(0, maxRows)
    .map((r) => `(${r.map((v) => (v === null ? 'NULL' : JSON.stringify(v))).join(', ')})`);
  const more = o.rows.length > maxRows ? ` ... ${o.rows.length} rows` : '';
  return `${shown.join(' ') || '(no rows)'}${more}`;
}
