// Trino statements that PostgreSQL's grammar does not have. Recognised before libpg-query:
//   SHOW CATALOGS [LIKE 'p']            SHOW SCHEMAS [FROM|IN catalog] [LIKE 'p']
//   SHOW TABLES [FROM|IN [catalog.]schema] [LIKE 'p']
//   SHOW COLUMNS FROM|IN table          DESCRIBE table          USE [catalog.]schema
//   CREATE TABLE [IF NOT EXISTS] name WITH (key = 'v' | ARRAY['a', ...] | 42 | ident, ...) AS query
//     (Trino table properties; the query text is parsed by libpg-query afterwards)
import { SqlError } from '../../common/errors.js';

export type TrinoStatement =
  | { readonly kind: 'empty' }
  | { readonly kind: 'show_catalogs'; readonly like?: string }
  | { readonly kind: 'show_schemas'; readonly catalog?: string; readonly like?: string }
  | { readonly kind: 'show_tables'; readonly name?: readonly string[]; readonly like?: string }
  | { readonly kind: 'show_columns'; readonly name: readonly string[] }
  | { readonly kind: 'use'; readonly name: readonly string[] }
  | { readonly kind: 'create_schema'; readonly name: readonly string[]; readonly ifNotExists: boolean }
  | {
      readonly kind: 'create_table_as';
      readonly name: readonly string[];
      readonly ifNotExists: boolean;
      readonly properties: Readonly<Record<string, string | string[]>>;
      /** The query after AS, as text. */
      readonly query: string;
      /** Offset of the query in the statement text (for error positions). */
      readonly queryOffset: number;
    }
  | {
      readonly kind: 'drop_schema';
      readonly name: readonly string[];
      readonly ifExists: boolean;
      readonly cascade: boolean;
    };

const IDENT = `(?:"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)`;
const QNAME = String.raw`(${IDENT}(?:\s*\.\s*${IDENT}){0,2})`;
const LIKE = String.raw`(?:\s+like\s+'((?:[^']|'')*)')?`;
const END = String.raw`\s*;?\s*$`;

const patterns: readonly [RegExp, (m: RegExpExecArray) => TrinoStatement][] = [
  [new RegExp(`^\\s*show\\s+catalogs${LIKE}${END}`, 'i'), (m) => withLike({ kind: 'show_catalogs' }, m[1])],
  [
    new RegExp(`^\\s*show\\s+schemas(?:\\s+(?:from|in)\\s+(${IDENT}))?${LIKE}${END}`, 'i'),
    (m) => withLike({ kind: 'show_schemas', ...(m[1] ? { catalog: one(m[1]) } : {}) }, m[2]),
  ],
  [
    new RegExp(`^\\s*show\\s+tables(?:\\s+(?:from|in)\\s+${QNAME})?${LIKE}${END}`, 'i'),
    (m) => withLike({ kind: 'show_tables', ...(m[1] ? { name: splitName(m[1]) } : {}) }, m[2]),
  ],
  [
    new RegExp(`^\\s*show\\s+columns\\s+(?:from|in)\\s+${QNAME}${END}`, 'i'),
    (m) => ({ kind: 'show_columns', name: splitName(m[1] ?? '') }),
  ],
  [
    new RegExp(`^\\s*(?:describe|desc)\\s+${QNAME}${END}`, 'i'),
    (m) => ({ kind: 'show_columns', name: splitName(m[1] ?? '') }),
  ],
  [new RegExp(`^\\s*use\\s+${QNAME}${END}`, 'i'), (m) => ({ kind: 'use', name: splitName(m[1] ?? '') })],
  [
    new RegExp(`^\\s*create\\s+schema\\s+(if\\s+not\\s+exists\\s+)?${QNAME}${END}`, 'i'),
    (m) => ({ kind: 'create_schema', name: splitName(m[2] ?? ''), ifNotExists: !!m[1] }),
  ],
  [
    new RegExp(`^\\s*drop\\s+schema\\s+(if\\s+exists\\s+)?${QNAME}(\\s+cascade|\\s+restrict)?${END}`, 'i'),
    (m) => ({
      kind: 'drop_schema',
      name: splitName(m[2] ?? ''),
      ifExists: !!m[1],
      cascade: /cascade/i.test(m[3] ?? ''),
    }),
  ],
];

export function parseTrinoStatement(sql: string): TrinoStatement | undefined {
  if (/^\s*create\s+table\b/i.test(sql)) return parseCreateTableWith(sql);
  if (/^\s*(create|drop)\s+schema\b/i.test(sql)) {
    for (const [re, build] of patterns) {
      const m = re.exec(sql);
      if (m) return build(m);
    }
    return undefined;
  }
  const head = /^\s*(show|describe|desc|use)\b/i.exec(sql);
  if (!head) return undefined;
  for (const [re, build] of patterns) {
    const m = re.exec(sql);
    if (m) return build(m);
  }
  const word = head[1]?.toLowerCase();
  // `SHOW <setting>` is PostgreSQL's; let libpg-query have it.
  if (word === 'show' && !/^\s*show\s+(catalogs|schemas|tables|columns)\b/i.test(sql)) return undefined;
  throw SqlError.syntax(`syntax error in ${word?.toUpperCase()} statement`, (head.index ?? 0) + 1);
}

function withLike<T extends TrinoStatement>(s: T, like: string | undefined): T {
  return like === undefined ? s : { ...s, like: like.replace(/''/g, "'") };
}

/** Splits a dotted name into parts: quoted parts keep case, unquoted ones fold to lower case. */
export function splitName(text: string): string[] {
  const parts: string[] = [];
  const re = new RegExp(IDENT, 'g');
  for (const m of text.matchAll(re)) parts.push(one(m[0]));
  return parts;
}

function one(ident: string): string {
  return ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident.toLowerCase();
}

const CTAS_HEAD = new RegExp(`^\\s*create\\s+table\\s+(if\\s+not\\s+exists\\s+)?${QNAME}\\s+with\\s*\\(`, 'i');

/** `CREATE TABLE name WITH (props) AS query`; undefined for anything else (PostgreSQL's grammar takes it). */
function parseCreateTableWith(sql: string): TrinoStatement | undefined {
  const head = CTAS_HEAD.exec(sql);
  if (!head) return undefined;
  const at = { pos: head[0].length };
  const properties = parseProperties(sql, at);
  const rest = /^\s*as\s+/i.exec(sql.slice(at.pos));
  if (!rest) return undefined;
  const queryOffset = at.pos + rest[0].length;
  const query = sql.slice(queryOffset).replace(/;\s*$/, '');
  if (query.trim() === '') throw SqlError.syntax('CREATE TABLE ... AS without a query', queryOffset + 1);
  return {
    kind: 'create_table_as',
    name: splitName(head[2] ?? ''),
    ifNotExists: !!head[1],
    properties,
    query,
    queryOffset,
  };
}

/** `key = value, ...)`: values are 'strings', ARRAY['a', ...], numbers or bare words; `at.pos` ends after `)`. */
function parseProperties(sql: string, at: { pos: number }): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const fail = (what: string): never => {
    throw SqlError.syntax(`syntax error in table properties: ${what}`, at.pos + 1);
  };
  const skip = () => {
    while (at.pos < sql.length && /\s/.test(sql[at.pos]!)) at.pos++;
  };
  const take = (re: RegExp): RegExpExecArray | undefined => {
    skip();
    re.lastIndex = at.pos;
    const m = re.exec(sql);
    if (!m || m.index !== at.pos) return undefined;
    at.pos += m[0].length;
    return m;
  };
  const str = /'((?:[^']|'')*)'/y;
  const scalar = (): string | undefined => {
    const q = take(str);
    if (q) return (q[1] ?? '').replace(/''/g, "'");
    const w = take(/-?\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*/y);
    return w?.[0];
  };
  skip();
  if (sql[at.pos] === ')') {
    at.pos++;
    return out;
  }
  for (;;) {
    const key = take(new RegExp(IDENT, 'y'));
    if (!key) fail('expected a property name');
    if (!take(/=/y)) fail('expected =');
    let value: string | string[] | undefined;
    if (take(/array\s*\[/iy)) {
      const items: string[] = [];
      if (!take(/\]/y)) {
        for (;;) {
          const v = scalar();
          if (v === undefined) fail('expected an ARRAY element');
          items.push(v as string);
          if (take(/\]/y)) break;
          if (!take(/,/y)) fail('expected , or ]');
        }
      }
      value = items;
    } else {
      value = scalar();
      if (value === undefined) fail('expected a property value');
    }
    out[one(key?.[0] ?? '')] = value as string | string[];
    if (take(/\)/y)) return out;
    if (!take(/,/y)) fail('expected , or )');
  }
}
