// The engine behind every client: statement text -> result. Queries go through the planner
// and the scheduler; DDL, SHOW, USE and SET are answered here.
import type { CreateStmt, DropStmt, ExplainStmt, InsertStmt, Node, VariableSetStmt } from '@pgsql/types';
import type { RecordBatch } from 'apache-arrow';
import { valuesToBatch } from '../common/arrow/values.js';
import { SqlError } from '../common/errors.js';
import type { LiteralValue } from '../common/expr/expr.js';
import type { JsonValue } from '../common/json.js';
import type { NodeInfo, SessionInfo } from '../common/plan/task.js';
import { normalizeSessionProperty, sessionPropertiesOf, sessionPropertyDefault } from '../common/session-properties.js';
import { SqlStates } from '../common/sqlstate.js';
import { type ColumnSchema, type DataType, typeToSql, VARCHAR } from '../common/types.js';
import type { MetaContext } from '../connectors/spi.js';
import type { CatalogManager } from './catalog/catalog-manager.js';
import { timeZoneSetting } from './planner/bind-datetime.js';
import { planInsert } from './planner/bind-insert.js';
import { bindQuery, type SelectContext } from './planner/bind-select.js';
import { bindQueryPruningEmptyCatalog } from './planner/catalog-fallback.js';
import { SymbolAllocator } from './planner/logical.js';
import { pgSessionFor } from './planner/pg-session.js';
import { qualify, resolveAllTables } from './planner/resolve-tables.js';
import { explainLines, type PlannedQuery, planQuery, type RunnerDeps, runPlanned } from './query-runner.js';
import { evaluateRecursiveCtes } from './recursive-cte.js';
import type { Scheduler } from './scheduler/api.js';
import type { Engine, QueryResult, Session, StatementDescription, StatementText } from './session.js';
import { as, locationOf, stringOf, stringsOf, tagOf, typeOfTypeName } from './sql/ast.js';
import { substituteParams } from './sql/params.js';
import { initParser, parseStatement, type Statement, splitStatements } from './sql/parser.js';

export interface EngineDeps {
  readonly catalogs: CatalogManager;
  readonly scheduler: Scheduler;
  readonly workers: () => readonly NodeInfo[];
}

export const SERVER_VERSION = '15.0 (Tributary 0.1.0)';

export class TributaryEngine implements Engine {
  private readonly runner: RunnerDeps;

  constructor(private readonly deps: EngineDeps) {
    this.runner = {
      catalogs: deps.catalogs,
      scheduler: deps.scheduler,
      metaContext: (session) => this.metaContext(session),
    };
  }

  static async create(deps: EngineDeps): Promise<TributaryEngine> {
    await initParser();
    return new TributaryEngine(deps);
  }

  splitStatements(text: string): readonly StatementText[] {
    return splitStatements(text);
  }

  private metaContext(session: SessionInfo): MetaContext {
    return { session, workers: this.deps.workers() };
  }

  private sessionInfo(session: Session, sql: string): SessionInfo {
    const properties = sessionPropertiesOf(session.settings);
    return { user: session.user, timeZone: session.timeZone, queryText: sql, ...(properties ? { properties } : {}) };
  }

  async describe(
    sql: string,
    session: Session,
    declared: readonly (DataType | undefined)[],
  ): Promise<StatementDescription> {
    const stmt = parseStatement(sql);
    if (stmt.kind !== 'pg') return { paramTypes: [], columns: trinoColumns(stmt) };
    const ast = stmt.ast;
    const tag = tagOf(ast);
    if (tag === 'SelectStmt') {
      const params = declared.map((t) => t ?? { kind: 'unknown' as const });
      const ctx = await this.selectContext(ast, session, sql, params);
      const bound = bindQueryPruningEmptyCatalog(ast, ctx);
      const out = bound.plan;
      const planned = planQuery(out, bound.names, this.runner);
      return {
        paramTypes: ctx.params.map((t) => (t.kind === 'unknown' ? VARCHAR : t)),
        columns: planned.fragmented.output,
      };
    }
    if (tag === 'ExplainStmt') return { paramTypes: [], columns: [{ name: 'Query Plan', type: VARCHAR }] };
    if (tag === 'VariableShowStmt') {
      return {
        paramTypes: [],
        columns: [{ name: (as(ast, 'VariableShowStmt') as { name?: string }).name ?? 'setting', type: VARCHAR }],
      };
    }
    const params = countParams(ast);
    return { paramTypes: Array.from({ length: params }, (_, i) => declared[i] ?? VARCHAR), columns: null };
  }

  async execute(
    sql: string,
    session: Session,
    params: readonly (string | null)[],
    signal: AbortSignal,
  ): Promise<QueryResult> {
    const stmt = parseStatement(sql);
    if (stmt.kind === 'create_table_as') return this.createTableAsWith(stmt, session, sql, signal);
    if (stmt.kind !== 'pg') return this.executeTrino(stmt, session);
    const ast = params.length > 0 ? substituteParams(stmt.ast, params) : stmt.ast;
    const tag = tagOf(ast);
    switch (tag) {
      case 'SelectStmt':
        return this.runSelect(ast, session, sql, signal);
      case 'ExplainStmt':
        return this.explain(as(ast, 'ExplainStmt') as ExplainStmt, session, sql, signal);
      case 'InsertStmt':
        return this.insert(as(ast, 'InsertStmt') as InsertStmt, session, sql, signal);
      case 'CreateStmt':
        return this.createTable(as(ast, 'CreateStmt') as CreateStmt, session, sql);
      case 'CreateTableAsStmt':
        return this.createTableAs(ast, session, sql, signal);
      case 'CreateSchemaStmt': {
        const c = as(ast, 'CreateSchemaStmt') as { schemaname?: string; if_not_exists?: boolean };
        return this.executeTrino(
          { kind: 'create_schema', name: [c.schemaname ?? ''], ifNotExists: !!c.if_not_exists },
          session,
        );
      }
      case 'DropStmt':
        return this.drop(as(ast, 'DropStmt') as DropStmt, session, sql);
      case 'VariableSetStmt':
        return this.set(as(ast, 'VariableSetStmt') as VariableSetStmt, session);
      case 'VariableShowStmt':
        return this.showVariable((as(ast, 'VariableShowStmt') as { name?: string }).name ?? '', session);
      case 'TransactionStmt': {
        const kind = (as(ast, 'TransactionStmt') as { kind?: string }).kind ?? '';
        const tags: Record<string, string> = {
          TRANS_STMT_BEGIN: 'BEGIN',
          TRANS_STMT_START: 'START TRANSACTION',
          TRANS_STMT_COMMIT: 'COMMIT',
          TRANS_STMT_ROLLBACK: 'ROLLBACK',
        };
        const t = tags[kind];
        if (!t) throw SqlError.unsupported(`transaction statement ${kind.replace('TRANS_STMT_', '')}`);
        return { kind: 'command', tag: t };
      }
      case 'DiscardStmt':
        return { kind: 'command', tag: 'DISCARD ALL' };
      case 'DeallocateStmt':
        return { kind: 'command', tag: 'DEALLOCATE' };
      default:
        throw SqlError.unsupported(`statement ${tag.replace(/Stmt$/, '')}`, locationOf(ast));
    }
  }

  private async selectContext(
    ast: Node,
    session: Session,
    sql: string,
    params: DataType[] = [],
    signal?: AbortSignal,
  ): Promise<SelectContext> {
    const mctx = this.metaContext(this.sessionInfo(session, sql));
    const [lookup, pg] = await Promise.all([
      resolveAllTables(ast, session, this.deps.catalogs, mctx),
      pgSessionFor(ast, session, this.deps.catalogs, mctx, (name) => this.settingValue(name, session)),
    ]);
    const ctx: SelectContext = {
      symbols: new SymbolAllocator(),
      params,
      resolveTable: (p, pos) => lookup.resolveTable(p, pos),
      pg,
    };
    // WITH RECURSIVE: evaluate the recursive CTEs first; they then bind as constant rows.
    const ctes = await evaluateRecursiveCtes(ast, async (query, known) => {
      const innerLookup = await resolveAllTables(
        query,
        session,
        this.deps.catalogs,
        this.metaContext(this.sessionInfo(session, sql)),
      );
      const inner: SelectContext = { ...ctx, resolveTable: (p, pos) => innerLookup.resolveTable(p, pos) };
      const bound = bindQuery(query, { ...inner, ctes: known });
      const planned = planQuery(bound.plan, bound.names, this.runner, this.sessionInfo(session, sql));
      const run = runPlanned(
        planned,
        this.sessionInfo(session, sql),
        signal ?? new AbortController().signal,
        this.runner,
      );
      return { columns: run.columns, batches: run.batches };
    });
    return ctes.size > 0 ? { ...ctx, ctes } : ctx;
  }

  private async planSelect(ast: Node, session: Session, sql: string, signal?: AbortSignal): Promise<PlannedQuery> {
    const ctx = await this.selectContext(ast, session, sql, [], signal);
    const bound = bindQueryPruningEmptyCatalog(ast, ctx);
    return planQuery(bound.plan, bound.names, this.runner, this.sessionInfo(session, sql));
  }

  private async runSelect(ast: Node, session: Session, sql: string, signal: AbortSignal): Promise<QueryResult> {
    const planned = await this.planSelect(ast, session, sql, signal);
    const run = runPlanned(planned, this.sessionInfo(session, sql), signal, this.runner);
    return { kind: 'rows', columns: run.columns, batches: run.batches, tag: 'SELECT' };
  }

  private async explain(e: ExplainStmt, session: Session, sql: string, signal: AbortSignal): Promise<QueryResult> {
    const options = (e.options ?? []).map((o) =>
      ((as(o, 'DefElem') as { defname?: string }).defname ?? '').toLowerCase(),
    );
    const analyze = options.includes('analyze');
    if (!e.query || tagOf(e.query) !== 'SelectStmt')
      throw SqlError.unsupported('EXPLAIN of statements other than SELECT');
    const planned = await this.planSelect(e.query, session, sql);
    let lines: string[];
    if (analyze) {
      const started = performance.now();
      const run = runPlanned(planned, this.sessionInfo(session, sql), signal, this.runner, true);
      let rows = 0;
      for await (const b of run.batches) rows += b.numRows;
      const ms = performance.now() - started;
      lines = [
        ...explainLines(planned, this.runner, run.taskStats()),
        '',
        `Query: ${rows} rows in ${ms.toFixed(1)} ms`,
      ];
    } else {
      lines = explainLines(planned, this.runner);
    }
    return constantRows(
      [{ name: 'Query Plan', type: VARCHAR }],
      lines.map((l) => [l]),
      'EXPLAIN',
    );
  }

  private async insert(stmt: InsertStmt, session: Session, sql: string, signal: AbortSignal): Promise<QueryResult> {
    const target = stmt.relation;
    if (!target) throw SqlError.syntax('INSERT without a target table');
    if (stmt.onConflictClause) throw SqlError.unsupported('ON CONFLICT');
    if (stmt.withClause) throw SqlError.unsupported('WITH (common table expressions)');
    if (stmt.returningClause) throw SqlError.unsupported('INSERT ... RETURNING');
    if (!stmt.selectStmt) throw SqlError.unsupported('INSERT ... DEFAULT VALUES');
    const parts = [target.catalogname, target.schemaname, target.relname].filter((p): p is string => !!p);
    const position = target.location === undefined ? undefined : target.location + 1;
    const name = qualify(parts, session, position);
    const columns = (stmt.cols ?? []).map((c) => (as(c, 'ResTarget') as { name?: string }).name ?? '');
    const ctx = await this.selectContext(stmt.selectStmt, session, sql);
    const n = await this.writeRows(name, columns, stmt.selectStmt, ctx, session, sql, signal, position);
    return { kind: 'command', tag: `INSERT 0 ${n}` };
  }

  private async writeRows(
    name: { catalog: string; schema: string; table: string },
    columns: readonly string[],
    source: Node,
    ctx: SelectContext,
    session: Session,
    sql: string,
    signal: AbortSignal,
    position?: number,
  ): Promise<number> {
    const meta = this.deps.catalogs.metadataOf(name.catalog);
    const mctx = this.metaContext(this.sessionInfo(session, sql));
    const info = await meta?.getTable(name.schema, name.table, mctx);
    if (!meta || !info) {
      throw new SqlError(
        SqlStates.undefinedTable,
        `relation "${name.catalog}.${name.schema}.${name.table}" does not exist`,
        position,
      );
    }
    if (!meta.beginInsert || !meta.finishInsert) throw SqlError.unsupported(`INSERT into catalog ${name.catalog}`);
    const bound = bindQuery(source, ctx);
    const insertHandle = await meta.beginInsert(info.handle, mctx);
    try {
      const plan = planInsert(bound.plan, info.columns, columns, name, insertHandle, ctx.symbols);
      const planned = planQuery(plan, ['rows', 'fragment'], this.runner, this.sessionInfo(session, sql));
      const run = runPlanned(planned, this.sessionInfo(session, sql), signal, this.runner, true);
      let rows = 0;
      const fragments: JsonValue[] = [];
      for await (const b of run.batches) {
        const r = b.getChildAt(0);
        const f = b.getChildAt(1);
        for (let i = 0; i < b.numRows; i++) {
          rows += Number(r?.get(i) ?? 0);
          const text = f?.get(i) as string | null;
          if (text) fragments.push(JSON.parse(text) as JsonValue);
        }
      }
      await meta.finishInsert(insertHandle, fragments, mctx);
      return rows;
    } catch (e) {
      await meta.abortInsert?.(insertHandle, mctx).catch(() => undefined);
      throw e;
    }
  }

  private async createTable(c: CreateStmt, session: Session, sql: string): Promise<QueryResult> {
    const rel = c.relation;
    if (!rel) throw SqlError.syntax('CREATE TABLE without a name');
    const name = qualify(
      [rel.catalogname, rel.schemaname, rel.relname].filter((p): p is string => !!p),
      session,
    );
    const columns: ColumnSchema[] = [];
    for (const el of c.tableElts ?? []) {
      const def = as(el, 'ColumnDef') as { colname?: string; typeName?: never; is_not_null?: boolean } | undefined;
      if (!def) throw SqlError.unsupported(`table element ${tagOf(el)} (constraints)`, locationOf(el));
      columns.push({ name: def.colname ?? '', type: typeOfTypeName(def.typeName, locationOf(el)) });
    }
    const names = new Set<string>();
    for (const col of columns) {
      if (names.has(col.name))
        throw new SqlError(SqlStates.duplicateColumn, `column "${col.name}" specified more than once`);
      names.add(col.name);
    }
    const meta = this.catalogMeta(name.catalog);
    if (!meta.createTable) throw SqlError.unsupported(`CREATE TABLE in catalog ${name.catalog}`);
    const mctx = this.metaContext(this.sessionInfo(session, sql));
    if (c.if_not_exists && (await meta.getTable(name.schema, name.table, mctx)))
      return { kind: 'command', tag: 'CREATE TABLE' };
    await meta.createTable(name.schema, name.table, columns, mctx);
    return { kind: 'command', tag: 'CREATE TABLE' };
  }

  private async createTableAs(ast: Node, session: Session, sql: string, signal: AbortSignal): Promise<QueryResult> {
    const c = as(ast, 'CreateTableAsStmt') as {
      query?: Node;
      into?: {
        rel?: { catalogname?: string; schemaname?: string; relname?: string };
        colNames?: Node[];
        options?: Node[];
      };
      if_not_exists?: boolean;
    };
    const rel = c.into?.rel;
    if (!rel || !c.query) throw SqlError.syntax('CREATE TABLE AS without a name or query');
    if (c.into?.options && c.into.options.length > 0)
      throw SqlError.unsupportedPlural('table properties (WITH ...) on CREATE TABLE AS');
    const name = qualify(
      [rel.catalogname, rel.schemaname, rel.relname].filter((p): p is string => !!p),
      session,
    );
    return this.createTableFromQuery(name, c.query, stringsOf(c.into?.colNames), undefined, session, sql, signal);
  }

  /** Trino's `CREATE TABLE name WITH (properties) AS query` (see sql/trino-front.ts). */
  private async createTableAsWith(
    stmt: Extract<Statement, { kind: 'create_table_as' }>,
    session: Session,
    sql: string,
    signal: AbortSignal,
  ): Promise<QueryResult> {
    let query: Statement;
    try {
      query = parseStatement(stmt.query);
    } catch (e) {
      if (e instanceof SqlError && e.position !== undefined) {
        throw new SqlError(e.sqlState, e.message, e.position + stmt.queryOffset);
      }
      throw e;
    }
    if (query.kind !== 'pg' || tagOf(query.ast) !== 'SelectStmt') {
      throw SqlError.syntax('CREATE TABLE ... WITH (...) AS expects a query', stmt.queryOffset + 1);
    }
    const name = qualify(stmt.name, session);
    if (stmt.ifNotExists) {
      const meta = this.catalogMeta(name.catalog);
      const mctx = this.metaContext(this.sessionInfo(session, sql));
      if (await meta.getTable(name.schema, name.table, mctx)) return { kind: 'command', tag: 'CREATE TABLE AS' };
    }
    return this.createTableFromQuery(name, query.ast, [], stmt.properties, session, sql, signal);
  }

  private async createTableFromQuery(
    name: { catalog: string; schema: string; table: string },
    query: Node,
    colNames: readonly string[],
    properties: Readonly<Record<string, JsonValue>> | undefined,
    session: Session,
    sql: string,
    signal: AbortSignal,
  ): Promise<QueryResult> {
    const c = { query };
    const meta = this.catalogMeta(name.catalog);
    if (!meta.createTable) throw SqlError.unsupported(`CREATE TABLE in catalog ${name.catalog}`);
    const ctx = await this.selectContext(c.query, session, sql);
    const bound = bindQuery(c.query, ctx);
    const planned = planQuery(bound.plan, bound.names, this.runner, this.sessionInfo(session, sql));
    const columns = planned.fragmented.output.map((col, i) => ({
      name: colNames[i] ?? col.name,
      type: col.type.kind === 'unknown' ? VARCHAR : col.type,
    }));
    const mctx = this.metaContext(this.sessionInfo(session, sql));
    if (properties && Object.keys(properties).length > 0) {
      if (meta.createTable.length < 5) {
        const first = Object.keys(properties)[0];
        throw SqlError.unsupported(`table property '${first}' in catalog ${name.catalog}`);
      }
      await meta.createTable(name.schema, name.table, columns, mctx, properties);
    } else await meta.createTable(name.schema, name.table, columns, mctx);
    try {
      const n = await this.writeRows(
        name,
        [],
        c.query,
        await this.selectContext(c.query, session, sql),
        session,
        sql,
        signal,
      );
      return { kind: 'command', tag: `SELECT ${n}` };
    } catch (e) {
      const info = await meta.getTable(name.schema, name.table, mctx);
      if (info) await meta.dropTable?.(info.handle, mctx).catch(() => undefined);
      throw e;
    }
  }

  private async drop(d: DropStmt, session: Session, sql: string): Promise<QueryResult> {
    const mctx = this.metaContext(this.sessionInfo(session, sql));
    if (d.removeType === 'OBJECT_TABLE') {
      for (const o of d.objects ?? []) {
        const parts = stringsOf((as(o, 'List') as { items?: Node[] } | undefined)?.items);
        const name = qualify(parts, session);
        const meta = this.catalogMeta(name.catalog);
        const info = await meta.getTable(name.schema, name.table, mctx);
        if (!info) {
          if (d.missing_ok) continue;
          throw new SqlError(SqlStates.undefinedTable, `table "${parts.join('.')}" does not exist`);
        }
        if (!meta.dropTable) throw SqlError.unsupported(`DROP TABLE in catalog ${name.catalog}`);
        await meta.dropTable(info.handle, mctx);
      }
      return { kind: 'command', tag: 'DROP TABLE' };
    }
    if (d.removeType === 'OBJECT_SCHEMA') {
      for (const o of d.objects ?? []) {
        const name = stringOf(o) ?? '';
        await this.executeTrino(
          { kind: 'drop_schema', name: [name], ifExists: !!d.missing_ok, cascade: d.behavior === 'DROP_CASCADE' },
          session,
        );
      }
      return { kind: 'command', tag: 'DROP SCHEMA' };
    }
    throw SqlError.unsupported(`DROP ${String(d.removeType).replace('OBJECT_', '')}`);
  }

  private set(s: VariableSetStmt, session: Session): QueryResult {
    const name = (s.name ?? '').toLowerCase();
    if (s.kind === 'VAR_SET_VALUE' || s.kind === 'VAR_SET_CURRENT') {
      const value = (s.args ?? [])
        .map((a) => {
          const c = as(a, 'A_Const') as
            | { sval?: { sval?: string }; ival?: { ival?: number }; fval?: { fval?: string } }
            | undefined;
          if (c?.sval) return c.sval.sval ?? '';
          if (c?.ival) return String(c.ival.ival ?? 0);
          if (c?.fval) return c.fval.fval ?? '';
          return '';
        })
        .join(', ');
      if (name === 'timezone') session.timeZone = timeZoneSetting(s.args ?? [], value);
      else session.settings.set(name, normalizeSessionProperty(name, value));
    } else if (s.kind === 'VAR_RESET' || s.kind === 'VAR_SET_DEFAULT') {
      if (name === 'timezone') session.timeZone = 'UTC';
      else session.settings.delete(name);
    }
    return { kind: 'command', tag: 'SET' };
  }

  private showVariable(name: string, session: Session): QueryResult {
    const n = name.toLowerCase();
    const value = this.settingValue(n, session);
    if (value === undefined) {
      throw new SqlError(SqlStates.undefinedObject, `unrecognized configuration parameter "${name}"`);
    }
    return constantRows([{ name: n, type: VARCHAR }], [[value]], 'SHOW');
  }

  /** A setting as SHOW and current_setting() show it (`n` lower-case); undefined when unknown. */
  private settingValue(n: string, session: Session): string | undefined {
    const known: Record<string, string> = {
      timezone: session.timeZone,
      server_version: SERVER_VERSION,
      server_version_num: '150000',
      server_encoding: 'UTF8',
      client_encoding: 'UTF8',
      transaction_isolation: 'read committed',
      standard_conforming_strings: 'on',
      datestyle: 'ISO, MDY',
      integer_datetimes: 'on',
      max_identifier_length: '63',
      search_path: session.schema ?? 'public',
    };
    return known[n] ?? session.settings.get(n) ?? sessionPropertyDefault(n);
  }

  private catalogMeta(catalog: string) {
    const meta = this.deps.catalogs.metadataOf(catalog);
    if (!meta) throw new SqlError(SqlStates.invalidCatalogName, `catalog "${catalog}" does not exist`);
    return meta;
  }

  private async executeTrino(stmt: Exclude<Statement, { kind: 'pg' }>, session: Session): Promise<QueryResult> {
    const mctx = this.metaContext(this.sessionInfo(session, ''));
    switch (stmt.kind) {
      case 'empty':
        return { kind: 'command', tag: '' };
      case 'show_catalogs': {
        const names = this.deps.catalogs.catalogNames().filter(likeFilter(stmt.like));
        return constantRows(
          [{ name: 'Catalog', type: VARCHAR }],
          names.map((n) => [n]),
          'SHOW',
        );
      }
      case 'show_schemas': {
        const catalog = stmt.catalog ?? session.catalog;
        if (!catalog)
          throw new SqlError(
            SqlStates.invalidCatalogName,
            'no catalog given and no current catalog (USE catalog.schema)',
          );
        const schemas = [...(await this.catalogMeta(catalog).listSchemas(mctx))];
        if (catalog !== 'system' && !schemas.includes('information_schema')) schemas.push('information_schema');
        return constantRows(
          [{ name: 'Schema', type: VARCHAR }],
          schemas
            .sort()
            .filter(likeFilter(stmt.like))
            .map((s) => [s]),
          'SHOW',
        );
      }
      case 'show_tables': {
        const name = stmt.name ?? [];
        const catalog = name.length === 2 ? name[0] : session.catalog;
        const schema = name.length === 2 ? name[1] : name.length === 1 ? name[0] : session.schema;
        if (!catalog || !schema)
          throw new SqlError(SqlStates.invalidSchemaName, 'no schema given and no current schema (USE catalog.schema)');
        const tables = await this.catalogMeta(catalog).listTables(schema, mctx);
        return constantRows(
          [{ name: 'Table', type: VARCHAR }],
          [...tables]
            .sort()
            .filter(likeFilter(stmt.like))
            .map((t) => [t]),
          'SHOW',
        );
      }
      case 'show_columns': {
        const q = qualify(stmt.name, session);
        const { lookupTable } = await import('./planner/resolve-tables.js');
        const t = await lookupTable(q, this.deps.catalogs, mctx);
        return constantRows(
          [
            { name: 'Column', type: VARCHAR },
            { name: 'Type', type: VARCHAR },
            { name: 'Extra', type: VARCHAR },
            { name: 'Comment', type: VARCHAR },
          ],
          t.columns.map((c) => [c.name, typeToSql(c.type), '', '']),
          'SHOW',
        );
      }
      case 'use': {
        const [a, b] = stmt.name;
        const catalog = stmt.name.length === 2 ? a! : session.catalog;
        const schema = stmt.name.length === 2 ? b! : a!;
        if (!catalog)
          throw new SqlError(
            SqlStates.invalidCatalogName,
            'USE schema needs a current catalog: write USE catalog.schema',
          );
        const schemas = await this.catalogMeta(catalog).listSchemas(mctx);
        if (!schemas.includes(schema) && schema !== 'information_schema') {
          throw new SqlError(SqlStates.invalidSchemaName, `schema "${catalog}.${schema}" does not exist`);
        }
        session.catalog = catalog;
        session.schema = schema;
        return { kind: 'command', tag: 'USE' };
      }
      case 'create_schema': {
        const [catalog, schema] = stmt.name.length === 2 ? stmt.name : [session.catalog, stmt.name[0]];
        if (!catalog || !schema)
          throw new SqlError(SqlStates.invalidCatalogName, 'CREATE SCHEMA needs catalog.schema or a current catalog');
        const meta = this.catalogMeta(catalog);
        if (!meta.createSchema) throw SqlError.unsupported(`CREATE SCHEMA in catalog ${catalog}`);
        if (stmt.ifNotExists && (await meta.listSchemas(mctx)).includes(schema))
          return { kind: 'command', tag: 'CREATE SCHEMA' };
        await meta.createSchema(schema, mctx);
        return { kind: 'command', tag: 'CREATE SCHEMA' };
      }
      case 'create_table_as':
        throw SqlError.internal('CREATE TABLE ... WITH ... AS reached the Trino statement executor');
      case 'drop_schema': {
        const [catalog, schema] = stmt.name.length === 2 ? stmt.name : [session.catalog, stmt.name[0]];
        if (!catalog || !schema)
          throw new SqlError(SqlStates.invalidCatalogName, 'DROP SCHEMA needs catalog.schema or a current catalog');
        const meta = this.catalogMeta(catalog);
        if (!(await meta.listSchemas(mctx)).includes(schema)) {
          if (stmt.ifExists) return { kind: 'command', tag: 'DROP SCHEMA' };
          throw new SqlError(SqlStates.invalidSchemaName, `schema "${catalog}.${schema}" does not exist`);
        }
        if (!meta.dropSchema) throw SqlError.unsupported(`DROP SCHEMA in catalog ${catalog}`);
        if (stmt.cascade) {
          for (const t of await meta.listTables(schema, mctx)) {
            const info = await meta.getTable(schema, t, mctx);
            if (info) await meta.dropTable?.(info.handle, mctx);
          }
        }
        await meta.dropSchema(schema, mctx);
        return { kind: 'command', tag: 'DROP SCHEMA' };
      }
    }
  }
}

function trinoColumns(stmt: Exclude<Statement, { kind: 'pg' }>): readonly ColumnSchema[] | null {
  switch (stmt.kind) {
    case 'show_catalogs':
      return [{ name: 'Catalog', type: VARCHAR }];
    case 'show_schemas':
      return [{ name: 'Schema', type: VARCHAR }];
    case 'show_tables':
      return [{ name: 'Table', type: VARCHAR }];
    case 'show_columns':
      return ['Column', 'Type', 'Extra', 'Comment'].map((name) => ({ name, type: VARCHAR }));
    default:
      return null;
  }
}

/** A result computed on the coordinator. */
export function constantRows(
  columns: readonly ColumnSchema[],
  rows: readonly (readonly LiteralValue[])[],
  tag: string,
): QueryResult {
  const batch: RecordBatch = valuesToBatch(rows, columns);
  return {
    kind: 'rows',
    columns,
    batches: (async function* () {
      yield batch;
    })(),
    tag,
  };
}

/** SQL LIKE pattern -> predicate over names (SHOW ... LIKE). */
function likeFilter(pattern: string | undefined): (s: string) => boolean {
  if (pattern === undefined) return () => true;
  const re = new RegExp(
    `^${pattern
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/%/g, '.*')
      .replace(/_/g, '.')}$`,
    's',
  );
  return (s) => re.test(s);
}

function countParams(ast: Node): number {
  let max = 0;
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      for (const [k, v] of Object.entries(n)) {
        if (k === 'ParamRef') max = Math.max(max, (v as { number?: number }).number ?? 0);
        else walk(v);
      }
    }
  };
  walk(ast);
  return max;
}
