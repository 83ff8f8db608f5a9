// Tributary has no array type. PostgreSQL clients still use arrays in catalog queries
// (`nspname = ANY (current_schemas(true))`, `(current_schemas(true))[1]`, `array_to_string(...)`),
// almost always over constants. Such arrays are carried as varchar literals in PostgreSQL's text
// form ('{pg_catalog,tiny}') and taken apart where an array is expected.

/** Elements of an array literal '{a,"b c",NULL}' (one dimension), or undefined if `s` is not one. */
export function parseArrayText(s: string): (string | null)[] | undefined {
  const t = s.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
  const body = t.slice(1, -1);
  const out: (string | null)[] = [];
  if (body.trim() === '') return out;
  let i = 0;
  while (i <= body.length) {
    while (body[i] === ' ') i++;
    let value = '';
    let quoted = false;
    if (body[i] === '"') {
      quoted = true;
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i++;
        value += body[i] ?? '';
        i++;
      }
      if (body[i] !== '"') return undefined;
      i++;
      while (body[i] === ' ') i++;
    } else {
      while (i < body.length && body[i] !== ',') {
        if (body[i] === '{' || body[i] === '"') return undefined; // nested arrays: not supported
        if (body[i] === '\\') i++;
        value += body[i] ?? '';
        i++;
      }
      value = value.trim();
    }
    out.push(!quoted && value.toUpperCase() === 'NULL' ? null : value);
    if (i >= body.length) break;
    if (body[i] !== ',') return undefined;
    i++;
  }
  return out;
}

/** PostgreSQL's text form of a one-dimensional array. */
export function formatArrayText(items: readonly (string | null)[]): string {
  const quote = (v: string | null) => {
    if (v === null) return 'NULL';
    if (v === '' || /[{},"\\\s]/.test(v) || v.toUpperCase() === 'NULL') {
      return `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    }
    return v;
  };
  return `{${items.map(quote).join(',')}}`;
}
