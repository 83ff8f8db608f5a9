// Implicit type coercion and the result types of operators (Trino's decimal rules, which keep
// decimal arithmetic exact; PostgreSQL's leniency for untyped string literals).
import type { Expr } from '../../common/expr/expr.js';
import {
  BIGINT,
  type DataType,
  DOUBLE,
  decimal,
  INTEGER,
  isNumeric,
  MAX_DECIMAL_PRECISION,
  TIMESTAMP,
  TIMESTAMPTZ,
  typeEquals,
} from '../../common/types.js';

/** integer and bigint seen as decimals, for mixing with decimals. */
function asDecimal(t: DataType): { precision: number; scale: number } | undefined {
  if (t.kind === 'decimal') return t;
  if (t.kind === 'integer') return { precision: 10, scale: 0 };
  if (t.kind === 'bigint') return { precision: 19, scale: 0 };
  return undefined;
}

/** The type both sides of a comparison (or branches of a CASE) are cast to. */
export function commonSuperType(a: DataType, b: DataType): DataType | undefined {
  if (typeEquals(a, b)) return a;
  if (a.kind === 'unknown') return b;
  if (b.kind === 'unknown') return a;
  if (isNumeric(a) && isNumeric(b)) {
    if (a.kind === 'double' || b.kind === 'double') return DOUBLE;
    if (a.kind === 'decimal' || b.kind === 'decimal') {
      const da = asDecimal(a);
      const db = asDecimal(b);
      if (!da || !db) return undefined;
      const scale = Math.max(da.scale, db.scale);
      const integral = Math.max(da.precision - da.scale, db.precision - db.scale);
      return decimal(Math.min(MAX_DECIMAL_PRECISION, integral + scale), scale);
    }
    if (a.kind === 'bigint' || b.kind === 'bigint') return BIGINT;
    return INTEGER;
  }
  if ((a.kind === 'date' && b.kind === 'timestamp') || (a.kind === 'timestamp' && b.kind === 'date')) return TIMESTAMP;
  // PostgreSQL promotes date and timestamp to timestamptz (in the session zone) next to one.
  if (a.kind === 'timestamptz' && (b.kind === 'date' || b.kind === 'timestamp')) return TIMESTAMPTZ;
  if (b.kind === 'timestamptz' && (a.kind === 'date' || a.kind === 'timestamp')) return TIMESTAMPTZ;
  return undefined;
}

export type ArithmeticOp = 'add' | 'subtract' | 'multiply' | 'divide' | 'modulus';

/**
 * Result type of `a op b` for numeric operands, or undefined when the operator does not apply.
 * Operands must then be cast by `arithmeticOperandType`.
 */
export function arithmeticResultType(op: ArithmeticOp, a: DataType, b: DataType): DataType | undefined {
  if (!isNumeric(a) || !isNumeric(b)) return undefined;
  if (a.kind === 'double' || b.kind === 'double') return DOUBLE;
  if (a.kind === 'decimal' || b.kind === 'decimal') {
    const x = asDecimal(a);
    const y = asDecimal(b);
    if (!x || !y) return undefined;
    const cap = (p: number) => Math.min(MAX_DECIMAL_PRECISION, p);
    switch (op) {
      case 'add':
      case 'subtract': {
        const s = Math.max(x.scale, y.scale);
        return decimal(cap(Math.max(x.precision - x.scale, y.precision - y.scale) + s + 1), s);
      }
      case 'multiply':
        return decimal(cap(x.precision + y.precision), Math.min(MAX_DECIMAL_PRECISION, x.scale + y.scale));
      case 'divide': {
        const s = Math.max(x.scale, y.scale);
        return decimal(cap(x.precision - x.scale + y.scale + s), s);
      }
      case 'modulus': {
        const s = Math.max(x.scale, y.scale);
        return decimal(cap(Math.min(x.precision - x.scale, y.precision - y.scale) + s), s);
      }
    }
  }
  if (a.kind === 'bigint' || b.kind === 'bigint') return BIGINT;
  return INTEGER;
}

/**
 * What an operand of an arithmetic operator is cast to: integers mixed with decimals become
 * decimal(10,0)/decimal(19,0); otherwise the operand keeps its type unless the result is
 * integral (then both become the result type) or double.
 */
export function arithmeticOperandType(operand: DataType, result: DataType): DataType {
  if (result.kind === 'decimal') {
    if (operand.kind === 'integer') return decimal(10, 0);
    if (operand.kind === 'bigint') return decimal(19, 0);
    return operand;
  }
  return result;
}

export function castIfNeeded(e: Expr, to: DataType): Expr {
  if (typeEquals(e.type, to)) return e;
  if (e.kind === 'literal' && e.value === null) return { kind: 'literal', value: null, type: to };
  return { kind: 'cast', arg: e, type: to };
}
