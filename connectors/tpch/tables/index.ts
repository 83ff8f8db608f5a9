// The generator of each table.
import type { TableGenerator } from '../chunk.js';
import type { TpchTableName } from '../schema.js';
import { generateCustomer } from './customer.js';
import { generateLineitem } from './lineitem.js';
import { generateNation } from './nation.js';
import { generateOrders } from './orders.js';
import { generatePart } from './part.js';
import { generatePartSupp } from './partsupp.js';
import { generateRegion } from './region.js';
import { generateSupplier } from './supplier.js';

export const GENERATORS: Readonly<Record<TpchTableName, TableGenerator>> = {
  region: generateRegion,
  nation: generateNation,
  part: generatePart,
  supplier: generateSupplier,
  partsupp: generatePartSupp,
  customer: generateCustomer,
  orders: generateOrders,
  lineitem: generateLineitem,
};

/** Units per generated batch: ~64K rows (lineitem: 16K orders of ~4 lines). */
export const UNITS_PER_BATCH: Readonly<Record<TpchTableName, number>> = {
  region: 5,
  nation: 25,
  part: 65536,
  supplier: 65536,
  partsupp: 16384,
  customer: 65536,
  orders: 65536,
  lineitem: 16384,
};
