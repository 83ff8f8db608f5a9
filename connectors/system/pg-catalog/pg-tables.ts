// The convenience views pg_tables, pg_views and pg_stat_user_tables, over the same snapshot as pg_class.
import { pgColumns } from './columns.js';
import type { PgCatalogTable } from './table.js';

export const pgTables: PgCatalogTable = {
  name: 'pg_tables',
  relkind: 'v',
  columns: pgColumns(`
    schemaname name, tablename name, tableowner name, tablespace name, hasindexes bool,
    hasrules bool, hastriggers bool, rowsecurity bool`),
  async rows(ctx) {
    return (await ctx.db.relations())
      .filter((r) => r.relkind === 'r')
      .map((r) => [r.namespace.name, r.name, ctx.db.user, null, false, false, false, false]);
  },
};

export const pgViews: PgCatalogTable = {
  name: 'pg_views',
  relkind: 'v',
  columns: pgColumns('schemaname name, viewname name, viewowner name, definition text'),
  async rows(ctx) {
    return (await ctx.db.relations())
      .filter((r) => r.relkind === 'v')
      .map((r) => [r.namespace.name, r.name, ctx.db.user, null]);
  },
};

/**
 * Per-table statistics views read by BI tools for row estimates (Metabase: n_live_tup). Tributary
 * counts no scans or writes: n_live_tup is the connector's estimate (0 when it has none).
 */
export const pgStatUserTables: PgCatalogTable = {
  name: 'pg_stat_user_tables',
  relkind: 'v',
  columns: pgColumns(`
    relid oid, schemaname name, relname name, seq_scan int8, seq_tup_read int8, idx_scan int8,
    idx_tup_fetch int8, n_tup_ins int8, n_tup_upd int8, n_tup_del int8, n_tup_hot_upd int8,
    n_live_tup int8, n_dead_tup int8, n_mod_since_analyze int8, n_ins_since_vacuum int8,
    last_vacuum timestamptz, last_autovacuum timestamptz, last_analyze timestamptz,
    last_autoanalyze timestamptz, vacuum_count int8, autovacuum_count int8, analyze_count int8,
    autoanalyze_count int8`),
  async rows(ctx) {
    const tables = (await ctx.db.relations()).filter(
      (r) => r.relkind === 'r' && r.namespace.name !== 'pg_catalog' && r.namespace.name !== 'information_schema',
    );
    return Promise.all(
      tables.map(async (r) => [
        r.oid,
        r.namespace.name,
        r.name,
        0,
        0,
        null,
        null,
        0,
        0,
        0,
        0,
        Math.round((await r.rowCount()) ?? 0),
        0,
        0,
        0,
        null,
        null,
        null,
        null,
        0,
        0,
        0,
        0,
      ]),
    );
  },
};
