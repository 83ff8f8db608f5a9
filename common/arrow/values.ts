// Literal rows (a VALUES list, JSON-encoded literals) -> one RecordBatch.
import type { RecordBatch } from 'apache-arrow';
import { assertNever } from '../assert.js';
import type { LiteralValue } from '../expr/expr.js';
import { decodeLiteral } from '../expr/literal.js';
import { decodeInterval, setIntervalWords } from '../time/interval.js';
import { type ColumnSchema, isShortDecimal } from '../types.js';
import { type ColumnBuffers, makeBatch } from './batch.js';

export function valuesToBatch(
  rows: readonly (readonly LiteralValue[])[],
  columns: readonly ColumnSchema[],
): RecordBatch {
  const n = rows.length;
  const buffers = columns.map((c, j): ColumnBuffers => {
    const validity = new Uint8Array((n + 7) >> 3);
    let nulls = 0;
    const vals = rows.map((r) => {
      const v = decodeLiteral(r[j] ?? null, c.type);
      return v;
    });
    vals.forEach((v, i) => {
      if (v === null) nulls++;
      else validity[i >> 3]! |= 1 << (i & 7);
    });
    const vm = nulls ? validity : null;
    const t = c.type;
    switch (t.kind) {
      case 'boolean': {
        const out = new Uint8Array((n + 7) >> 3);
        vals.forEach((v, i) => {
          if (v === true) out[i >> 3]! |= 1 << (i & 7);
        });
        return { values: out, validity: vm };
      }
      case 'integer':
      case 'date':
        return { values: Int32Array.from(vals, (v) => (v === null ? 0 : Number(v))), validity: vm };
      case 'double':
        return { values: Float64Array.from(vals, (v) => (v === null ? 0 : Number(v))), validity: vm };
      case 'bigint':
      case 'timestamp':
      case 'timestamptz':
        return { values: BigInt64Array.from(vals, (v) => (v === null ? 0n : (v as bigint))), validity: vm };
      case 'interval': {
        const out = new Int32Array(n * 4);
        vals.forEach((v, i) => {
          if (v === null) return;
          const iv = decodeInterval(String(v));
          setIntervalWords(out, i, iv.months, iv.days, iv.micros);
        });
        return { values: out, validity: vm };
      }
      case 'decimal': {
        if (isShortDecimal(t))
          return { values: Float64Array.from(vals, (v) => (v === null ? 0 : Number(v))), validity: vm };
        const out = new Uint32Array(n * 4);
        vals.forEach((v, i) => {
          if (v === null) return;
          const u = BigInt.asUintN(128, v as bigint);
          for (let w = 0; w < 4; w++) out[i * 4 + w] = Number((u >> BigInt(32 * w)) & 0xffffffffn);
        });
        return { values: out, validity: vm };
      }
      case 'varchar': {
        const enc = new TextEncoder();
        const parts = vals.map((v) => (v === null ? new Uint8Array(0) : enc.encode(String(v))));
        const offsets = new Int32Array(n + 1);
        parts.forEach((p, i) => {
          offsets[i + 1] = offsets[i]! + p.length;
        });
        const bytes = new Uint8Array(offsets[n]!);
        parts.forEach((p, i) => {
          bytes.set(p, offsets[i]!);
        });
        return { values: bytes, offsets, validity: vm };
      }
      case 'unknown':
        return { values: new Uint8Array(0), validity: new Uint8Array((n + 7) >> 3) };
      default:
        return assertNever(t, 'type');
    }
  });
  return makeBatch(columns, n, buffers);
}
