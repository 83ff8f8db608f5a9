// Backend (server -> client) messages, written into the connection's BufferWriter.
import type { SqlError } from '../../common/errors.js';
import { pgTypeLen, pgTypeMod, pgTypeOid } from '../../common/pg-types.js';
import type { ColumnSchema } from '../../common/types.js';
import type { BufferWriter } from './buffer-writer.js';
import { BackendCode } from './codes.js';

export function writeAuthenticationOk(w: BufferWriter): void {
  w.begin(BackendCode.authentication).int32(0).end();
}

export function writeParameterStatus(w: BufferWriter, name: string, value: string): void {
  w.begin(BackendCode.parameterStatus).cstring(name).cstring(value).end();
}

export function writeBackendKeyData(w: BufferWriter, processId: number, secretKey: number): void {
  w.begin(BackendCode.backendKeyData).int32(processId).int32(secretKey).end();
}

export function writeNegotiateProtocolVersion(w: BufferWriter, minor: number, unknownOptions: readonly string[]): void {
  w.begin(0x76 /* v */).int32(minor).int32(unknownOptions.length);
  for (const o of unknownOptions) w.cstring(o);
  w.end();
}

export function writeReadyForQuery(w: BufferWriter, status: number): void {
  w.begin(BackendCode.readyForQuery).byte(status).end();
}

/** `formats`: per column 0 text / 1 binary (empty = all text, one entry = all columns). */
export function writeRowDescription(
  w: BufferWriter,
  columns: readonly ColumnSchema[],
  formats: readonly number[],
): void {
  w.begin(BackendCode.rowDescription).int16(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    w.cstring(c.name)
      .int32(0) // table OID
      .int16(0) // column attribute number
      .int32(pgTypeOid(c.type))
      .int16(pgTypeLen(c.type))
      .int32(pgTypeMod(c.type))
      .int16(formatOf(formats, i));
  }
  w.end();
}

export function formatOf(formats: readonly number[], i: number): number {
  return formats.length === 0 ? 0 : formats.length === 1 ? formats[0]! : (formats[i] ?? 0);
}

export function writeParameterDescription(w: BufferWriter, oids: readonly number[]): void {
  w.begin(BackendCode.parameterDescription).int16(oids.length);
  for (const o of oids) w.uint32(o);
  w.end();
}

export function writeCommandComplete(w: BufferWriter, tag: string): void {
  w.begin(BackendCode.commandComplete).cstring(tag).end();
}

export function writeEmpty(w: BufferWriter, code: BackendCode): void {
  w.empty(code);
}

/**
 * ErrorResponse (or NoticeResponse) fields: S/V severity, C SQLSTATE, M message, D detail,
 * H hint, P 1-based character position in the query text the client sent.
 */
export function writeErrorResponse(
  w: BufferWriter,
  e: SqlError,
  positionOffset: number,
  severity: 'ERROR' | 'FATAL' = 'ERROR',
): void {
  w.begin(BackendCode.errorResponse);
  w.byte(0x53).cstring(severity); // S
  w.byte(0x56).cstring(severity); // V
  w.byte(0x43).cstring(e.sqlState); // C
  w.byte(0x4d).cstring(e.message); // M
  if (e.detail !== undefined) w.byte(0x44).cstring(e.detail); // D
  if (e.hint !== undefined) w.byte(0x48).cstring(e.hint); // H
  if (e.position !== undefined && e.position > 0) w.byte(0x50).cstring(String(e.position + positionOffset)); // P
  w.byte(0);
  w.end();
}
