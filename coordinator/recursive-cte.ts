// WITH RECURSIVE name AS (base UNION [ALL] step): evaluated on the coordinator before the
// statement is bound, by iteration: run `base`, then run `step` with `name` standing for the rows
// the previous round added, until a round adds none. The rows (small, by the nature of the
// simple recursive queries this serves) then stand in for `name` as constant rows.
import type { Node, SelectStmt } from '@pgsql/types';
import type { RecordBatch } from 'apache-arrow';
import { SqlError } from '../common/errors.js';
import type { LiteralValue } from '../common/expr/expr.js';
import { castLiteral } from '../common/expr/literal.js';
import { formatColumn } from '../common/format/text.js';
import { SqlStates } from '../common/sqlstate.js';
import { type ColumnSchema, VARCHAR } from '../common/types.js';
import { type CteDefinition, referencesName } from './planner/bind-select.js';
import { as, stringsOf } from './sql/ast.js';

export const MAX_RECURSION_ROUNDS = 10_000;
export const MAX_RECURSIVE_ROWS = 1_000_000;

export type RunQuery = (
  query: Node,
  ctes: ReadonlyMap<string, CteDefinition>,
) => Promise<{ readonly columns: readonly ColumnSchema[]; readonly batches: AsyncIterable<RecordBatch> }>;

/** The rows of every recursive CTE of a statement's top-level WITH RECURSIVE, by name. */
export async function evaluateRecursiveCtes(ast: Node, run: RunQuery): Promise<Map<string, CteDefinition>> {
  const known = new Map<string, CteDefinition>();
  const select = as(ast, 'SelectStmt') as SelectStmt | undefined;
  const w = select?.withClause;
  if (!w?.recursive) return known;
  const defined: Node[] = [];
  for (const c of w.ctes ?? []) {
    const cte = as(c, 'CommonTableExpr') as { ctename?: string; ctequery?: Node; aliascolnames?: Node[] };
    const name = cte.ctename ?? '';
    const body = as(cte.ctequery, 'SelectStmt') as SelectStmt | undefined;
    if (!body || !referencesName(cte.ctequery, name)) {
      defined.push(c);
      continue;
    }
    if (body.op !== 'SETOP_UNION' || !body.larg || !body.rarg) {
      throw SqlError.unsupported(`recursive query "${name}" not of the form base UNION [ALL] step`);
    }
    if (referencesName(body.larg, name)) {
      throw new SqlError(
        SqlStates.invalidRecursion,
        `recursive reference to query "${name}" must not appear within its non-recursive term`,
      );
    }
    // The base and step see the CTEs defined before this one, and the step this one (whose
    // definition the binder skips: `known` holds its rows).
    const withPrior = (q: SelectStmt, self: boolean): Node => ({
      SelectStmt: { ...q, withClause: { ctes: self ? [...defined, c] : [...defined], recursive: true } },
    });
    const base = await collect(await run(withPrior(body.larg, false), known));
    const aliases = stringsOf(cte.aliascolnames);
    const columns = base.columns.map((col, i) => ({
      name: aliases[i] ?? col.name,
      type: col.type.kind === 'unknown' ? VARCHAR : col.type,
    }));
    const seen = new Set<string>();
    const keep = (rows: LiteralValue[][]) => {
      if (body.all) return rows;
      return rows.filter((r) => {
        const k = JSON.stringify(r);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    };
    const all: LiteralValue[][] = [];
    let working = keep(base.rows.map((r) => castRow(r, base.columns, columns)));
    all.push(...working);
    for (let round = 0; working.length > 0; round++) {
      if (round >= MAX_RECURSION_ROUNDS) {
        throw new SqlError(
          SqlStates.programLimitExceeded,
          `recursive query "${name}" did not end within ${MAX_RECURSION_ROUNDS} rounds`,
        );
      }
      const ctes = new Map(known);
      ctes.set(name, { rows: working, columns });
      const step = await collect(await run(withPrior(body.rarg, true), ctes));
      if (step.columns.length !== columns.length) {
        throw SqlError.syntax(`each UNION query of recursive query "${name}" must have the same number of columns`);
      }
      working = keep(step.rows.map((r) => castRow(r, step.columns, columns)));
      all.push(...working);
      if (all.length > MAX_RECURSIVE_ROWS) {
        throw new SqlError(
          SqlStates.programLimitExceeded,
          `recursive query "${name}" produced more than ${MAX_RECURSIVE_ROWS} rows`,
        );
      }
    }
    known.set(name, { rows: all, columns });
    defined.push(c);
  }
  return known;
}

/** Result rows as text, exactly as a client would see them (converted back to literals later). */
async function collect(
  r: Awaited<ReturnType<RunQuery>>,
): Promise<{ columns: readonly ColumnSchema[]; rows: (string | null)[][] }> {
  const rows: (string | null)[][] = [];
  for await (const b of r.batches) {
    const cols = r.columns.map((c, i) => formatColumn(b, i, c.type));
    for (let i = 0; i < b.numRows; i++) rows.push(cols.map((c) => c[i] ?? null));
  }
  return { columns: r.columns, rows };
}

function castRow(row: (string | null)[], from: readonly ColumnSchema[], to: readonly ColumnSchema[]): LiteralValue[] {
  return to.map((t, i) => {
    const v = row[i] ?? null;
    if (v === null) return null;
    const source = from[i]?.type.kind === 'boolean' ? (v === 't' ? 'true' : 'false') : v;
    return castLiteral(source, VARCHAR, t.type);
  });
}
