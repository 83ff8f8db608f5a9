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
  trim: 'trim(s[, chars]): spaces (or any character of chars) from both ends (btrim)',
  ltrim: 'ltrim(s[, chars]): from the start',
  rtrim: 'rtrim(s[, chars]): from the end',
  strpos: 'strpos(s, sub): integer, 1-based code point position of the first match, 0 if none (position(sub IN s))',
  starts_with: 'starts_with(s, prefix): boolean',
  replace: 'replace(s, from, to): every occurrence; empty from leaves s unchanged',
  split_part:
    'split_part(s, delimiter, n integer): field n (negative: from the end), empty if out of range; n = 0 raises 22023',
  lpad: 'lpad(s, length integer, fill varchar): the binder supplies fill " " when omitted; truncates when longer',
  rpad: 'rpad(s, length integer, fill varchar)',
  left: 'left(s, n integer): first n characters (negative n: all but the last |n|)',
  right: 'right(s, n integer): last n characters (negative n: all but the first |n|)',
  reverse: 'reverse(s)',
  repeat: 'repeat(s, n integer): empty when n <= 0',
  initcap: 'initcap(s): ASCII words capitalised (PostgreSQL in the C locale)',
  chr: 'chr(n integer): varchar; 0 and out-of-range code points raise 54000, negative 22023',
  ascii: 'ascii(s): integer code point of the first character, 0 for empty',
  md5: 'md5(s): lower-case hex digest',
  regexp_like:
    'regexp_like(s, pattern[, flags]): boolean; PostgreSQL ARE syntax where it agrees with JS (plus [[:class:]], \\y \\m \\M); flags i c n g; invalid pattern 2201B. Operators ~ ~* !~ !~* bind to it',
  regexp_replace:
    'regexp_replace(s, pattern, replacement[, flags]): first match unless flag g; \\1..\\9 and \\& in the replacement',
  // Numbers.
  abs: 'abs(x): same type',
  round:
    'round(x[, digits integer]): same type (decimal: scale kept, digits beyond rounded half away from zero); double rounds half away from zero',
  ceil: 'ceil(x)',
  floor: 'floor(x)',
  trunc:
    'trunc(x[, digits integer]): double -> double; decimal -> decimal of the result type (binder: scale 0 or max(digits, 0))',
  sign: 'sign(x): double -> double; decimal -> decimal(1,0)',
  power: 'power(x double, y double): 2201F for 0^negative and negative^fraction, 22003 on overflow',
  sqrt: 'sqrt(x double): 2201F when negative',
  cbrt: 'cbrt(x double)',
  ln: 'ln(x double): 2201E for zero / negative',
  log10: 'log10(x double): PostgreSQL log(x)',
  log: 'log(b double, x double): logarithm base b; base 1 raises 22012',
  exp: 'exp(x double): 22003 on overflow',
  degrees: 'degrees(x double)',
  radians: 'radians(x double)',
  random: 'random(): double in [0, 1), volatile (per row, never folded)',
  greatest: 'greatest(a, b, ...): all arguments have the result type; NULLs ignored, NULL only if all are NULL',
  least: 'least(a, b, ...): as greatest',
  // Conditionals (all arguments have the result type).
  coalesce: 'coalesce(a, b, ...): first non-NULL',
  nullif: 'nullif(a, b): NULL if a = b, else a',
  // Date/time: field names are lower-case string literals.
  extract:
    'extract(field varchar literal, date|timestamp): bigint; fields year month day hour minute second quarter dow isodow doy week isoyear epoch decade century millennium milliseconds microseconds',
  date_trunc:
    'date_trunc(unit varchar literal, timestamp): timestamp; units microseconds milliseconds second minute hour day week month quarter year decade century millennium',
  date_add:
    'date_add(unit varchar literal, n bigint, date|timestamp): same type as the third argument; dates take units of a day or longer (date ± integer binds to it)',
  date_diff:
    'date_diff(unit varchar literal, a, b): complete units from a to b (a, b both date or both timestamp); result type bigint, or integer for date - date',
  make_date: 'make_date(year integer, month integer, day integer): date; invalid fields raise 22008',
} as const;

export type ScalarFunctionName = keyof typeof SCALAR_FUNCTIONS;
