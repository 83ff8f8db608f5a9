import { pgTypeByOid, pgTypeLen, pgTypeMod, pgTypeOid } from '../../../common/pg-types.js';
import type { SystemValue } from '../table.js';
import { pgColumns } from './columns.js';
import { collationOf, storageOf } from './pg-type.js';
import type { PgCatalogTable } from './table.js';

const COLUMNS = pgColumns(`
  attrelid oid, attname name, atttypid oid, attstattarget int4, attlen int2, attnum int2,
  attndims int4, attcacheoff int4, atttypmod int4, attbyval bool, attalign char, attstorage char,
  attcompression char, attnotnull bool, atthasdef bool, atthasmissing bool, attidentity char,
  attgenerated char, attisdropped bool, attislocal bool, attinhcount int4, attcollation oid,
  attacl array, attoptions array, attfdwoptions array, attmissingval array`);

/** The columns of every relation in pg_class: attnum from 1, type OID and typmod as sent on the wire. */
export const pgAttribute: PgCatalogTable = {
  name: 'pg_attribute',
  relkind: 'r',
  columns: COLUMNS,
  async rows(ctx) {
    const relations = await ctx.db.relations();
    const perRelation = await Promise.all(
      relations.map(async (r) => {
        const columns = (await r.columns()) ?? [];
        return columns.map((c, i): SystemValue[] => {
          const typeOid = pgTypeOid(c.type);
          const t = pgTypeByOid(typeOid);
          const len = pgTypeLen(c.type);
          return [
            r.oid,
            c.name,
            typeOid,
            -1,
            len,
            i + 1,
            0,
            -1,
            pgTypeMod(c.type),
            t?.byVal ?? false,
            t?.align ?? 'i',
            storageOf(typeOid, len),
            '',
            c.nullable === false,
            false,
            false,
            '',
            '',
            false,
            true,
            0,
            collationOf(typeOid),
            null,
            null,
            null,
            null,
          ];
        });
      }),
    );
    return perRelation.flat();
  },
};
