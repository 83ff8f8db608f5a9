// Java .properties files, as Trino reads etc/catalog/<name>.properties (java.util.Properties
// load rules, then values trimmed like airlift's ConfigurationLoader), plus `${ENV:NAME}`
// substitution in values.
//
//   # comment            ! comment             (only at the start of a logical line)
//   key=value            key: value            key value        (first unescaped =, : or blank ends the key)
//   long.value=a,\       a line ending in an odd number of backslashes continues on the next
//       b                line, whose leading blanks are dropped
//   \t \n \r \f \uXXXX   escapes in keys and values; any other `\c` is `c` (so `\=` and `\ ` in keys)
//
// Differences from java.util.Properties, on purpose: a key given twice is an error (it is
// almost always a mistake in a catalog file), and values are trimmed at both ends.
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';

function configError(message: string): SqlError {
  return new SqlError(SqlStates.configFileError, message);
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\f';
}

function stripLeadingBlanks(s: string): string {
  let i = 0;
  while (i < s.length && isBlank(s[i])) i++;
  return s.slice(i);
}

function trailingBackslashes(s: string): number {
  let n = 0;
  while (n < s.length && s[s.length - 1 - n] === '\\') n++;
  return n;
}

/** Trims like java.lang.String.trim(): every char <= U+0020 at both ends. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/** Resolves backslash escapes (java.util.Properties#loadConvert). */
function unescapeJava(s: string, source: string, line: number): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    const e = s[i];
    if (e === undefined) break; // a lone trailing backslash at end of file: dropped, as Java does
    switch (e) {
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        const hex = s.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw configError(`${source}:${line}: malformed \\uxxxx escape`);
        out += String.fromCharCode(Number.parseInt(hex, 16));
        i += 4;
        break;
      }
      default:
        out += e;
    }
  }
  return out;
}

/** Splits one logical line into its raw (still escaped) key and value. */
function splitKeyValue(line: string): { key: string; value: string } {
  let keyLen = 0;
  let valueStart = line.length;
  let hasSep = false;
  let precedingBackslash = false;
  while (keyLen < line.length) {
    const c = line[keyLen]!;
    if ((c === '=' || c === ':') && !precedingBackslash) {
      valueStart = keyLen + 1;
      hasSep = true;
      break;
    }
    if (isBlank(c) && !precedingBackslash) {
      valueStart = keyLen + 1;
      break;
    }
    precedingBackslash = c === '\\' ? !precedingBackslash : false;
    keyLen++;
  }
  while (valueStart < line.length) {
    const c = line[valueStart];
    if (!isBlank(c)) {
      if (!hasSep && (c === '=' || c === ':')) hasSep = true;
      else break;
    }
    valueStart++;
  }
  return { key: line.slice(0, keyLen), value: line.slice(valueStart) };
}

/**
 * Parses the text of a .properties file. `source` (the file path) prefixes error messages,
 * with the line number: `catalogs/pg.properties:3: duplicate property 'connection-url'`.
 */
export function parseProperties(text: string, source: string): Map<string, string> {
  // A UTF-8 byte order mark (some editors write one) is not part of the first key.
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split(/\r\n|\r|\n/);
  const result = new Map<string, string>();
  let next = 0;
  while (next < lines.length) {
    const lineNo = next + 1;
    let line = stripLeadingBlanks(lines[next]!);
    next++;
    if (line === '' || line[0] === '#' || line[0] === '!') continue;
    let logical = '';
    for (;;) {
      if (trailingBackslashes(line) % 2 === 1) {
        logical += line.slice(0, -1);
        if (next >= lines.length) break;
        line = stripLeadingBlanks(lines[next]!);
        next++;
        continue;
      }
      logical += line;
      break;
    }
    const raw = splitKeyValue(logical);
    const key = unescapeJava(raw.key, source, lineNo);
    const value = javaTrim(unescapeJava(raw.value, source, lineNo));
    if (result.has(key)) throw configError(`${source}:${lineNo}: duplicate property '${key}'`);
    result.set(key, value);
  }
  return result;
}

const ENV_REFERENCE = /\$\{ENV:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces every `${ENV:NAME}` in a value by the environment variable NAME (Trino's syntax for
 * secrets in catalog files). An unset variable is an error naming the file and the key; the
 * value itself is never put in a message.
 */
export function substituteEnv(
  value: string,
  env: Readonly<Record<string, string | undefined>>,
  source: string,
  key: string,
): string {
  if (!value.includes('${ENV:')) return value;
  return value.replace(ENV_REFERENCE, (_match, name: string) => {
    const v = env[name];
    if (v === undefined) {
      throw configError(`${source}: property '${key}' references environment variable '${name}', which is not set`);
    }
    return v;
  });
}
