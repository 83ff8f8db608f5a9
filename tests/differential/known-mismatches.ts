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

export const KNOWN_BUGS: readonly KnownBug[] = [];

export function knownBug(m: Mismatch): KnownBug | undefined {
  return KNOWN_BUGS.find((k) => k.matches(m));
}
