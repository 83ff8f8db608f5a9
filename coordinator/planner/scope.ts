// Name resolution: which symbol a column reference means in a FROM clause's scope.
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { PlanSymbol } from './logical.js';

export interface ScopeField {
  /** Alias, or the table's name parts [catalog, schema, table] when not aliased. */
  readonly qualifier: readonly string[];
  readonly name: string;
  readonly symbol: PlanSymbol;
  /** Not found by an unqualified reference (the right side's copy of a USING column). */
  readonly hiddenUnqualified?: boolean;
}

export class Scope {
  /** `parent`: the enclosing query's scope, for correlated references from a subquery. */
  constructor(
    readonly fields: readonly ScopeField[],
    readonly parent?: Scope,
  ) {}

  static empty(parent?: Scope): Scope {
    return new Scope([], parent);
  }

  concat(other: Scope): Scope {
    return new Scope([...this.fields, ...other.fields], this.parent ?? other.parent);
  }

  withParent(parent: Scope | undefined): Scope {
    return new Scope(this.fields, parent);
  }

  /** Symbols of this query level only (not the enclosing queries'). */
  localIds(): Set<string> {
    return new Set(this.fields.map((f) => f.symbol.id));
  }

  /** Resolves `a`, `t.a`, `s.t.a` or `c.s.t.a`. */
  resolve(parts: readonly string[], position: number | undefined): ScopeField {
    const name = parts[parts.length - 1] ?? '';
    const qualifier = parts.slice(0, -1);
    const matches = this.fields.filter(
      (f) => f.name === name && (qualifier.length === 0 ? !f.hiddenUnqualified : endsWith(f.qualifier, qualifier)),
    );
    if (matches.length === 1 && matches[0]) return matches[0];
    const shown = parts.join('.');
    if (matches.length > 1) {
      throw new SqlError(SqlStates.ambiguousColumn, `column reference "${shown}" is ambiguous`, position);
    }
    if (this.parent) return this.parent.resolve(parts, position);
    if (qualifier.length > 0 && !this.fields.some((f) => endsWith(f.qualifier, qualifier))) {
      throw new SqlError(
        SqlStates.undefinedTable,
        `missing FROM-clause entry for table "${qualifier.join('.')}"`,
        position,
      );
    }
    throw new SqlError(SqlStates.undefinedColumn, `column "${shown}" does not exist`, position);
  }

  /** Fields for `*` or `t.*`. */
  star(qualifier: readonly string[], position: number | undefined): ScopeField[] {
    if (qualifier.length === 0) return this.fields.filter((f) => !f.hiddenUnqualified);
    const found = this.fields.filter((f) => endsWith(f.qualifier, qualifier));
    if (found.length === 0) {
      throw new SqlError(
        SqlStates.undefinedTable,
        `missing FROM-clause entry for table "${qualifier.join('.')}"`,
        position,
      );
    }
    return found;
  }
}

function endsWith(full: readonly string[], suffix: readonly string[]): boolean {
  if (suffix.length > full.length) return false;
  const off = full.length - suffix.length;
  return suffix.every((s, i) => full[off + i] === s);
}
