// Bound parameter values go into the statement as untyped string literals, exactly where the
// $n stood: the binder then types them from their context, as PostgreSQL types an unknown
// literal ('5' compared with an integer column is the integer 5). NULL stays NULL.
import type { Node } from '@pgsql/types';

export function substituteParams(ast: Node, params: readonly (string | null)[]): Node {
  return replace(ast, params) as Node;
}

function replace(n: unknown, params: readonly (string | null)[]): unknown {
  if (Array.isArray(n)) return n.map((x) => replace(x, params));
  if (!n || typeof n !== 'object') return n;
  const obj = n as Record<string, unknown>;
  const ref = obj.ParamRef as { number?: number; location?: number } | undefined;
  if (ref && Object.keys(obj).length === 1) {
    const value = params[(ref.number ?? 0) - 1];
    const location = ref.location ?? -1;
    if (value === undefined || value === null) return { A_Const: { isnull: true, location } };
    return { A_Const: { sval: { sval: value }, location } };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = replace(v, params);
  return out;
}
