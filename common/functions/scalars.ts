// Scalar functions and operators the binder may emit in `call` expressions, and the kernels
// in worker/expressions implement. The binder coerces arguments; the notes say what a kernel
// may rely on. NULL in => NULL out unless stated.
export const SCALAR_FUNCTIONS = {
  // Arithmetic. Both arguments have the same kind (integer|bigint|double|decimal). Integers
  // raise 22003 on overflow of the result type and truncate on division (like PostgreSQL);
  // division and modulus by zero raise 22012. Decimals may differ in precision/scale: the
  // kernel rescales to the result type (add/subtract/modulus: scale max(s1,s2); multiply:
  // s1+s2; divide: the result type's scale, rounded half away from zero) and raises 22003
  // when the result exceeds the result type's precision.
  add: 'a + b',
  subtract: 'a - b',
  multiply: 'a * b',
  divide: 'a / b',
  modulus: 'a % b',
  negate: '-a',
  // Comparisons: both arguments have exactly the same type (the binder casts). Strings compare
  // by code point (C collation). Result boolean.
  eq: 'a = b',
  ne: 'a <> b',
  lt: 'a < b',
  le: 'a <= b',
  gt: 'a > b',
  ge: 'a >= b',
  // Strings.
  like: 'like(s, pattern[, escape]): SQL LIKE with % and _ ; escape is a 1-char string',
  ilike: 'ilike(s, pattern[, escape])',
  concat: 'concat(a, b, ...): varchar, NULL arguments are skipped (|| is rewritten to a NULL-propagating concat_op)',
  concat_op: 'a || b: NULL if either is NULL',
  lower: 'lower(s)',
  upper: 'upper(s)',
  length: 'length(s): integer, in characters (code points)',
  substring: 'substring(s, start integer[, length integer]): 1-based, like PostgreSQL',
  trim: 'trim(s): spaces from both ends',
  // Numbers.
  abs: 'abs(x): same type',
  round:
    'round(x[, digits integer]): same type (decimal: scale kept, digits beyond rounded half away from zero); double rounds half away from zero',
  ceil: 'ceil(x)',
  floor: 'floor(x)',
  // Conditionals (all arguments have the result type).
  coalesce: 'coalesce(a, b, ...): first non-NULL',
  nullif: 'nullif(a, b): NULL if a = b, else a',
  // Date/time: field names are lower-case string literals.
  extract:
    'extract(field varchar literal, date|timestamp): bigint; fields year month day hour minute second quarter dow doy week',
} as const;

export type ScalarFunctionName = keyof typeof SCALAR_FUNCTIONS;
