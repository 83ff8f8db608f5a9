// Removes nodes that do nothing:
//   Filter(TRUE) <- x            => x
//   Project(identity) <- x       => x (same symbols, same order)

import { outputOf } from '../../planner/logical.js';
import type { Rule } from '../rule.js';

export const removeTrivial: Rule = {
  name: 'removeTrivial',
  apply(node) {
    if (node.kind === 'filter' && node.predicate.kind === 'literal' && node.predicate.value === true) return node.input;
    if (node.kind === 'project') {
      const inner = outputOf(node.input);
      const identity =
        inner.length === node.items.length &&
        node.items.every(
          (it, i) => it.expr.kind === 'ref' && it.expr.id === it.symbol.id && inner[i]?.id === it.symbol.id,
        );
      if (identity) return node.input;
    }
    return undefined;
  },
};
