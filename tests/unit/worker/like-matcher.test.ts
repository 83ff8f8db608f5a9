// LikeMatcher (worker/expressions/runtime.ts) against a regular expression built from the same
// pattern, over every short pattern of a small alphabet and many strings (multi-byte included).
import { describe, expect, it } from 'vitest';
import { LikeMatcher } from '../../../worker/expressions/runtime.js';

const enc = new TextEncoder();

function reference(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern) {
    if (ch === '%') re += '.*';
    else if (ch === '_') re += '.';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'su');
}

function allStrings(alphabet: readonly string[], maxLength: number): string[] {
  let level = [''];
  const out = [''];
  for (let n = 1; n <= maxLength; n++) {
    level = level.flatMap((s) => alphabet.map((c) => s + c));
    out.push(...level);
  }
  return out;
}

describe('LIKE matcher', () => {
  it('agrees with a regular expression on every pattern up to 5 symbols', () => {
    const patterns = allStrings(['a', 'b', '%', '_'], 5);
    const strings = allStrings(['a', 'b', 'é'], 5);
    const bytes = strings.map((s) => enc.encode(s));
    let checked = 0;
    for (const p of patterns) {
      const m = new LikeMatcher(p, null);
      const re = reference(p);
      strings.forEach((s, i) => {
        const b = bytes[i]!;
        if (m.match(b, 0, b.length) !== re.test(s)) expect.fail(`'${s}' LIKE '${p}'`);
        checked++;
      });
    }
    expect(checked).toBe(patterns.length * strings.length);
  });

  it('matches literal runs between wildcards inside a larger buffer', () => {
    const text = 'xx|carefully special deposits. requests|yy';
    const b = enc.encode(text);
    const s = 3;
    const e = text.length - 3;
    expect(new LikeMatcher('%special%requests%', null).match(b, s, e)).toBe(true);
    expect(new LikeMatcher('%requests%special%', null).match(b, s, e)).toBe(false);
    expect(new LikeMatcher('careful%requests', null).match(b, s, e)).toBe(true);
    expect(new LikeMatcher('careful%yy', null).match(b, s, e)).toBe(false);
  });
});
