// pg_catalog tables that Tributary never fills: it has no indexes, constraints, defaults,
// inheritance, comments, functions of its own, collations apart from the default, triggers, rules,
// policies, extended statistics, publications or role memberships. Their columns are PostgreSQL's,
// so that client queries joining them bind and return nothing.
import { pgColumns } from './columns.js';
import { emptyTable, type PgCatalogTable } from './table.js';

export const emptyTables: readonly PgCatalogTable[] = [
  emptyTable('pg_description', 'r', pgColumns('objoid oid, classoid oid, objsubid int4, description text')),
  emptyTable('pg_shdescription', 'r', pgColumns('objoid oid, classoid oid, description text')),
  emptyTable(
    'pg_index',
    'r',
    pgColumns(`
      indexrelid oid, indrelid oid, indnatts int2, indnkeyatts int2, indisunique bool,
      indnullsnotdistinct bool, indisprimary bool, indisexclusion bool, indimmediate bool,
      indisclustered bool, indisvalid bool, indcheckxmin bool, indisready bool, indislive bool,
      indisreplident bool, indkey array, indcollation array, indclass array, indoption array,
      indexprs pg_node_tree, indpred pg_node_tree`),
  ),
  emptyTable(
    'pg_constraint',
    'r',
    pgColumns(`
      oid oid, conname name, connamespace oid, contype char, condeferrable bool, condeferred bool,
      convalidated bool, conrelid oid, contypid oid, conindid oid, conparentid oid, confrelid oid,
      confupdtype char, confdeltype char, confmatchtype char, conislocal bool, coninhcount int4,
      connoinherit bool, conkey array, confkey array, conpfeqop array, conppeqop array,
      conffeqop array, confdelsetcols array, conexclop array, conbin pg_node_tree`),
  ),
  emptyTable('pg_inherits', 'r', pgColumns('inhrelid oid, inhparent oid, inhseqno int4, inhdetachpending bool')),
  emptyTable('pg_attrdef', 'r', pgColumns('oid oid, adrelid oid, adnum int2, adbin pg_node_tree')),
  emptyTable(
    'pg_proc',
    'r',
    pgColumns(`
      oid oid, proname name, pronamespace oid, proowner oid, prolang oid, procost float4,
      prorows float4, provariadic oid, prosupport regproc, prokind char, prosecdef bool,
      proleakproof bool, proisstrict bool, proretset bool, provolatile char, proparallel char,
      pronargs int2, pronargdefaults int2, prorettype oid, proargtypes array, proallargtypes array,
      proargmodes array, proargnames array, proargdefaults pg_node_tree, protrftypes array,
      prosrc text, probin text, prosqlbody pg_node_tree, proconfig array, proacl array`),
  ),
  emptyTable(
    'pg_collation',
    'r',
    pgColumns(`
      oid oid, collname name, collnamespace oid, collowner oid, collprovider char,
      collisdeterministic bool, collencoding int4, collcollate text, collctype text,
      colliculocale text, collversion text`),
  ),
  emptyTable(
    'pg_trigger',
    'r',
    pgColumns(`
      oid oid, tgrelid oid, tgparentid oid, tgname name, tgfoid oid, tgtype int2, tgenabled char,
      tgisinternal bool, tgconstrrelid oid, tgconstrindid oid, tgconstraint oid, tgdeferrable bool,
      tginitdeferred bool, tgnargs int2, tgattr array, tgargs text, tgqual pg_node_tree,
      tgoldtable name, tgnewtable name`),
  ),
  emptyTable(
    'pg_rewrite',
    'r',
    pgColumns(`
      oid oid, rulename name, ev_class oid, ev_type char, ev_enabled char, is_instead bool,
      ev_qual pg_node_tree, ev_action pg_node_tree`),
  ),
  emptyTable(
    'pg_policy',
    'r',
    pgColumns(`
      oid oid, polname name, polrelid oid, polcmd char, polpermissive bool, polroles array,
      polqual pg_node_tree, polwithcheck pg_node_tree`),
  ),
  emptyTable(
    'pg_statistic_ext',
    'r',
    pgColumns(`
      oid oid, stxrelid oid, stxname name, stxnamespace oid, stxowner oid, stxstattarget int4,
      stxkeys array, stxkind array, stxexprs pg_node_tree`),
  ),
  emptyTable(
    'pg_publication',
    'r',
    pgColumns(`
      oid oid, pubname name, pubowner oid, puballtables bool, pubinsert bool, pubupdate bool,
      pubdelete bool, pubtruncate bool, pubviaroot bool`),
  ),
  emptyTable(
    'pg_publication_rel',
    'r',
    pgColumns('oid oid, prpubid oid, prrelid oid, prqual pg_node_tree, prattrs array'),
  ),
  emptyTable('pg_publication_namespace', 'r', pgColumns('oid oid, pnpubid oid, pnnspid oid')),
  emptyTable(
    'pg_depend',
    'r',
    pgColumns(`
      classid oid, objid oid, objsubid int4, refclassid oid, refobjid oid, refobjsubid int4,
      deptype char`),
  ),
  emptyTable('pg_auth_members', 'r', pgColumns('roleid oid, member oid, grantor oid, admin_option bool')),
  emptyTable(
    'pg_extension',
    'r',
    pgColumns(`
      oid oid, extname name, extowner oid, extnamespace oid, extrelocatable bool, extversion text,
      extconfig array, extcondition array`),
  ),
  emptyTable('pg_enum', 'r', pgColumns('oid oid, enumtypid oid, enumsortorder float4, enumlabel name')),
  emptyTable(
    'pg_matviews',
    'v',
    pgColumns(`
      schemaname name, matviewname name, matviewowner name, tablespace name, hasindexes bool,
      ispopulated bool, definition text`),
  ),
  emptyTable(
    'pg_indexes',
    'v',
    pgColumns('schemaname name, tablename name, indexname name, tablespace name, indexdef text'),
  ),
];
