// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests spell ${ENV:NAME} references literally
import { describe, expect, it } from 'vitest';
import { SqlError } from '../../../common/errors.js';
import { parseProperties, substituteEnv } from '../../../coordinator/catalog/properties.js';

const parse = (text: string) => Object.fromEntries(parseProperties(text, 'catalogs/x.properties'));

function errorOf(f: () => unknown): SqlError {
  try {
    f();
  } catch (e) {
    if (e instanceof SqlError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('parseProperties', () => {
  it('accepts =, : and blanks as separators, with blanks around them', () => {
    expect(parse('a=1\nb = 2\nc:3\nd : 4\ne 5\nf\t6\n  g   =   7')).toEqual({
      a: '1',
      b: '2',
      c: '3',
      d: '4',
      e: '5',
      f: '6',
      g: '7',
    });
  });

  it('skips # and ! comments and blank lines, but not comment chars inside values', () => {
    expect(parse('# comment\n! other\n\n   \n  # indented comment\nurl=a#b!c # not a comment')).toEqual({
      url: 'a#b!c # not a comment',
    });
  });

  it('keeps separators after the first one in the value', () => {
    expect(parse('connection-url=jdbc:postgresql://h:5432/db?ssl=true')).toEqual({
      'connection-url': 'jdbc:postgresql://h:5432/db?ssl=true',
    });
    expect(parse('a==b')).toEqual({ a: '=b' });
    expect(parse('a = : b')).toEqual({ a: ': b' });
  });

  it('gives empty values for a key alone or a key with a separator', () => {
    expect(parse('a\nb=\nc :   ')).toEqual({ a: '', b: '', c: '' });
  });

  it('joins continuation lines, dropping the next line leading blanks', () => {
    expect(parse('list=one,\\\n    two,\\\n\tthree\nnext=x')).toEqual({ list: 'one,two,three', next: 'x' });
  });

  it('does not continue on an even number of trailing backslashes', () => {
    expect(parse('path=c:\\\\dir\\\\\nnext=1')).toEqual({ path: 'c:\\dir\\', next: '1' });
  });

  it('a comment line ending in a backslash does not continue', () => {
    expect(parse('# comment \\\nkey=v')).toEqual({ key: 'v' });
  });

  it('a continuation followed by a blank line ends the value', () => {
    expect(parse('a=x\\\n\nb=y')).toEqual({ a: 'x', b: 'y' });
  });

  it('a backslash at the very end of the file is dropped', () => {
    expect(parse('a=x\\')).toEqual({ a: 'x' });
  });

  it('resolves escapes in keys and values', () => {
    expect(parse('a\\=b=c')).toEqual({ 'a=b': 'c' });
    expect(parse('my\\ key=v')).toEqual({ 'my key': 'v' });
    expect(parse('a\\:b:c')).toEqual({ 'a:b': 'c' });
    expect(parse('t=x\\ty\\nz\\u0041\\u00e9\\q')).toEqual({ t: 'x\ty\nzAéq' });
  });

  it('trims values at both ends, after escapes', () => {
    expect(parse('a=  v  \t')).toEqual({ a: 'v' });
  });

  it('ignores a byte order mark', () => {
    expect(parse('\uFEFFconnector.name=memory')).toEqual({ 'connector.name': 'memory' });
  });

  it('accepts \\r\\n and \\r line endings', () => {
    expect(parse('a=1\r\nb=2\rc=3\r\n')).toEqual({ a: '1', b: '2', c: '3' });
  });

  it('rejects a malformed \\u escape with file and line', () => {
    const e = errorOf(() => parseProperties('ok=1\nbad=\\u12G4', 'catalogs/x.properties'));
    expect(e.sqlState).toBe('F0000');
    expect(e.message).toBe('catalogs/x.properties:2: malformed \\uxxxx escape');
  });

  it('rejects a key given twice, naming file, line and key', () => {
    const e = errorOf(() => parseProperties('a=1\n# c\na=2', 'catalogs/x.properties'));
    expect(e.sqlState).toBe('F0000');
    expect(e.message).toBe("catalogs/x.properties:3: duplicate property 'a'");
  });
});

describe('substituteEnv', () => {
  const env = { PG_USER: 'alice', PG_PASS: 's3cret', EMPTY: '' };

  it('replaces every ${ENV:NAME}', () => {
    expect(substituteEnv('${ENV:PG_USER}:${ENV:PG_PASS}@h', env, 'f', 'k')).toBe('alice:s3cret@h');
    expect(substituteEnv('x${ENV:EMPTY}y', env, 'f', 'k')).toBe('xy');
  });

  it('leaves other ${...} text alone', () => {
    expect(substituteEnv('${HOME} ${env:PG_USER} $ENV:PG_USER', env, 'f', 'k')).toBe(
      '${HOME} ${env:PG_USER} $ENV:PG_USER',
    );
  });

  it('names the file, key and variable when the variable is not set', () => {
    const e = errorOf(() => substituteEnv('${ENV:NOPE_NOT_SET}', env, 'catalogs/pg.properties', 'connection-password'));
    expect(e.sqlState).toBe('F0000');
    expect(e.message).toBe(
      "catalogs/pg.properties: property 'connection-password' references environment variable 'NOPE_NOT_SET', which is not set",
    );
  });
});
