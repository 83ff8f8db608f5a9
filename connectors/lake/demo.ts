// The demo lake created on first use (catalog property lake.demo=true): a clickstream dataset
// (events: username, page, event_name, event_time) partitioned by dt in zones `raw` and
// `trusted`, and the TPC-H tiny tables as single Parquet files in schema `tpch`. Written with
// parquet-wasm only (no DuckDB), deterministic, marked done by `<root>/.demo-lake-v1`.
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { type ColumnBuffers, makeBatch } from '../../common/arrow/batch.js';
import { type ColumnSchema, TIMESTAMP, VARCHAR } from '../../common/types.js';
import { TABLE_COLUMNS, TABLE_NAMES, unitCount } from '../tpch/schema.js';
import { GENERATORS, UNITS_PER_BATCH } from '../tpch/tables/index.js';
import { encodeParquet } from './writer.js';

const MARKER = '.demo-lake-v1';
const DEMO_SCHEMAS = ['raw', 'trusted', 'tpch'];
export const DEMO_DAYS = [
  '2024-05-01',
  '2024-05-02',
  '2024-05-03',
  '2024-05-04',
  '2024-05-05',
  '2024-05-06',
  '2024-05-07',
];
export const EVENTS_PER_DAY = 2000;

const EVENT_COLUMNS: readonly ColumnSchema[] = [
  { name: 'username', type: VARCHAR, nullable: true },
  { name: 'page', type: VARCHAR, nullable: true },
  { name: 'event_name', type: VARCHAR, nullable: true },
  { name: 'event_time', type: TIMESTAMP, nullable: true },
];

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar'];
const PAGES = ['/', '/search', '/product/1', '/product/2', '/product/3', '/cart', '/checkout', '/help'];
const EVENTS = ['page_view', 'page_view', 'page_view', 'click', 'click', 'add_to_cart', 'purchase', 'signup'];

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Utf8 buffers of strings (null -> NULL). */
function utf8(values: readonly (string | null)[]): ColumnBuffers {
  const enc = new TextEncoder();
  const parts = values.map((v) => (v === null ? new Uint8Array(0) : enc.encode(v)));
  const offsets = new Int32Array(values.length + 1);
  let total = 0;
  parts.forEach((p, i) => {
    total += p.length;
    offsets[i + 1] = total;
  });
  const bytes = new Uint8Array(total);
  for (let i = 0; i < parts.length; i++) bytes.set(parts[i]!, offsets[i]!);
  const hasNull = values.includes(null);
  const validity = hasNull ? new Uint8Array((values.length + 7) >> 3) : null;
  if (validity) {
    for (let i = 0; i < values.length; i++) if (values[i] !== null) validity[i >> 3]! |= 1 << (i & 7);
  }
  return { values: bytes, offsets, validity };
}

/** One day of events; `raw` has the dirt (NULL and upper-case users) that `trusted` cleans. */
export function eventsOfDay(day: string, dayIndex: number, zone: 'raw' | 'trusted'): RecordBatch {
  let seed = 12345 + dayIndex * 7919;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 16) % n;
  };
  const start = Date.parse(`${day}T00:00:00Z`) * 1000;
  const users: (string | null)[] = [];
  const pages: string[] = [];
  const names: string[] = [];
  const times: bigint[] = [];
  for (let i = 0; i < EVENTS_PER_DAY; i++) {
    const u = USERS[rnd(USERS.length)]!;
    const dirt = rnd(50);
    const user = dirt === 0 ? null : dirt === 1 ? u.toUpperCase() : u;
    const page = PAGES[rnd(PAGES.length)]!;
    const name = EVENTS[rnd(EVENTS.length)]!;
    const t = start + Math.floor((i * 86_400_000_000) / EVENTS_PER_DAY) + rnd(1_000_000);
    if (zone === 'trusted' && user === null) continue;
    users.push(zone === 'trusted' && user ? user.toLowerCase() : user);
    pages.push(page);
    names.push(name);
    times.push(BigInt(t));
  }
  return makeBatch(EVENT_COLUMNS, users.length, [
    utf8(users),
    utf8(pages),
    utf8(names),
    { values: BigInt64Array.from(times), validity: null },
  ]);
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

/** Creates the demo lake under `root` unless it is already there. Returns whether it wrote anything. */
export async function ensureDemoLake(root: string): Promise<boolean> {
  if (await exists(join(root, MARKER))) return false;
  await mkdir(root, { recursive: true });
  // a half-written demo lake (interrupted first start) is redone from scratch
  for (const s of DEMO_SCHEMAS) await rm(join(root, s), { recursive: true, force: true });
  for (const zone of ['raw', 'trusted'] as const) {
    for (let d = 0; d < DEMO_DAYS.length; d++) {
      const day = DEMO_DAYS[d]!;
      const dir = join(root, zone, 'events', `dt=${day}`);
      await mkdir(dir, { recursive: true });
      await writeAtomically(join(dir, 'part-0.parquet'), encodeParquet(EVENT_COLUMNS, [eventsOfDay(day, d, zone)]));
    }
  }
  await mkdir(join(root, 'tpch'), { recursive: true });
  const sf = 0.01;
  for (const table of TABLE_NAMES) {
    const columns = TABLE_COLUMNS[table];
    const names = columns.map((c) => c.name);
    const units = unitCount(table, sf);
    const step = UNITS_PER_BATCH[table];
    const batches: RecordBatch[] = [];
    for (let at = 0; at < units; at += step) {
      const chunk = GENERATORS[table](sf, at, Math.min(at + step, units), names);
      batches.push(makeBatch(columns, chunk.length, chunk.buffers));
    }
    await writeAtomically(join(root, 'tpch', `${table}.parquet`), encodeParquet(columns, batches));
  }
  await writeFile(join(root, MARKER), `demo lake written ${new Date().toISOString()}\n`);
  return true;
}
