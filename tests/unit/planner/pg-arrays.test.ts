import { describe, expect, it } from 'vitest';
import { formatArrayText, parseArrayText } from '../../../coordinator/planner/pg-arrays.js';
import { formatType, sizePretty } from '../../../coordinator/planner/pg-functions.js';

describe('array text form', () => {
  it('parses one-dimensional arrays with quotes, escapes and NULLs', () => {
    expect(parseArrayText('{}')).toEqual([]);
    expect(parseArrayText('{pg_catalog,tiny}')).toEqual(['pg_catalog', 'tiny']);
    expect(parseArrayText('{"a b","c,d","e\\"f",NULL,"NULL", x }')).toEqual(['a b', 'c,d', 'e"f', null, 'NULL', 'x']);
    expect(parseArrayText('not an array')).toBe(undefined);
    expect(parseArrayText('{{1,2},{3,4}}')).toBe(undefined);
  });

  it('formats what it parses', () => {
    const items = ['pg_catalog', 'a b', '', 'q"t', null, 'null'];
    expect(formatArrayText(items)).toBe('{pg_catalog,"a b","","q\\"t",NULL,"null"}');
    expect(parseArrayText(formatArrayText(items))).toEqual(items);
  });
});

describe('format_type and pg_size_pretty of constants', () => {
  it('prints SQL type names with their modifiers', () => {
    expect(formatType(1700, ((12 << 16) | 2) + 4)).toBe('numeric(12,2)');
    expect(formatType(1043, 29)).toBe('character varying(25)');
    expect(formatType(1184, 6)).toBe('timestamp(6) with time zone');
    expect(formatType(1015, -1)).toBe('character varying[]');
    expect(formatType(4242, -1)).toBe('???');
  });

  it('rounds like PostgreSQL', () => {
    expect(sizePretty(10_239n)).toBe('10239 bytes');
    expect(sizePretty(10_240n)).toBe('10 kB');
    expect(sizePretty(-20_000_000n)).toBe('-19 MB');
    expect(sizePretty(1024n ** 5n)).toBe('1024 TB');
  });
});
