// Limit(n, offset k) <- Sort(keys)  =>  Limit(n, offset k) <- TopN(n + k, keys)
// A top-N keeps only n + k rows per task instead of sorting everything.
import type { Rule } from '../rule.js';

export const mergeSortLimit: Rule = {
  name: 'mergeSortLimit',
  apply(node) {
    if (node.kind !== 'limit' || node.limit === null || node.input.kind !== 'sort') return undefined;
    const sort = node.input;
    return { ...node, input: { kind: 'top_n', input: sort.input, keys: sort.keys, limit: node.limit + node.offset } };
  },
};
