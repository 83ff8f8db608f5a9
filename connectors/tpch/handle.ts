// The tpch table handle and split payload (plain JSON), and their validation on the worker side.

import { SqlError } from '../../common/errors.js';
import type { JsonValue } from '../../common/json.js';
import { checkScaleFactor, isTableName, type TpchTableName } from './schema.js';

export interface TpchHandle {
  readonly schema: string;
  readonly table: TpchTableName;
  readonly sf: number;
}

/** Units [start, end) of a table (rows; parts for partsupp; orders for lineitem). */
export interface TpchSplit {
  readonly table: TpchTableName;
  readonly sf: number;
  readonly start: number;
  readonly end: number;
}

function isObject(v: JsonValue): v is { readonly [k: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseHandle(v: JsonValue): TpchHandle {
  if (isObject(v) && typeof v.schema === 'string' && typeof v.table === 'string' && typeof v.sf === 'number') {
    const { schema, table, sf } = v;
    if (isTableName(table)) {
      checkScaleFactor(sf);
      return { schema, table, sf };
    }
  }
  throw SqlError.internal(`invalid tpch table handle: ${JSON.stringify(v)}`);
}

export function parseSplit(v: JsonValue): TpchSplit {
  if (
    isObject(v) &&
    typeof v.table === 'string' &&
    isTableName(v.table) &&
    typeof v.sf === 'number' &&
    typeof v.start === 'number' &&
    typeof v.end === 'number' &&
    Number.isInteger(v.start) &&
    Number.isInteger(v.end) &&
    v.start >= 0 &&
    v.end >= v.start
  ) {
    checkScaleFactor(v.sf);
    return { table: v.table, sf: v.sf, start: v.start, end: v.end };
  }
  throw SqlError.internal(`invalid tpch split: ${JSON.stringify(v)}`);
}

export function handleJson(h: TpchHandle): JsonValue {
  return { schema: h.schema, table: h.table, sf: h.sf };
}

export function splitJson(s: TpchSplit): JsonValue {
  return { table: s.table, sf: s.sf, start: s.start, end: s.end };
}
