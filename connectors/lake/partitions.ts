// Hive-style partition directories (`key=value/`, nested): parsing a directory name, inferring
// the SQL type of a partition key from its values, and typing a value for comparisons.
import { BIGINT, DATE, type DataType, INTEGER, VARCHAR } from '../../common/types.js';

export const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

/** `dt=2024-05-01` -> ['dt', '2024-05-01']; `x=__HIVE_DEFAULT_PARTITION__` -> ['x', null]. */
export function parsePartitionDir(name: string): [string, string | null] | undefined {
  const eq = name.indexOf('=');
  if (eq <= 0) return undefined;
  const key = decodePart(name.slice(0, eq)).toLowerCase();
  const raw = decodePart(name.slice(eq + 1));
  return [key, raw === HIVE_NULL ? null : raw];
}

function decodePart(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Directory name for a partition value (for writers). */
export function partitionDirName(key: string, value: string | null): string {
  return `${encodeURIComponent(key)}=${value === null ? HIVE_NULL : encodeURIComponent(value)}`;
}

const INT_RE = /^-?\d{1,19}$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INT32_MAX = 2147483647;

/** The narrowest of integer, bigint, date, varchar that holds every (non-null) value. */
export function inferPartitionType(values: Iterable<string | null>): DataType {
  let allInt = true;
  let allInt32 = true;
  let allDate = true;
  let any = false;
  for (const v of values) {
    if (v === null) continue;
    any = true;
    if (INT_RE.test(v)) {
      const n = Number(v);
      if (!Number.isSafeInteger(n)) allInt = false;
      else if (n > INT32_MAX || n < -INT32_MAX - 1) allInt32 = false;
    } else allInt = false;
    if (dateDays(v) === undefined) allDate = false;
  }
  if (!any) return VARCHAR;
  if (allInt) return allInt32 ? INTEGER : BIGINT;
  if (allDate) return DATE;
  return VARCHAR;
}

/** Days since 1970-01-01 of `YYYY-MM-DD`, undefined when it is not a valid date. */
export function dateDays(v: string): number | undefined {
  const m = DATE_RE.exec(v);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / 86_400_000;
}

/** A partition value as a comparable JS value of its column type (number or string); null stays null. */
export function typedPartitionValue(v: string | null, t: DataType): number | string | null {
  if (v === null) return null;
  switch (t.kind) {
    case 'integer':
    case 'bigint': {
      const n = Number(v);
      return Number.isFinite(n) ? n : null;
    }
    case 'date':
      return dateDays(v) ?? null;
    default:
      return v;
  }
}
