// The logical plan: what the statement computes, before distribution. Nodes output symbols
// (unique ids); expressions reference them with `{kind:'ref', id}`.
import { assertNever } from '../../common/assert.js';
import type { Expr } from '../../common/expr/expr.js';
import type { AggregateFn } from '../../common/functions/aggregates.js';
import type { JoinType, WindowFrame } from '../../common/plan/physical.js';
import type { DataType } from '../../common/types.js';
import type { TableHandle } from '../../connectors/spi.js';

/** One output column of a plan node. `id` is unique within a statement; `name` is for display. */
export interface PlanSymbol {
  readonly id: string;
  readonly name: string;
  readonly type: DataType;
}

export interface LogicalSortKey {
  readonly symbol: PlanSymbol;
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

export interface AggregateItem {
  readonly output: PlanSymbol;
  readonly fn: AggregateFn;
  /** Input symbols (a Project below computes argument expressions). */
  readonly args: readonly PlanSymbol[];
  readonly distinct: boolean;
  /** ORDER BY inside the call: the order rows are fed to the aggregate in. */
  readonly orderBy?: readonly LogicalSortKey[];
}

export interface WindowItem {
  readonly output: PlanSymbol;
  readonly fn: string;
  readonly args: readonly PlanSymbol[];
  readonly frame: WindowFrame;
}

export type LogicalPlan =
  | {
      readonly kind: 'scan';
      readonly catalog: string;
      readonly table: string; // qualified, for display
      readonly handle: TableHandle;
      /** connector column name -> output symbol */
      readonly columns: readonly { readonly column: string; readonly symbol: PlanSymbol }[];
      /** Conjuncts the connector accepted (for EXPLAIN); already part of the handle. */
      readonly pushed: readonly Expr[];
      /** Conjuncts already offered to the connector (JSON), so they are not offered again. */
      readonly offered?: readonly string[];
      /** Limit already offered to the connector. */
      readonly limitOffered?: number;
      readonly rowCount?: number;
    }
  | { readonly kind: 'values'; readonly rows: readonly (readonly Expr[])[]; readonly output: readonly PlanSymbol[] }
  | { readonly kind: 'filter'; readonly input: LogicalPlan; readonly predicate: Expr }
  | {
      readonly kind: 'project';
      readonly input: LogicalPlan;
      readonly items: readonly { readonly symbol: PlanSymbol; readonly expr: Expr }[];
    }
  | {
      readonly kind: 'aggregate';
      readonly input: LogicalPlan;
      readonly groupBy: readonly PlanSymbol[];
      readonly aggregates: readonly AggregateItem[];
    }
  | {
      readonly kind: 'join';
      readonly joinType: JoinType;
      readonly left: LogicalPlan;
      readonly right: LogicalPlan;
      readonly condition: Expr | null;
      /** NOT IN semantics for an anti join: any NULL on the build side, or a NULL probe key, means no match is certain. */
      readonly nullAware?: boolean;
    }
  /** Concatenation of inputs (UNION ALL); input i's symbols `mappings[i]` feed `output` by position. */
  | {
      readonly kind: 'union';
      readonly inputs: readonly LogicalPlan[];
      readonly mappings: readonly (readonly PlanSymbol[])[];
      readonly output: readonly PlanSymbol[];
    }
  /** Window functions over partitions of the input: input symbols, then one per function. */
  | {
      readonly kind: 'window';
      readonly input: LogicalPlan;
      readonly partitionBy: readonly PlanSymbol[];
      readonly orderBy: readonly LogicalSortKey[];
      readonly functions: readonly WindowItem[];
    }
  /** Passes exactly one row: raises 21000 on more, emits a row of NULLs on none (scalar subqueries). */
  | { readonly kind: 'enforce_single_row'; readonly input: LogicalPlan }
  /** Each input row `count` times (none when NULL or below 1): INTERSECT ALL / EXCEPT ALL. */
  | { readonly kind: 'replicate'; readonly input: LogicalPlan; readonly count: PlanSymbol }
  | { readonly kind: 'sort'; readonly input: LogicalPlan; readonly keys: readonly LogicalSortKey[] }
  | {
      readonly kind: 'top_n';
      readonly input: LogicalPlan;
      readonly keys: readonly LogicalSortKey[];
      readonly limit: number;
    }
  | { readonly kind: 'limit'; readonly input: LogicalPlan; readonly limit: number | null; readonly offset: number }
  | {
      readonly kind: 'insert';
      readonly input: LogicalPlan;
      readonly catalog: string;
      readonly table: string;
      readonly insertHandle: import('../../common/json.js').JsonValue;
      readonly output: readonly PlanSymbol[];
    };

export type LogicalKind = LogicalPlan['kind'];

export function children(p: LogicalPlan): readonly LogicalPlan[] {
  switch (p.kind) {
    case 'scan':
    case 'values':
      return [];
    case 'union':
      return p.inputs;
    case 'enforce_single_row':
    case 'replicate':
    case 'window':
    case 'filter':
    case 'project':
    case 'aggregate':
    case 'sort':
    case 'top_n':
    case 'limit':
    case 'insert':
      return [p.input];
    case 'join':
      return [p.left, p.right];
    default:
      return assertNever(p, 'plan');
  }
}

export function withChildren(p: LogicalPlan, c: readonly LogicalPlan[]): LogicalPlan {
  switch (p.kind) {
    case 'scan':
    case 'values':
      return p;
    case 'union':
      return { ...p, inputs: c };
    case 'enforce_single_row':
    case 'replicate':
    case 'window':
    case 'filter':
    case 'project':
    case 'aggregate':
    case 'sort':
    case 'top_n':
    case 'limit':
    case 'insert':
      return { ...p, input: c[0] ?? p.input };
    case 'join':
      return { ...p, left: c[0] ?? p.left, right: c[1] ?? p.right };
    default:
      return assertNever(p, 'plan');
  }
}

export function outputOf(p: LogicalPlan): readonly PlanSymbol[] {
  switch (p.kind) {
    case 'scan':
      return p.columns.map((c) => c.symbol);
    case 'values':
    case 'insert':
    case 'union':
      return p.output;
    case 'enforce_single_row':
    case 'replicate':
      return outputOf(p.input);
    case 'window':
      return [...outputOf(p.input), ...p.functions.map((f) => f.output)];
    case 'filter':
    case 'sort':
    case 'top_n':
    case 'limit':
      return outputOf(p.input);
    case 'project':
      return p.items.map((i) => i.symbol);
    case 'aggregate':
      return [...p.groupBy, ...p.aggregates.map((a) => a.output)];
    case 'join':
      return p.joinType === 'semi' || p.joinType === 'anti'
        ? outputOf(p.left)
        : [...outputOf(p.left), ...outputOf(p.right)];
    default:
      return assertNever(p, 'plan');
  }
}

export function refTo(s: PlanSymbol): Expr {
  return { kind: 'ref', id: s.id, type: s.type };
}

/** Hands out statement-unique symbol ids. */
export class SymbolAllocator {
  private next = 0;
  new(name: string, type: DataType): PlanSymbol {
    return { id: `${name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 24)}_${this.next++}`, name, type };
  }
}
