// Engine bugs the differential test knows about: a mismatch whose minimal SQL matches one of these is
// reported but does not fail the test. Each entry is a real Tributary bug, not a semantic difference
// (those are kept out of the generator's default mix, see Features in generator.ts). Remove an entry
// when the bug is fixed.
import type { Mismatch } from './harness.js';

export interface KnownBug {
  readonly id: string;
  readonly reason: string;
  readonly matches: (m: Mismatch) => boolean;
}

export const KNOWN_BUGS: readonly KnownBug[] = [
  {
    id: 'round-decimal-precision',
    reason:
      'round(decimal(p,s)[, n]) keeps precision p, so rounding up a value with p integer digits overflows ' +
      "(round(-99999999.99::decimal(10,2)) raises 22003); Trino's result type is decimal(p+1, s).",
    matches: (m) =>
      m.kind === 'error-vs-value' &&
      /\bround\(/.test(m.sql) &&
      m.tributary.startsWith('ERROR 22003') &&
      !m.postgres.startsWith('ERROR'),
  },
];

export function knownBug(m: Mismatch): KnownBug | undefined {
  return KNOWN_BUGS.find((k) => k.matches(m));
}
