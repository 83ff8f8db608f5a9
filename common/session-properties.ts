// Engine session properties (Trino's names), set with `SET name = value` (also `SET SESSION`),
// validated there, and shipped to the workers inside SessionInfo.properties.
//   enable_dynamic_filtering        on|off (true|false ...), default on
//   dynamic_filtering_wait_timeout  how long a probe scan waits for a filter from another
//                                   fragment: '2s', '500ms', '1m' or milliseconds; default 2s
//   join_distribution_type          automatic|broadcast|partitioned, default automatic
import { SqlError } from './errors.js';
import { SqlStates } from './sqlstate.js';

export type SessionProperties = Readonly<Record<string, string>>;

export type JoinDistributionType = 'automatic' | 'broadcast' | 'partitioned';

export const DEFAULT_DYNAMIC_FILTER_WAIT_MS = 2000;

const BOOLEANS: Readonly<Record<string, boolean>> = {
  on: true,
  off: false,
  true: true,
  false: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
};

function parseBoolean(v: string): boolean | undefined {
  return BOOLEANS[v.trim().toLowerCase()];
}

function parseDurationMs(v: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const ms = unit === 'm' ? n * 60_000 : unit === 's' ? n * 1000 : n;
  return Number.isFinite(ms) && ms <= 3_600_000 ? Math.round(ms) : undefined;
}

interface PropertyDef {
  readonly defaultValue: string;
  /** The normalized value, or undefined when invalid. */
  normalize(v: string): string | undefined;
  readonly expected: string;
}

const PROPERTIES: Readonly<Record<string, PropertyDef>> = {
  enable_dynamic_filtering: {
    defaultValue: 'on',
    normalize: (v) => {
      const b = parseBoolean(v);
      return b === undefined ? undefined : b ? 'on' : 'off';
    },
    expected: 'on or off',
  },
  dynamic_filtering_wait_timeout: {
    defaultValue: `${DEFAULT_DYNAMIC_FILTER_WAIT_MS}ms`,
    normalize: (v) => {
      const ms = parseDurationMs(v);
      return ms === undefined ? undefined : `${ms}ms`;
    },
    expected: "a duration such as '2s' or '500ms' (at most 1 hour)",
  },
  join_distribution_type: {
    defaultValue: 'automatic',
    normalize: (v) => {
      const x = v.trim().toLowerCase();
      return x === 'automatic' || x === 'broadcast' || x === 'partitioned' ? x : undefined;
    },
    expected: 'automatic, broadcast or partitioned',
  },
};

export function isSessionProperty(name: string): boolean {
  return Object.hasOwn(PROPERTIES, name.toLowerCase());
}

/** The value to store for `SET name = value`; SqlError 22023 when the value is invalid. */
export function normalizeSessionProperty(name: string, value: string): string {
  const def = PROPERTIES[name.toLowerCase()];
  if (!def) return value;
  const v = def.normalize(value);
  if (v === undefined) {
    throw new SqlError(
      SqlStates.invalidParameterValue,
      `invalid value for parameter "${name}": "${value}" (expected ${def.expected})`,
    );
  }
  return v;
}

export function sessionPropertyDefault(name: string): string | undefined {
  return PROPERTIES[name.toLowerCase()]?.defaultValue;
}

/** The engine properties among a session's settings (undefined when none is set). */
export function sessionPropertiesOf(settings: ReadonlyMap<string, string>): SessionProperties | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of settings) if (isSessionProperty(k)) out[k.toLowerCase()] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

export function dynamicFilteringEnabled(p: SessionProperties | undefined): boolean {
  const v = p?.enable_dynamic_filtering;
  return v === undefined ? true : (parseBoolean(v) ?? true);
}

export function dynamicFilterWaitMs(p: SessionProperties | undefined): number {
  const v = p?.dynamic_filtering_wait_timeout;
  return (v === undefined ? undefined : parseDurationMs(v)) ?? DEFAULT_DYNAMIC_FILTER_WAIT_MS;
}

export function joinDistributionType(p: SessionProperties | undefined): JoinDistributionType {
  const v = p?.join_distribution_type?.toLowerCase();
  return v === 'broadcast' || v === 'partitioned' ? v : 'automatic';
}
