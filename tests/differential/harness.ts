// Runs generated cases on Tributary and PostgreSQL, finds mismatches, and shrinks each to a minimal
// reproducible SQL statement.
import type pg from 'pg';
import { compareOutcomes, type Diff, describeOutcome, type Outcome } from './compare.js';
import {
  DEFAULT_FEATURES,
  type Dialect,
  ExprGenerator,
  type Features,
  hasTag,
  hasTaggedAboveError,
  isNumeric,
  isValid,
  type Node,
  Rng,
  render,
  type SqlType,
  shrinkCandidates,
  size,
} from './generator.js';
import { COLUMNS, createTableSql, insertSql, ROW_COUNT, rowLiterals } from './table.js';

export type Query = (sql: string) => Promise<Outcome>;

export interface Engines {
  readonly tributary: Query;
  readonly postgres: Query;
}

/** Wraps a node-pg client: every value as the server's text, errors as outcomes. */
export function queryFn(client: pg.Client): Query {
  const raw = (v: string) => v;
  return async (sql) => {
    try {
      const r = await client.query({ text: sql, rowMode: 'array', types: { getTypeParser: () => raw } });
      return { ok: true, rows: r.rows as (string | null)[][], oids: r.fields.map((f) => f.dataTypeID) };
    } catch (e) {
      const err = e as { code?: string; message?: string };
      return { ok: false, code: err.code ?? 'NOERR', message: err.message ?? String(e) };
    }
  };
}

/** Creates `t` in both engines (Tributary: the session's memory schema). */
export async function setupTable(engines: Engines): Promise<void> {
  for (const q of [engines.tributary, engines.postgres]) {
    await q('DROP TABLE IF EXISTS t');
    for (const sql of [createTableSql('t'), insertSql('t')]) {
      const r = await q(sql);
      if (!r.ok) throw new Error(`setting up t failed: ${r.code} ${r.message}\n${sql}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Cases

export type CaseKind = 'expr' | 'pred' | 'agg';

export interface Case {
  readonly kind: CaseKind;
  /** expr: [e]; pred: [p]; agg: [key, arg]. */
  readonly nodes: readonly Node[];
}

function idFilter(ids: readonly number[] | undefined): string {
  return ids === undefined ? '' : `id IN (${ids.join(', ')})`;
}

/** SQL of a case; `ids` restricts the rows (for minimal repros). */
export function caseSql(c: Case, dialect: Dialect, ids?: readonly number[]): string {
  const f = idFilter(ids);
  const [a, b] = c.nodes.map((n) => render(n, dialect));
  switch (c.kind) {
    case 'expr':
      return `SELECT id, ${a} FROM t${f ? ` WHERE ${f}` : ''} ORDER BY id`;
    case 'pred':
      return `SELECT id FROM t WHERE ${f ? `${f} AND ` : ''}${a} ORDER BY id`;
    case 'agg': {
      const arg = c.nodes[1]!;
      const sum = isNumeric(arg.t) ? `, sum(${b})` : '';
      return `SELECT ${a} AS k, count(*), count(${b})${sum}, min(${b}), max(${b}) FROM t${f ? ` WHERE ${f}` : ''} GROUP BY 1`;
    }
  }
}

/** The generated type of each result column of a case. */
function caseTypes(c: Case): (SqlType | undefined)[] {
  switch (c.kind) {
    case 'expr':
      return ['int', c.nodes[0]!.t];
    case 'pred':
      return ['int'];
    case 'agg': {
      const arg = c.nodes[1]!;
      return [c.nodes[0]!.t, 'bigint', 'bigint', ...(isNumeric(arg.t) ? [arg.t] : []), arg.t, arg.t];
    }
  }
}

/** Aggregate groups come back in any order: sort both sides by their text. */
function normalizeOutcome(c: Case, o: Outcome): Outcome {
  if (c.kind !== 'agg' || !o.ok) return o;
  const key = (r: readonly (string | null)[]) => JSON.stringify(r[0] ?? null);
  const rows = [...o.rows].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  return { ...o, rows };
}

/**
 * Error differences that are not bugs: which operand of AND/OR runs first is unspecified in SQL (and
 * PostgreSQL reorders WHERE conditions); Tributary's decimals stop at 38 digits (Trino), PostgreSQL's
 * numeric products do not.
 */
function excusedError(c: Case, trib: Outcome): boolean {
  if (c.nodes.some((n) => hasTaggedAboveError(n, ['AND', 'OR']))) return true;
  return !trib.ok && trib.code === '22003' && c.nodes.some((n) => hasTag(n, '*', 'dec'));
}

export interface CaseResult {
  readonly trib: Outcome;
  readonly pg: Outcome;
  readonly diff: Diff | undefined;
}

export async function runCase(engines: Engines, c: Case, ids?: readonly number[]): Promise<CaseResult> {
  const [trib, pgOut] = await Promise.all([
    engines.tributary(caseSql(c, 'tributary', ids)),
    engines.postgres(caseSql(c, 'postgres', ids)),
  ]);
  const t = normalizeOutcome(c, trib);
  const p = normalizeOutcome(c, pgOut);
  let diff = compareOutcomes(t, p, caseTypes(c));
  if (diff && (diff.kind === 'error-vs-value' || diff.kind === 'error-code') && excusedError(c, t)) diff = undefined;
  // Aggregates over double keys can group differently by a rounding: compare sorted, then give up.
  if (diff && c.kind === 'agg' && diff.kind === 'value' && c.nodes[0]!.t === 'double') diff = undefined;
  return { trib: t, pg: p, diff };
}

/**
 * Expression cases several at a time, one result column each; only cases whose column disagrees (or
 * all, when the query errors) are run again alone. Returns the cases that disagree alone.
 */
export async function runExprBatch(engines: Engines, cases: readonly Case[]): Promise<Case[]> {
  const select = (d: Dialect) => `SELECT id, ${cases.map((c) => render(c.nodes[0]!, d)).join(', ')} FROM t ORDER BY id`;
  const [trib, pgOut] = await Promise.all([
    engines.tributary(select('tributary')),
    engines.postgres(select('postgres')),
  ]);
  let suspects: readonly Case[] = cases;
  if (trib.ok && pgOut.ok) {
    const types: (SqlType | undefined)[] = ['int', ...cases.map((c) => c.nodes[0]!.t)];
    suspects = cases.filter((_, i) => compareOutcomes(trib, pgOut, types, [0, i + 1]) !== undefined);
  }
  const failing: Case[] = [];
  for (const c of suspects) if ((await runCase(engines, c)).diff) failing.push(c);
  return failing;
}

// ---------------------------------------------------------------------------------------------
// Generation

export interface GenerateOptions {
  readonly seed: number;
  readonly cases: number;
  readonly maxDepth?: number;
  readonly features?: Partial<Features>;
}

/** A fixed mix: 80% expressions, 12% WHERE predicates, 8% aggregates. */
export function generateCases(options: GenerateOptions): Case[] {
  const rng = new Rng(options.seed);
  const features = { ...DEFAULT_FEATURES, ...options.features };
  const gen = new ExprGenerator(rng, { maxDepth: options.maxDepth ?? 3, features });
  const out: Case[] = [];
  while (out.length < options.cases) {
    const c = nextCase();
    if (c.nodes.every(isValid)) out.push(c);
  }
  return out;

  function nextCase(): Case {
    const roll = rng.next();
    if (roll < 0.8) return { kind: 'expr', nodes: [gen.expr(gen.randomType())] };
    if (roll < 0.92) return { kind: 'pred', nodes: [gen.expr('bool')] };
    {
      const keyType = rng.pick<SqlType>(['bool', 'int', 'bigint', 'dec', 'varchar', 'date']);
      let argType = gen.randomType();
      if (argType === 'bool') argType = 'int';
      if (argType === 'double' && !features.sumDouble) argType = 'dec';
      if (argType === 'bigint' && !features.sumBigint) argType = 'int';
      return { kind: 'agg', nodes: [gen.expr(keyType, 2), gen.expr(argType, 2)] };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Minimisation

export interface Mismatch {
  readonly kind: Diff['kind'];
  readonly original: string;
  /** The minimal statement as sent to Tributary (PostgreSQL's differs only by COLLATE "C.utf8" in lower/upper). */
  readonly sql: string;
  readonly pgSql: string;
  readonly tributary: string;
  readonly postgres: string;
  /** INSERT of the rows the minimal statement reads. */
  readonly rows: string;
}

function idsOf(o: Outcome): number[] {
  return o.ok ? o.rows.map((r) => Number(r[0])) : [];
}

/** Shrinks a failing case (rows, then subtrees, then rows again) while the same kind of mismatch persists. */
export async function minimize(engines: Engines, original: Case, budget = 250): Promise<Mismatch> {
  let c = original;
  let first = await runCase(engines, c);
  if (!first.diff) throw new Error(`case does not fail: ${caseSql(c, 'tributary')}`);
  const kind = first.diff.kind;
  let runs = 0;
  const fails = async (cand: Case, ids: readonly number[] | undefined): Promise<CaseResult | undefined> => {
    runs++;
    const r = await runCase(engines, cand, ids);
    return r.diff?.kind === kind ? r : undefined;
  };

  const shrinkRows = async (ids: number[], last: CaseResult): Promise<number[]> => {
    // A value mismatch names its rows: try the first differing row alone.
    const hints: number[] = [];
    if (last.diff?.kind === 'value' && c.kind !== 'agg' && last.trib.ok) {
      for (const r of last.diff.rows) hints.push(Number(last.trib.rows[r]?.[0]));
    }
    if (last.diff?.kind === 'rows' && c.kind === 'pred') {
      const a = new Set(idsOf(last.trib));
      const b = new Set(idsOf(last.pg));
      for (const id of a) if (!b.has(id)) hints.push(id);
      for (const id of b) if (!a.has(id)) hints.push(id);
    }
    for (const id of hints.slice(0, 3)) if (ids.includes(id) && (await fails(c, [id]))) return [id];
    // Otherwise halve while one half still fails.
    let cur = ids;
    while (cur.length > 1 && runs < budget) {
      const half = Math.ceil(cur.length / 2);
      const parts = [cur.slice(0, half), cur.slice(half)];
      const next = await (async () => {
        for (const p of parts) if (await fails(c, p)) return p;
        return undefined;
      })();
      if (!next) break;
      cur = next;
    }
    return cur;
  };

  const allIds = Array.from({ length: ROW_COUNT }, (_, i) => i + 1);
  let ids = await shrinkRows(allIds, first);
  first = (await fails(c, ids)) ?? first;

  let progress = true;
  while (progress && runs < budget) {
    progress = false;
    for (let n = 0; n < c.nodes.length && !progress; n++) {
      for (const cand of shrinkCandidates(c.nodes[n]!)) {
        if (runs >= budget) break;
        if (!isValid(cand) || size(cand) >= size(c.nodes[n]!)) continue;
        const nodes = [...c.nodes];
        nodes[n] = cand;
        const next: Case = { ...c, nodes };
        const r = await fails(next, ids);
        if (r) {
          c = next;
          first = r;
          progress = true;
          break;
        }
      }
    }
  }
  if (ids.length > 1) {
    ids = await shrinkRows(ids, first);
    first = (await fails(c, ids)) ?? first;
  }

  const all = rowLiterals();
  return {
    kind,
    original: caseSql(original, 'tributary'),
    sql: caseSql(c, 'tributary', ids),
    pgSql: caseSql(c, 'postgres', ids),
    tributary: describeOutcome(first.trib),
    postgres: describeOutcome(first.pg),
    rows:
      ids.length <= 5
        ? insertSql(
            't',
            ids.map((id) => all[id - 1]!),
          )
        : `(${ids.length} rows of t)`,
  };
}

export function formatMismatch(m: Mismatch, note?: string): string {
  const lines = [
    `[${m.kind}] ${m.sql}`,
    `  tributary: ${m.tributary}`,
    `  postgres:  ${m.postgres}`,
    `  rows: ${m.rows}`,
  ];
  if (m.pgSql !== m.sql) lines.push(`  (PostgreSQL ran: ${m.pgSql})`);
  if (note) lines.push(`  ${note}`);
  return lines.join('\n');
}

export const TABLE_COLUMNS = COLUMNS.map((c) => `${c.name} ${c.sqlType}`).join(', ');

// ---------------------------------------------------------------------------------------------
// A whole run

export interface RunReport {
  readonly cases: number;
  readonly queries: number;
  readonly failing: readonly Case[];
  readonly mismatches: readonly Mismatch[];
}

export async function runCases(
  engines: Engines,
  cases: readonly Case[],
  options: { batch?: number; maxMinimize?: number; onProgress?: (done: number) => void } = {},
): Promise<RunReport> {
  const batch = options.batch ?? 20;
  let queries = 0;
  const counting =
    (q: Query): Query =>
    (sql) => {
      queries++;
      return q(sql);
    };
  const e: Engines = { tributary: counting(engines.tributary), postgres: counting(engines.postgres) };
  const failing: Case[] = [];
  const exprs = cases.filter((c) => c.kind === 'expr');
  for (let i = 0; i < exprs.length; i += batch) {
    failing.push(...(await runExprBatch(e, exprs.slice(i, i + batch))));
    options.onProgress?.(i);
  }
  for (const c of cases) {
    if (c.kind === 'expr') continue;
    if ((await runCase(e, c)).diff) failing.push(c);
  }
  const mismatches: Mismatch[] = [];
  for (const c of failing.slice(0, options.maxMinimize ?? 40)) mismatches.push(await minimize(e, c));
  return { cases: cases.length, queries: queries / 2, failing, mismatches };
}
