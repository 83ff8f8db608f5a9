// Hash join: the build side is materialized and indexed by a chained hash table on typed arrays
// (heads per bucket, next per row); probe batches stream through. NULL keys never match.
import type { RecordBatch } from 'apache-arrow';
import { SqlError } from '../../common/errors.js';
import type { DynamicFilterSummary } from '../../common/plan/dynamic-filter.js';
import type { PhysicalNode } from '../../common/plan/physical.js';
import type { DataType } from '../../common/types.js';
import { type Col, type Layout, layoutOf, readBatch } from '../expressions/vector.js';
import { summarizeKeys } from './dynamic-filter-collect.js';
import { hashColumns, hashInt32Key, isNullAt, rowEquals } from './hash.js';
import { JoinCore, PairBuffer } from './join-core.js';
import { countOutput, type MutableStats, newStats, OUTPUT_BATCH_ROWS, type Transform } from './operator.js';
import { RowBuffer } from './sort.js';

type HashJoinNode = Extract<PhysicalNode, { kind: 'hash_join' }>;

export class HashJoin implements Transform {
  readonly stats: MutableStats;
  readonly buildStats: MutableStats;
  done = false;
  private readonly core: JoinCore;
  private readonly buf: RowBuffer;
  private readonly keyLayouts: Layout[];
  /** Probe key positions whose Int32 values must be widened to the build side's Int64. */
  private readonly widen: boolean[];
  private heads = new Int32Array(0);
  private next = new Int32Array(0);
  private buildHashes = new Uint32Array(0);
  private buildKeys: Col[] = [];
  private mask = 0;
  private probeHashes = new Uint32Array(0);
  /** Matching (probe row, build row) pairs of the batch being probed; reused across batches. */
  private readonly pairs = new PairBuffer();
  private buildHasNullKey = false;
  private readonly widenBuild: boolean[];

  constructor(
    private readonly node: HashJoinNode,
    private readonly probeTypes: readonly DataType[],
    private readonly buildTypes: readonly DataType[],
  ) {
    this.stats = newStats(`HashJoin(${node.joinType})`);
    this.buildStats = newStats('HashBuild');
    this.core = new JoinCore(node.joinType, probeTypes, buildTypes, node.output, node.residual);
    this.buf = new RowBuffer(buildTypes);
    this.keyLayouts = node.buildKeys.map((k) => layoutOf(buildTypes[k]!));
    this.widen = node.probeKeys.map((k, i) => {
      const pl = layoutOf(probeTypes[k]!);
      const bl = this.keyLayouts[i]!;
      if (pl === bl) return false;
      if (pl === 'i32' && bl === 'i64') return true;
      if (pl === 'i64' && bl === 'i32') {
        this.keyLayouts[i] = 'i64';
        return false;
      }
      throw SqlError.internal(`hash join keys of different layouts: ${pl} and ${bl}`);
    });
    this.widenBuild = this.keyLayouts.map((l, i) => l === 'i64' && layoutOf(buildTypes[node.buildKeys[i]!]!) === 'i32');
  }

  /** Build side input (a sink role). */
  addBuild(b: RecordBatch): void {
    this.buildStats.inputRows += b.numRows;
    this.buf.add(b);
  }

  finishBuild(): void {
    const t0 = performance.now();
    const n = this.buf.rows;
    const cols = n
      ? this.buf.columns()
      : this.buf.layouts.map(() => ({ values: new Uint8Array(0), offsets: new Int32Array(1), validity: null }));
    this.core.setBuild(cols, n);
    this.buildKeys = this.node.buildKeys.map((k, i) => (this.widenBuild[i] ? widenCol(cols[k]!, n) : cols[k]!));
    this.buildHashes = new Uint32Array(n);
    if (n) hashColumns(this.buildKeys, this.keyLayouts, n, this.buildHashes);
    let size = 16;
    while (size < n * 2) size *= 2;
    this.mask = size - 1;
    this.heads = new Int32Array(size).fill(-1);
    this.next = new Int32Array(n);
    for (let j = n - 1; j >= 0; j--) {
      if (this.anyNull(this.buildKeys, j)) {
        this.buildHasNullKey = true;
        continue;
      }
      const s = this.buildHashes[j]! & this.mask;
      this.next[j] = this.heads[s]!;
      this.heads[s] = j;
    }
    this.buildStats.wallMs += performance.now() - t0;
  }

  /** After finishBuild: the values of build key `i` (an index into buildKeys), for dynamic filtering. */
  buildKeySummary(i: number): DynamicFilterSummary {
    const k = this.node.buildKeys[i];
    const t = k === undefined ? undefined : this.buildTypes[k];
    const col = k === undefined ? undefined : this.core.buildCols[k];
    if (t === undefined || col === undefined) return { kind: 'all' };
    return summarizeKeys(col, t, this.core.buildRows);
  }

  private anyNull(keys: readonly Col[], i: number): boolean {
    for (const k of keys) if (isNullAt(k, i)) return true;
    return false;
  }

  push(b: RecordBatch): RecordBatch[] {
    const t0 = performance.now();
    const n = b.numRows;
    this.stats.inputRows += n;
    const out: RecordBatch[] = [];
    if (n === 0) return out;
    // NOT IN: a NULL on the build side means no row is certainly "not in" it.
    const notIn = this.node.nullAware === true && this.node.joinType === 'anti';
    if (notIn && this.buildHasNullKey) {
      this.stats.wallMs += performance.now() - t0;
      return out;
    }
    const cols = readBatch(b, this.probeTypes);
    const keys = this.node.probeKeys.map((k, i) => (this.widen[i] ? widenCol(cols[k]!, n) : cols[k]!));
    const core = this.core;
    core.startBatch(cols, n);
    // right_semi/right_anti without a residual only flag the build rows a probe row matches.
    const markBuild = core.keepsBuildRows && !core.hasResidual;
    const firstOnly = core.existenceOnly && !core.hasResidual && !markBuild;
    const pairs = this.pairs;
    pairs.count = 0;
    const nk = keys.length;
    const bk = this.buildKeys;
    const layouts = this.keyLayouts;
    const buildEmpty = core.buildRows === 0;
    if (nk === 1 && layouts[0] === 'i32') {
      this.probeInt32(keys[0]!, n, out, markBuild, firstOnly, notIn && !buildEmpty);
      return this.finishBatch(out, t0);
    }
    if (this.probeHashes.length < n) this.probeHashes = new Uint32Array(n);
    const ph = this.probeHashes;
    hashColumns(keys, this.keyLayouts, n, ph);
    // Fast path: one bigint or double key compares values directly (build NULLs are not in the
    // table, probe NULLs are skipped above the comparison); integer keys took probeInt32.
    const single = nk === 1 && (layouts[0] === 'i64' || layouts[0] === 'f64');
    const numKey = single ? (keys[0]!.values as BigInt64Array | Float64Array) : null;
    const numBuild = single ? (bk[0]!.values as BigInt64Array | Float64Array) : null;
    const keyValidity = nk === 1 ? keys[0]!.validity : null;
    for (let i = 0; i < n; i++) {
      if (nk === 1 ? keyValidity !== null && ((keyValidity[i >> 3]! >> (i & 7)) & 1) === 0 : this.anyNull(keys, i)) {
        // NOT IN: a NULL probe key is unknown against any non-empty build side.
        if (notIn && !buildEmpty) core.probeMatched[i] = 1;
        continue;
      }
      const h = ph[i]!;
      let j = this.heads[h & this.mask]!;
      const x = numKey === null ? 0 : numKey[i];
      while (j !== -1) {
        if (this.buildHashes[j] === h) {
          let eq = true;
          if (numKey !== null) eq = x === numBuild![j];
          else
            for (let c = 0; c < nk; c++) {
              if (!rowEquals(keys[c]!, i, bk[c]!, j, layouts[c]!)) {
                eq = false;
                break;
              }
            }
          if (eq) {
            if (markBuild) core.buildMatched[j] = 1;
            else if (firstOnly) {
              core.probeMatched[i] = 1;
              break;
            } else pairs.push(i, j);
          }
        }
        j = this.next[j]!;
      }
      if (pairs.count >= OUTPUT_BATCH_ROWS) this.flushPairs(out);
    }
    return this.finishBatch(out, t0);
  }

  /**
   * The probe loop for one int32 key (TPC-H's and most schemas' keys): the hash inlined instead
   * of a pass over the batch, the values compared directly, the table in locals.
   * `nullMatches`: NOT IN against a non-empty build side, where a NULL probe key is unknown.
   */
  private probeInt32(
    key: Col,
    n: number,
    out: RecordBatch[],
    markBuild: boolean,
    firstOnly: boolean,
    nullMatches: boolean,
  ): void {
    const core = this.core;
    const pairs = this.pairs;
    const v = key.values as Int32Array;
    const m = key.validity;
    const build = this.buildKeys[0]!.values as Int32Array;
    const heads = this.heads;
    const next = this.next;
    const mask = this.mask;
    for (let i = 0; i < n; i++) {
      if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) {
        if (nullMatches) core.probeMatched[i] = 1;
        continue;
      }
      const x = v[i]!;
      let j = heads[hashInt32Key(x) & mask]!;
      while (j !== -1) {
        if (build[j] === x) {
          if (markBuild) core.buildMatched[j] = 1;
          else if (firstOnly) {
            core.probeMatched[i] = 1;
            break;
          } else pairs.push(i, j);
        }
        j = next[j]!;
      }
      if (pairs.count >= OUTPUT_BATCH_ROWS) this.flushPairs(out);
    }
  }

  /** Joined rows of the buffered pairs, into `out`. */
  private flushPairs(out: RecordBatch[]): void {
    const r = this.core.addPairs(this.pairs.p, this.pairs.b, this.pairs.count);
    this.pairs.count = 0;
    if (r) out.push(r);
  }

  /** The pairs still buffered and the batch's end (unmatched probe rows of outer and anti joins). */
  private finishBatch(out: RecordBatch[], t0: number): RecordBatch[] {
    this.flushPairs(out);
    const e = this.core.endBatch();
    if (e) out.push(e);
    countOutput(this.stats, out);
    this.stats.wallMs += performance.now() - t0;
    return out;
  }

  flush(): RecordBatch[] {
    const out = [...this.core.unmatchedBuild()];
    countOutput(this.stats, out);
    return out;
  }
}

/** Int32 key column as Int64 (integer = bigint joins). */
function widenCol(c: Col, n: number): Col {
  const v = c.values as Int32Array;
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) out[i] = BigInt(v[i]!);
  return { values: out, offsets: null, validity: c.validity };
}
