// Trino statements that PostgreSQL's grammar does not have. Recognised before libpg-query:
//   SHOW CATALOGS [LIKE 'p']            SHOW SCHEMAS [FROM|IN catalog] [LIKE 'p']
//   SHOW TABLES [FROM|IN [catalog.]schema] [LIKE 'p']
//   SHOW COLUMNS FROM|IN table          DESCRIBE table          USE [catalog.]schema
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
