import type { ConnectorMetadata } from '../../connectors/spi.js';
import type { LogicalPlan } from '../planner/logical.js';

export interface RuleContext {
  metadataOf(catalog: string): ConnectorMetadata | undefined;
}

/**
 * A rewrite applied to one plan node (the optimizer walks the tree). Returns undefined when
 * it does not apply — returning an equal plan instead would make the optimizer loop.
 */
export interface Rule {
  readonly name: string;
  apply(node: LogicalPlan, ctx: RuleContext): LogicalPlan | undefined;
}
