// float8 output as PostgreSQL 12+ prints it (extra_float_digits = 1, the default): the shortest
// string that reads back to the same double, in %g style — fixed notation for decimal exponents
// -4..14, otherwise d.ddde±XX with at least two exponent digits.

export function formatDouble(x: number): string {
  const a = x < 0 ? -x : x;
  if (a >= 1e-4 && a < 1e15) return String(x); // JS uses fixed notation over this whole range
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  if (Number.isNaN(x)) return 'NaN';
  if (a === Number.POSITIVE_INFINITY) return x > 0 ? 'Infinity' : '-Infinity';
  // toExponential() without an argument gives the shortest round-trip digits: "1.5e-7", "1e+21"
  const s = x.toExponential();
  const e = s.indexOf('e');
  const sign = s.charCodeAt(e + 1); // '+' or '-'
  const digits = s.slice(e + 2);
  return `${s.slice(0, e + 1)}${sign === 45 ? '-' : '+'}${digits.length === 1 ? `0${digits}` : digits}`;
}
