// orders: sparse keys, customers (skipping every third customer key), status and total price
// re-derived from the order's lines, dates, priorities, clerks, comments.
import { buildColumns, type Chunk, float64, int32, lazy } from '../chunk.js';
import { LAST_PAST_DATE, toEpochDay } from '../dates.js';
import { ORDER_PRIORITIES } from '../distributions.js';
import { drawPerRow } from '../random.js';
import { CUSTOMER_BASE, PART_BASE, scaledCount } from '../schema.js';
import { commentColumn, encodeAll, labelColumn, vocabularyColumn } from '../text.js';
import { lineCounts, orderDates, orderKey, perLine, Seeds, shipDates, sum } from './order-lines.js';
import { partPrice } from './part.js';

const PRIORITIES = encodeAll(ORDER_PRIORITIES.values);
const STATUS = encodeAll(['F', 'O', 'P']);
const CUSTOMER_MORTALITY = 3;

export function generateOrders(sf: number, start: number, end: number, columns: readonly string[]): Chunk {
  const n = end - start;
  const dates = lazy(() => orderDates(start, n));
  // o_totalprice and o_orderstatus come from the order's lines, generated like lineitem does.
  const lines = lazy(() => {
    const counts = lineCounts(start, n);
    const rows = sum(counts);
    return { counts, rows };
  });
  const totals = lazy(() => {
    const { counts, rows } = lines();
    const quantity = perLine(Seeds.quantity, start, counts, rows, 1, 50);
    const discount = perLine(Seeds.discount, start, counts, rows, 0, 10);
    const tax = perLine(Seeds.tax, start, counts, rows, 0, 8);
    const partKey = perLine(Seeds.partKey, start, counts, rows, 1, scaledCount(PART_BASE, sf));
    const out = new Float64Array(n);
    let k = 0;
    for (let o = 0; o < n; o++) {
      let total = 0;
      for (let j = counts[o] ?? 0; j > 0; j--, k++) {
        const extended = partPrice(partKey[k] ?? 0) * (quantity[k] ?? 0);
        const discounted = Math.floor((extended * (100 - (discount[k] ?? 0))) / 100);
        total += Math.floor((discounted * (100 + (tax[k] ?? 0))) / 100);
      }
      out[o] = total;
    }
    return out;
  });
  const status = () => {
    const { counts, rows } = lines();
    const ships = shipDates(start, counts, rows, dates());
    const out = new Int32Array(n);
    let k = 0;
    for (let o = 0; o < n; o++) {
      const c = counts[o] ?? 0;
      let shipped = 0;
      for (let j = 0; j < c; j++, k++) if ((ships[k] ?? 0) <= LAST_PAST_DATE) shipped++;
      out[o] = shipped === c ? 0 : shipped > 0 ? 2 : 1;
    }
    return out;
  };
  return buildColumns('orders', n, columns, {
    o_orderkey: () => {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = orderKey(start + i + 1);
      return int32(out);
    },
    o_custkey: () => {
      const max = scaledCount(CUSTOMER_BASE, sf);
      const out = drawPerRow(Seeds.customerKey, 1, start, 1, max, new Int32Array(n));
      for (let i = 0; i < n; i++) {
        let key = out[i] ?? 0;
        let delta = 1;
        while (key % CUSTOMER_MORTALITY === 0) {
          key = Math.min(key + delta, max);
          delta = -delta;
        }
        out[i] = key;
      }
      return int32(out);
    },
    o_orderstatus: () => vocabularyColumn(STATUS, status()).finish(),
    o_totalprice: () => float64(totals()),
    o_orderdate: () => {
      const d = dates();
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = toEpochDay(d[i] ?? 0);
      return int32(out);
    },
    o_orderpriority: () =>
      vocabularyColumn(
        PRIORITIES,
        drawPerRow(Seeds.orderPriority, 1, start, 0, PRIORITIES.length - 1, new Int32Array(n)),
      ).finish(),
    o_clerk: () => {
      const clerks = Math.max(Math.trunc(sf * 1000), 1000);
      return labelColumn('Clerk#', 9, drawPerRow(Seeds.clerk, 1, start, 1, clerks, new Int32Array(n))).finish();
    },
    o_shippriority: () => int32(new Int32Array(n)),
    o_comment: () => commentColumn(Seeds.orderComment, 49, 1, start, n, 1, n).finish(),
  });
}
