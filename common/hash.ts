// A stable 32-bit hash of a string, the same in every process and run (FNV-1a over UTF-16 code
// units): for ids derived from names and for placing work by key.

export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
