// Data sizes in catalog properties, written as Trino (airlift DataSize) writes them.

const UNITS: Readonly<Record<string, number>> = {
  B: 1,
  kB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
  PB: 1024 ** 5,
};

/** Parses an airlift DataSize such as `128MB`, `1.5GB`, `512kB`, `100B`. */
export function parseDataSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(B|kB|MB|GB|TB|PB)$/.exec(text.trim());
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * UNITS[m[2]!]!);
}
