// The tpch connector: the eight TPC-H tables generated on the fly, byte-for-byte as dbgen writes
// them, at any scale factor (schema tiny = SF 0.01, sf1, sf0_1 = SF 0.1, ...). Read-only.
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { ConnectorFactory } from '../spi.js';
import { createMetadata } from './metadata.js';
import { createPageSource } from './reader.js';
import { createSplitManager } from './splits.js';

const SPLITS_PER_NODE = 'tpch.splits-per-node';
const DEFAULT_SPLITS_PER_NODE = 4;

export const tpchConnectorFactory: ConnectorFactory = {
  name: 'tpch',
  knownProperties: [SPLITS_PER_NODE],
  requiredProperties: [],
  create(ctx) {
    const raw = ctx.catalog.properties[SPLITS_PER_NODE];
    const splitsPerNode = raw === undefined ? DEFAULT_SPLITS_PER_NODE : Number(raw);
    if (!Number.isInteger(splitsPerNode) || splitsPerNode < 1) {
      throw new SqlError(
        SqlStates.configFileError,
        `catalog ${ctx.catalog.name}: ${SPLITS_PER_NODE} must be a positive integer, got '${raw}'`,
      );
    }
    return {
      metadata: createMetadata(),
      splits: createSplitManager(ctx.catalog.name, splitsPerNode),
      pageSource: createPageSource(),
    };
  },
};
