// dbgen's text pool: 300 MiB of pseudo-English sentences generated once from the grammar in
// dists.dss with a fixed seed. Every comment column is a random slice of it, so the pool must be
// byte-identical to dbgen's for comments to match. Built lazily (only when a comment column is
// read) and shared by the process.
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ADJECTIVES,
  ADVERBS,
  ARTICLES,
  AUXILIARIES,
  type Distribution,
  drawTable,
  GRAMMARS,
  NOUN_PHRASES,
  NOUNS,
  PREPOSITIONS,
  TERMINATORS,
  VERB_PHRASES,
  VERBS,
} from './distributions.js';
import { MODULUS, nextSeed } from './random.js';

export const TEXT_POOL_SIZE = 300 * 1024 * 1024;
const MAX_SENTENCE_LENGTH = 256;
const POOL_SEED = 933588178;
const SPACE = 0x20;

interface WordTable {
  readonly draw: Uint16Array;
  readonly words: readonly Uint8Array[];
}

function words(d: Distribution): WordTable {
  const enc = new TextEncoder();
  return { draw: drawTable(d), words: d.values.map((v) => enc.encode(v)) };
}

function phrases(d: Distribution): { readonly draw: Uint16Array; readonly syntax: readonly string[] } {
  return { draw: drawTable(d), syntax: d.values };
}

class PoolBuilder {
  readonly bytes: Uint8Array;
  length = 0;
  private seed = POOL_SEED;
  private readonly nouns = words(NOUNS);
  private readonly verbs = words(VERBS);
  private readonly adverbs = words(ADVERBS);
  private readonly articles = words(ARTICLES);
  private readonly prepositions = words(PREPOSITIONS);
  private readonly auxiliaries = words(AUXILIARIES);
  private readonly terminators = words(TERMINATORS);
  private readonly adjectives = words(ADJECTIVES);
  private readonly grammars = phrases(GRAMMARS);
  private readonly nounPhrases = phrases(NOUN_PHRASES);
  private readonly verbPhrases = phrases(VERB_PHRASES);

  constructor(readonly size: number) {
    this.bytes = new Uint8Array(size + MAX_SENTENCE_LENGTH);
  }

  private draw(table: Uint16Array): number {
    this.seed = nextSeed(this.seed);
    const r = Math.trunc((this.seed / MODULUS) * table.length);
    return table[r] ?? 0;
  }

  private word(t: WordTable): void {
    const w = t.words[this.draw(t.draw)];
    if (!w) return;
    const bytes = this.bytes;
    let n = this.length;
    for (let i = 0; i < w.length; i++) bytes[n++] = w[i] ?? 0;
    this.length = n;
  }

  private space(): void {
    this.bytes[this.length++] = SPACE;
  }

  sentence(): void {
    const syntax = this.grammars.syntax[this.draw(this.grammars.draw)] ?? '';
    for (let i = 0; i < syntax.length; i += 2) {
      switch (syntax.charCodeAt(i)) {
        case 0x56: // V
          this.verbPhrase();
          break;
        case 0x4e: // N
          this.nounPhrase();
          break;
        case 0x50: // P
          this.word(this.prepositions);
          this.bytes.set(THE, this.length);
          this.length += THE.length;
          this.nounPhrase();
          break;
        case 0x54: // T: the terminator abuts the previous word
          this.length--;
          this.word(this.terminators);
          break;
        default:
          throw new Error(`unknown grammar token ${syntax[i]}`);
      }
      if (this.bytes[this.length - 1] !== SPACE) this.space();
    }
  }

  private verbPhrase(): void {
    const syntax = this.verbPhrases.syntax[this.draw(this.verbPhrases.draw)] ?? '';
    for (let i = 0; i < syntax.length; i += 2) {
      const c = syntax[i];
      this.word(c === 'D' ? this.adverbs : c === 'V' ? this.verbs : this.auxiliaries);
      this.space();
    }
  }

  private nounPhrase(): void {
    const syntax = this.nounPhrases.syntax[this.draw(this.nounPhrases.draw)] ?? '';
    for (let i = 0; i < syntax.length; i++) {
      const c = syntax[i];
      if (c === ' ') continue;
      if (c === ',') {
        this.length--;
        this.bytes[this.length++] = 0x2c;
        this.space();
        continue;
      }
      this.word(c === 'A' ? this.articles : c === 'J' ? this.adjectives : c === 'D' ? this.adverbs : this.nouns);
      this.space();
    }
  }
}

const THE = new TextEncoder().encode(' the ');

/** Generates a pool of `size` bytes (dbgen uses TEXT_POOL_SIZE; tests may use less). */
export function generateTextPool(size: number): Uint8Array {
  const b = new PoolBuilder(size);
  while (b.length < size) b.sentence();
  return b.bytes.subarray(0, size);
}

let defaultPool: Uint8Array | undefined;

const CACHE_FILE = join(tmpdir(), `tributary-tpch-text-pool-v1-${TEXT_POOL_SIZE}.bin`);

/**
 * The process-wide dbgen text pool. Building it takes seconds, so the first process to build it
 * leaves a copy in the temp directory (written under a unique name, then renamed into place)
 * that later processes (every worker) read instead.
 */
export function textPool(): Uint8Array {
  defaultPool ??= loadCachedPool() ?? buildAndCachePool();
  return defaultPool;
}

function loadCachedPool(): Uint8Array | undefined {
  try {
    if (statSync(CACHE_FILE).size !== TEXT_POOL_SIZE) return undefined;
    const data = readFileSync(CACHE_FILE);
    return data.length === TEXT_POOL_SIZE ? new Uint8Array(data.buffer, data.byteOffset, data.length) : undefined;
  } catch {
    return undefined;
  }
}

function buildAndCachePool(): Uint8Array {
  const pool = generateTextPool(TEXT_POOL_SIZE);
  const temp = `${CACHE_FILE}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temp, pool);
    renameSync(temp, CACHE_FILE);
  } catch {
    // The cache is an optimisation only (read-only or full temp dir): keep the pool in memory.
    try {
      unlinkSync(temp);
    } catch {
      // nothing left behind
    }
  }
  return pool;
}
