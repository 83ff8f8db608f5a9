// Splits of a remote table, so that workers read a large table in parallel, each split with its
// own statement (the pushed filters and columns, plus the split's range):
//   - ranges of an integer key (primary key): min/max from the source, N ranges, the first and
//     last open-ended (rows inserted meanwhile are not lost) and NULL keys with the first;
//   - else, for PostgreSQL tables: ranges of heap pages (ctid), from pg_class.relpages.
// One split when the table is small (estimated rows < 2 x split.target-rows), when the source has
// neither, and for handles with a limit, top-N, aggregation or join: the source does that work in
// one statement and returns few rows, so those pushdowns are guaranteed (the engine drops its own
// Limit/TopN above them).
import type { JsonValue } from '../../common/json.js';
import type { Split } from '../../common/plan/task.js';
import type { MetaContext } from '../spi.js';
import type { RemoteBackend } from './dialect.js';
import { isPlainTable, type RemoteTableHandle } from './handle.js';
import type { RemoteOptions } from './options.js';
import type { SplitRange } from './sql-builder.js';

export async function planSplits(
  catalog: string,
  backend: RemoteBackend,
  options: RemoteOptions,
  h: RemoteTableHandle,
  ctx: MetaContext,
): Promise<readonly Split[]> {
  const ranges = await splitRanges(backend, options, h, ctx);
  if (ranges.length <= 1) return [{ catalog, payload: { part: 0 }, addresses: [] }];
  return ranges.map((range, part) => ({
    catalog,
    payload: { part, range: range as unknown as JsonValue },
    addresses: [],
  }));
}

async function splitRanges(
  backend: RemoteBackend,
  options: RemoteOptions,
  h: RemoteTableHandle,
  ctx: MetaContext,
): Promise<readonly SplitRange[]> {
  const source = backend.splitSource;
  if (!source || !isPlainTable(h)) return [];
  const maxCount = options.splitMaxCount ?? 2 * Math.max(1, ctx.workers.length);
  if (maxCount < 2) return [];
  let info: Awaited<ReturnType<typeof source.describe>>;
  try {
    info = await source.describe(h.schema, h.table);
  } catch (e) {
    throw backend.toSqlError(e, `planning splits of ${h.schema}.${h.table}`);
  }
  if (info.rows === undefined) return [];
  const wanted = Math.min(maxCount, Math.floor(info.rows / options.splitTargetRows));
  if (wanted < 2) return [];
  const key = info.key === undefined ? undefined : h.columns.find((c) => c.name === info.key);
  if (key && (key.type.kind === 'integer' || key.type.kind === 'bigint')) {
    let range: { min: string | null; max: string | null };
    try {
      range = await source.keyRange(h.schema, h.table, key.name);
    } catch (e) {
      throw backend.toSqlError(e, `planning splits of ${h.schema}.${h.table}`);
    }
    if (range.min === null || range.max === null) return [];
    return keyRanges(key.name, BigInt(range.min), BigInt(range.max), wanted);
  }
  if (info.pages !== undefined && info.pages > 0 && backend.dialect.pageRange) {
    return pageRanges(info.pages, wanted);
  }
  return [];
}

/** `count` ranges covering [min, max] evenly, the outer ones open-ended, NULL keys in the first. */
export function keyRanges(column: string, min: bigint, max: bigint, count: number): SplitRange[] {
  const span = max - min + 1n;
  const n = span < BigInt(count) ? Number(span) : count;
  if (n < 2) return [];
  const step = (span + BigInt(n) - 1n) / BigInt(n);
  const bounds: string[] = [];
  for (let i = 1; i < n; i++) bounds.push(String(min + step * BigInt(i)));
  const out: SplitRange[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      kind: 'key',
      column,
      lower: i === 0 ? null : bounds[i - 1]!,
      upper: i === n - 1 ? null : bounds[i]!,
      nulls: i === 0,
    });
  }
  return out;
}

/** `count` page ranges over `pages` (an estimate), the last one open-ended. */
export function pageRanges(pages: number, count: number): SplitRange[] {
  const n = Math.min(count, pages);
  if (n < 2) return [];
  const step = Math.ceil(pages / n);
  const out: SplitRange[] = [];
  for (let i = 0; i < n; i++) {
    out.push({ kind: 'pages', fromPage: i * step, toPage: i === n - 1 ? null : (i + 1) * step });
  }
  return out;
}

/** The range of a split made by planSplits (undefined: the whole table). */
export function splitRangeOf(payload: JsonValue): SplitRange | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const r = (payload as { range?: unknown }).range;
  if (r === undefined || r === null || typeof r !== 'object') return undefined;
  const kind = (r as { kind?: unknown }).kind;
  if (kind === 'key' || kind === 'pages') return r as SplitRange;
  return undefined;
}
