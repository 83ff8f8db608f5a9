// One client connection: startup, simple and extended query flows, transaction status,
// cancellation and streaming of result batches with socket backpressure. Messages are handled
// strictly in order; the socket keeps being parsed (and queued) while a statement runs.
import type { Socket } from 'node:net';
import type { RecordBatch } from 'apache-arrow';
import { SqlError, toSqlError } from '../../common/errors.js';
import { dataTypeFromOid, PgOid, pgTypeOid } from '../../common/pg-types.js';
import { SqlStates } from '../../common/sqlstate.js';
import { canonicalZoneName } from '../../common/time/zone.js';
import type { ColumnSchema, DataType } from '../../common/types.js';
import type { Engine, QueryResult, Session, StatementDescription } from '../session.js';
import {
  formatOf,
  writeAuthenticationOk,
  writeBackendKeyData,
  writeCommandComplete,
  writeErrorResponse,
  writeNegotiateProtocolVersion,
  writeParameterDescription,
  writeParameterStatus,
  writeReadyForQuery,
  writeRowDescription,
} from './backend.js';
import { decodeBinaryParam } from './binary.js';
import { BufferWriter } from './buffer-writer.js';
import { BackendCode, TxStatus } from './codes.js';
import { type ColumnOut, prepareColumns, writeDataRows } from './data-rows.js';
import type { ProtocolLog } from './log.js';
import type { FrontendMessage, StartupMessage } from './messages.js';
import { MessageParser, type ParsedMessage } from './parser.js';
import { parseStartup } from './startup.js';

/** Flush DataRows to the socket once this many bytes are buffered. */
const FLUSH_BYTES = 64 * 1024;
/** Stop reading from the socket while this many messages wait to be handled. */
const MAX_QUEUED = 1024;
const SSL_NO = Buffer.from('N');

export interface ConnectionHost {
  readonly engine: Engine;
  readonly log: ProtocolLog | undefined;
  readonly defaultTimeZone: string;
  /** Registers the connection for CancelRequests; returns its process id and secret key. */
  register(c: Connection): { processId: number; secretKey: number };
  unregister(c: Connection): void;
  cancel(processId: number, secretKey: number): void;
}

interface Statement {
  readonly name: string;
  readonly sql: string;
  readonly paramOids: readonly number[];
  readonly declared: readonly (DataType | undefined)[];
  readonly empty: boolean;
  description: StatementDescription | undefined;
}

/** A started statement: the engine result and how far its rows have been sent. */
interface Execution {
  readonly controller: AbortController;
  readonly result: QueryResult;
  readonly it: AsyncIterator<RecordBatch> | undefined;
  cols: ColumnOut[] | undefined;
  curLen: number;
  next: number;
  done: boolean;
}

interface Portal {
  readonly stmt: Statement;
  readonly params: readonly (string | null)[];
  readonly resultFormats: readonly number[];
  exec: Execution | undefined;
  finished: boolean;
}

const REPORTED_SETTINGS: readonly (readonly [wireName: string, key: string])[] = [
  ['application_name', 'application_name'],
  ['DateStyle', 'datestyle'],
  ['IntervalStyle', 'intervalstyle'],
];

export class Connection {
  private readonly parser = new MessageParser();
  private readonly w = new BufferWriter();
  private readonly queue: ParsedMessage[] = [];
  private processing = false;
  private closed = false;
  private paused = false;
  private session: Session | undefined;
  private processId = 0;
  private secretKey = 0;
  private tx: TxStatus = TxStatus.idle;
  /** After an error in an extended-query cycle: ignore everything until Sync. */
  private skipUntilSync = false;
  private readonly statements = new Map<string, Statement>();
  private readonly portals = new Map<string, Portal>();
  /** The controller of the statement being run now (the target of a CancelRequest). */
  private active: AbortController | undefined;
  private readonly reported = new Map<string, string>();

  constructor(
    private readonly socket: Socket,
    private readonly host: ConnectionHost,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => host.log?.debug?.('pg connection error', { error: e.message }));
    socket.on('close', () => this.onClose());
  }

  get id(): number {
    return this.processId;
  }

  /** CancelRequest: aborts the running statement, if any. */
  cancel(): void {
    this.active?.abort(new SqlError(SqlStates.queryCanceled, 'canceling statement due to user request'));
  }

  /** Server shutdown: abort work and drop the connection. */
  destroy(): void {
    this.active?.abort(new SqlError(SqlStates.adminShutdown, 'terminating connection due to administrator command'));
    this.socket.destroy();
    this.onClose();
  }

  private readonly enqueue = (m: ParsedMessage): void => {
    this.queue.push(m);
  };

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    try {
      this.parser.parse(chunk, this.enqueue);
    } catch (e) {
      // Framing is lost: answer what was queued before, then fail the connection.
      this.queue.push({ kind: 'unsupported', code: -1 });
      this.protocolError = toSqlError(e);
    }
    if (this.queue.length > MAX_QUEUED && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    if (!this.processing) void this.process();
  }

  private protocolError: SqlError | undefined;

  private async process(): Promise<void> {
    this.processing = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const m = this.queue.shift()!;
        await this.handle(m);
        if (this.paused && this.queue.length < MAX_QUEUED / 2) {
          this.paused = false;
          this.socket.resume();
        }
      }
      this.flush();
    } catch (e) {
      this.host.log?.error?.('pg connection failed', { error: String(e) });
      this.fatal(toSqlError(e));
    } finally {
      this.processing = false;
    }
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.active?.abort(new SqlError(SqlStates.queryCanceled, 'client disconnected'));
    for (const p of this.portals.values()) this.release(p.exec);
    this.portals.clear();
    this.host.unregister(this);
  }

  // ---- output ----------------------------------------------------------------------------

  private flush(): boolean {
    if (this.w.length === 0 || this.closed) return true;
    return this.socket.write(this.w.take());
  }

  private async flushAndDrain(): Promise<void> {
    if (this.flush() || this.closed) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private fatal(e: SqlError): void {
    if (this.closed) return;
    writeErrorResponse(this.w, e, 0, 'FATAL');
    this.flush();
    this.socket.end();
    this.onClose();
  }

  private reportError(e: unknown, positionOffset: number): void {
    const err = toSqlError(e);
    if (err.sqlState === SqlStates.internalError) {
      this.host.log?.error?.('internal error', { error: err.message, cause: String(err.cause) });
    }
    writeErrorResponse(this.w, err, positionOffset);
    if (this.tx === TxStatus.inBlock) this.tx = TxStatus.failed;
  }

  private readyForQuery(): void {
    writeReadyForQuery(this.w, this.tx);
    this.flush();
  }

  // ---- dispatch --------------------------------------------------------------------------

  private async handle(m: ParsedMessage): Promise<void> {
    if (m.kind === 'unsupported' && m.code === -1 && this.protocolError) {
      this.fatal(this.protocolError);
      return;
    }
    if (this.session === undefined) {
      this.handleStartup(m as StartupMessage);
      return;
    }
    const msg = m as FrontendMessage;
    if (this.skipUntilSync && msg.kind !== 'sync' && msg.kind !== 'terminate') return;
    try {
      switch (msg.kind) {
        case 'query':
          await this.simpleQuery(msg.sql);
          return;
        case 'parse':
          this.parse(msg);
          return;
        case 'bind':
          await this.bind(msg);
          return;
        case 'describe':
          await this.describe(msg.target, msg.name);
          return;
        case 'execute':
          await this.execute(msg.portal, msg.maxRows);
          return;
        case 'close':
          this.close(msg.target, msg.name);
          return;
        case 'sync':
          this.sync();
          return;
        case 'flush':
          this.flush();
          return;
        case 'terminate':
          if (!this.closed) this.socket.end();
          this.onClose();
          return;
        case 'unsupported':
          this.unsupported(msg.code);
          return;
        default:
          msg satisfies never;
      }
    } catch (e) {
      // Extended-query messages: report, then skip to Sync.
      this.reportError(e, 0);
      this.skipUntilSync = true;
    }
  }

  private handleStartup(m: StartupMessage): void {
    switch (m.kind) {
      case 'sslRequest':
      case 'gssEncRequest':
        this.w.take(); // nothing else may be pending before the single-byte answer
        this.socket.write(SSL_NO);
        return;
      case 'cancelRequest':
        this.host.cancel(m.processId, m.secretKey);
        this.socket.end();
        this.onClose();
        return;
      case 'startup':
        this.startup(m.params, m.minorVersion);
        return;
      default:
        m satisfies never;
    }
  }

  private startup(params: ReadonlyMap<string, string>, minorVersion: number): void {
    const info = parseStartup(params);
    if (info.user === undefined || info.user === '') {
      this.fatal(
        new SqlError(
          SqlStates.invalidAuthorizationSpecification,
          'no PostgreSQL user name specified in startup packet',
        ),
      );
      return;
    }
    const { processId, secretKey } = this.host.register(this);
    this.processId = processId;
    this.secretKey = secretKey;
    const timeZone = canonicalZoneName(info.settings.get('timezone') ?? this.host.defaultTimeZone);
    this.session = {
      id: processId,
      user: info.user,
      catalog: info.catalog,
      schema: info.schema,
      timeZone,
      settings: info.settings,
    };
    const w = this.w;
    if (minorVersion > 0 || info.unknownProtocolOptions.length > 0) {
      writeNegotiateProtocolVersion(w, 0, info.unknownProtocolOptions);
    }
    writeAuthenticationOk(w);
    const status: [string, string][] = [
      ['server_version', '15.0 (Tributary)'],
      ['server_encoding', 'UTF8'],
      ['client_encoding', 'UTF8'],
      ['DateStyle', 'ISO, MDY'],
      ['IntervalStyle', 'postgres'],
      ['TimeZone', timeZone],
      ['integer_datetimes', 'on'],
      ['standard_conforming_strings', 'on'],
      ['is_superuser', 'off'],
      ['session_authorization', info.user],
      ['application_name', info.settings.get('application_name') ?? ''],
    ];
    for (const [k, v] of status) {
      writeParameterStatus(w, k, v);
      this.reported.set(k, v);
    }
    writeBackendKeyData(w, processId, secretKey);
    this.readyForQuery();
  }

  matches(processId: number, secretKey: number): boolean {
    return this.processId === processId && this.secretKey === secretKey;
  }

  private unsupported(code: number): void {
    // CopyData/CopyDone/CopyFail outside COPY are ignored, as PostgreSQL does.
    if (code === 0x64 || code === 0x63 || code === 0x66) return;
    if (code === 0x46) {
      this.reportError(SqlError.unsupported('the function call protocol message'), 0);
      this.readyForQuery();
      return;
    }
    this.fatal(new SqlError(SqlStates.protocolViolation, `unexpected message type ${String.fromCharCode(code)}`));
  }

  // ---- statements ------------------------------------------------------------------------

  /** Starts a statement (or answers it here when the transaction is failed). */
  private async start(sql: string, params: readonly (string | null)[]): Promise<Execution> {
    const controller = new AbortController();
    if (this.tx === TxStatus.failed) {
      if (!/^\s*(rollback|abort|commit|end)\b/i.test(sql)) {
        throw new SqlError(
          SqlStates.inFailedSqlTransaction,
          'current transaction is aborted, commands ignored until end of transaction block',
        );
      }
      return {
        controller,
        result: { kind: 'command', tag: 'ROLLBACK' },
        it: undefined,
        cols: undefined,
        curLen: 0,
        next: 0,
        done: true,
      };
    }
    this.active = controller;
    try {
      const pending = this.host.engine.execute(sql, this.session!, params, controller.signal);
      const result = await raceAbort(pending, controller.signal);
      const it = result.kind === 'rows' ? result.batches[Symbol.asyncIterator]() : undefined;
      return { controller, result, it, cols: undefined, curLen: 0, next: 0, done: it === undefined };
    } finally {
      this.active = undefined;
    }
  }

  /** Stops an execution that will not be read to its end. */
  private release(exec: Execution | undefined): void {
    if (!exec || exec.done) return;
    exec.done = true;
    exec.controller.abort(new SqlError(SqlStates.queryCanceled, 'portal closed'));
    const it = exec.it;
    if (it?.return) it.return().catch(() => undefined);
  }

  /**
   * Sends DataRows until the result ends (true) or `maxRows` (> 0) rows went out (false;
   * the portal is suspended and the next call resumes).
   */
  private async pump(
    exec: Execution,
    columns: readonly ColumnSchema[],
    formats: readonly number[],
    maxRows: number,
  ): Promise<{ finished: boolean; rows: number }> {
    const signal = exec.controller.signal;
    const it = exec.it!;
    const w = this.w;
    let sent = 0;
    this.active = exec.controller;
    try {
      while (true) {
        if (exec.cols !== undefined && exec.next < exec.curLen) {
          const limit = maxRows > 0 ? Math.min(exec.curLen, exec.next + (maxRows - sent)) : exec.curLen;
          while (exec.next < limit) {
            const before = exec.next;
            exec.next = writeDataRows(w, exec.cols, before, limit, FLUSH_BYTES);
            sent += exec.next - before;
            if (w.length >= FLUSH_BYTES) {
              await this.flushAndDrain();
              if (this.closed) throw new SqlError(SqlStates.connectionFailure, 'client disconnected');
              signal.throwIfAborted();
            }
          }
          if (maxRows > 0 && sent >= maxRows) return { finished: false, rows: sent };
        }
        signal.throwIfAborted();
        const r = await raceAbort(it.next(), signal);
        if (r.done) {
          exec.done = true;
          exec.cols = undefined;
          return { finished: true, rows: sent };
        }
        const batch = r.value;
        exec.curLen = batch.numRows;
        exec.next = 0;
        exec.cols = batch.numRows > 0 ? prepareColumns(batch, columns, formats, w, this.session?.timeZone) : undefined;
      }
    } catch (e) {
      this.release(exec);
      throw e;
    } finally {
      this.active = undefined;
    }
  }

  /** CommandComplete plus what the tag implies for the transaction status and reported settings. */
  private complete(tag: string, sql: string): void {
    writeCommandComplete(this.w, tag);
    const verb = tag.split(' ', 1)[0];
    switch (verb) {
      case 'BEGIN':
      case 'START':
        if (this.tx === TxStatus.idle) this.tx = TxStatus.inBlock;
        break;
      case 'COMMIT':
        this.tx = TxStatus.idle;
        break;
      case 'ROLLBACK':
        // ROLLBACK TO SAVEPOINT keeps the block open (and un-fails it).
        this.tx = /^\s*rollback\s+(work\s+|transaction\s+)?to\b/i.test(sql) ? TxStatus.inBlock : TxStatus.idle;
        break;
      case 'SET':
      case 'RESET':
      case 'DISCARD':
        this.reportChangedSettings();
        break;
      default:
        break;
    }
  }

  private reportChangedSettings(): void {
    const s = this.session!;
    const current: [string, string | undefined][] = [['TimeZone', s.timeZone]];
    for (const [wire, key] of REPORTED_SETTINGS) current.push([wire, s.settings.get(key)]);
    for (const [wire, value] of current) {
      if (value === undefined || this.reported.get(wire) === value) continue;
      if (wire === 'DateStyle') continue; // output is always ISO, MDY
      this.reported.set(wire, value);
      writeParameterStatus(this.w, wire, value);
    }
  }

  // ---- simple query ----------------------------------------------------------------------

  private async simpleQuery(text: string): Promise<void> {
    if (/^[\s;]*$/.test(text)) {
      this.w.empty(BackendCode.emptyQueryResponse);
      this.readyForQuery();
      return;
    }
    let statements: readonly { sql: string; offset: number }[];
    try {
      statements = this.host.engine.splitStatements(text);
    } catch (e) {
      this.reportError(e, 0);
      this.readyForQuery();
      return;
    }
    if (statements.length === 0) this.w.empty(BackendCode.emptyQueryResponse);
    for (const st of statements) {
      if (!(await this.simpleStatement(st.sql, st.offset))) break;
    }
    this.readyForQuery();
  }

  private async simpleStatement(sql: string, offset: number): Promise<boolean> {
    try {
      const exec = await this.start(sql, []);
      const result = exec.result;
      if (result.kind === 'command') {
        this.complete(result.tag, sql);
        return true;
      }
      writeRowDescription(this.w, result.columns, []);
      const { rows } = await this.pump(exec, result.columns, [], 0);
      this.complete(`${result.tag} ${rows}`, sql);
      return true;
    } catch (e) {
      if (this.closed) return false;
      this.reportError(e, offset);
      return false;
    }
  }

  // ---- extended query --------------------------------------------------------------------

  private parse(m: Extract<FrontendMessage, { kind: 'parse' }>): void {
    if (m.name !== '' && this.statements.has(m.name)) {
      throw new SqlError(SqlStates.duplicatePreparedStatement, `prepared statement "${m.name}" already exists`);
    }
    this.statements.set(m.name, {
      name: m.name,
      sql: m.sql,
      paramOids: m.paramOids,
      declared: m.paramOids.map(dataTypeFromOid),
      empty: /^[\s;]*$/.test(m.sql),
      description: undefined,
    });
    this.w.empty(BackendCode.parseComplete);
  }

  private statement(name: string): Statement {
    const s = this.statements.get(name);
    if (!s) throw new SqlError(SqlStates.invalidSqlStatementName, `prepared statement "${name}" does not exist`);
    return s;
  }

  private async describeStatement(s: Statement): Promise<StatementDescription> {
    if (s.description === undefined) {
      s.description = s.empty
        ? { paramTypes: [], columns: null }
        : await this.host.engine.describe(s.sql, this.session!, s.declared);
    }
    return s.description;
  }

  private async bind(m: Extract<FrontendMessage, { kind: 'bind' }>): Promise<void> {
    const stmt = this.statement(m.statement);
    const n = m.params.length;
    if (n < stmt.paramOids.length) {
      throw new SqlError(
        SqlStates.protocolViolation,
        `bind message supplies ${n} parameters, but prepared statement "${stmt.name}" requires ${stmt.paramOids.length}`,
      );
    }
    const pf = m.paramFormats;
    if (pf.length > 1 && pf.length !== n) {
      throw new SqlError(
        SqlStates.protocolViolation,
        `bind message has ${pf.length} parameter formats but ${n} parameters`,
      );
    }
    const params = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      const raw = m.params[i]!;
      const format = formatOf(pf, i);
      if (raw === null) params[i] = null;
      else if (format === 0) params[i] = raw.toString('utf8');
      else if (format === 1) params[i] = decodeBinaryParam(await this.paramOid(stmt, i), raw);
      else throw new SqlError(SqlStates.protocolViolation, `unsupported format code: ${format}`);
    }
    for (const f of m.resultFormats) {
      if (f !== 0 && f !== 1) throw new SqlError(SqlStates.invalidParameterValue, `unsupported format code: ${f}`);
    }
    const existing = this.portals.get(m.portal);
    if (existing) {
      if (m.portal !== '') throw new SqlError(SqlStates.duplicateCursor, `cursor "${m.portal}" already exists`);
      this.release(existing.exec);
    }
    this.portals.set(m.portal, { stmt, params, resultFormats: m.resultFormats, exec: undefined, finished: false });
    this.w.empty(BackendCode.bindComplete);
  }

  private async paramOid(stmt: Statement, i: number): Promise<number> {
    const declared = stmt.paramOids[i] ?? 0;
    if (declared !== 0) return declared;
    const d = await this.describeStatement(stmt);
    const t = d.paramTypes[i];
    return t === undefined || t.kind === 'unknown' ? PgOid.text : pgTypeOid(t);
  }

  private portal(name: string): Portal {
    const p = this.portals.get(name);
    if (!p) throw new SqlError(SqlStates.invalidCursorName, `portal "${name}" does not exist`);
    return p;
  }

  private async describe(target: 'S' | 'P', name: string): Promise<void> {
    const w = this.w;
    if (target === 'S') {
      const stmt = this.statement(name);
      const d = await this.describeStatement(stmt);
      const count = Math.max(stmt.paramOids.length, d.paramTypes.length);
      const oids = new Array<number>(count);
      for (let i = 0; i < count; i++) {
        const declared = stmt.paramOids[i] ?? 0;
        const t = d.paramTypes[i];
        oids[i] = declared !== 0 ? declared : t === undefined ? PgOid.text : pgTypeOid(t);
      }
      writeParameterDescription(w, oids);
      if (d.columns === null) w.empty(BackendCode.noData);
      else writeRowDescription(w, d.columns, []);
      return;
    }
    const portal = this.portal(name);
    if (portal.stmt.empty) {
      w.empty(BackendCode.noData);
      return;
    }
    // The portal is run here rather than described separately: one engine call, and the
    // RowDescription is exactly the shape Execute will send.
    portal.exec ??= await this.start(portal.stmt.sql, portal.params);
    const result = portal.exec.result;
    if (result.kind === 'rows') writeRowDescription(w, result.columns, portal.resultFormats);
    else w.empty(BackendCode.noData);
  }

  private async execute(name: string, maxRows: number): Promise<void> {
    const portal = this.portal(name);
    if (portal.stmt.empty) {
      this.w.empty(BackendCode.emptyQueryResponse);
      return;
    }
    portal.exec ??= await this.start(portal.stmt.sql, portal.params);
    const exec = portal.exec;
    const result = exec.result;
    if (result.kind === 'command') {
      if (!portal.finished) this.complete(result.tag, portal.stmt.sql);
      else writeCommandComplete(this.w, result.tag);
      portal.finished = true;
      return;
    }
    if (portal.finished) {
      writeCommandComplete(this.w, `${result.tag} 0`);
      return;
    }
    const { finished, rows } = await this.pump(exec, result.columns, portal.resultFormats, maxRows);
    if (finished) {
      portal.finished = true;
      this.complete(`${result.tag} ${rows}`, portal.stmt.sql);
    } else {
      this.w.empty(BackendCode.portalSuspended);
    }
  }

  private close(target: 'S' | 'P', name: string): void {
    if (target === 'S') {
      this.statements.delete(name);
    } else {
      const p = this.portals.get(name);
      if (p) {
        this.release(p.exec);
        this.portals.delete(name);
      }
    }
    this.w.empty(BackendCode.closeComplete);
  }

  private sync(): void {
    this.skipUntilSync = false;
    if (this.tx === TxStatus.idle) {
      // End of the implicit transaction: its portals go away.
      for (const p of this.portals.values()) this.release(p.exec);
      this.portals.clear();
    }
    this.readyForQuery();
  }
}

/** How long a cancelled statement may take to clean up (e.g. drop a half-written table) before the client is answered. */
const CANCEL_GRACE_MS = 5000;

/**
 * `p`, or the abort reason once `signal` aborted and `p` settled, or CANCEL_GRACE_MS later (the
 * engine may not be listening): like PostgreSQL, a cancelled write is rolled back before the
 * error reaches the client, so its next statement does not see it.
 */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.then(discardResult, () => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      p.then(discardResult, () => undefined);
      const grace = setTimeout(() => reject(signal.reason), CANCEL_GRACE_MS);
      grace.unref();
      const answer = (): void => {
        clearTimeout(grace);
        reject(signal.reason);
      };
      p.then(answer, answer);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        if (aborted) return;
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        if (aborted) return;
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** A QueryResult that arrived after its statement was cancelled: stop it. */
function discardResult(v: unknown): void {
  if (typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'rows') {
    const batches = (v as { batches: AsyncIterable<RecordBatch> }).batches;
    batches[Symbol.asyncIterator]()
      .return?.()
      .catch(() => undefined);
  }
}
