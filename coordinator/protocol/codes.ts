// Message type bytes and startup codes of the PostgreSQL frontend/backend protocol v3.

/** First byte of messages sent by the client. */
export enum FrontendCode {
  bind = 0x42, // B
  close = 0x43, // C
  describe = 0x44, // D
  execute = 0x45, // E
  functionCall = 0x46, // F
  flush = 0x48, // H
  parse = 0x50, // P
  query = 0x51, // Q
  sync = 0x53, // S
  terminate = 0x58, // X
  copyFail = 0x66, // f
  copyDone = 0x63, // c
  copyData = 0x64, // d
  password = 0x70, // p
}

/** First byte of messages sent by the server. */
export enum BackendCode {
  parseComplete = 0x31, // 1
  bindComplete = 0x32, // 2
  closeComplete = 0x33, // 3
  commandComplete = 0x43, // C
  dataRow = 0x44, // D
  errorResponse = 0x45, // E
  emptyQueryResponse = 0x49, // I
  backendKeyData = 0x4b, // K
  noticeResponse = 0x4e, // N
  authentication = 0x52, // R
  parameterStatus = 0x53, // S
  rowDescription = 0x54, // T
  readyForQuery = 0x5a, // Z
  noData = 0x6e, // n
  portalSuspended = 0x73, // s
  parameterDescription = 0x74, // t
}

/** The int32 after the length of an untyped startup-phase message. */
export enum StartupCode {
  protocolV3 = 196608, // 3 << 16
  cancelRequest = 80877102,
  sslRequest = 80877103,
  gssEncRequest = 80877104,
}

/** ReadyForQuery transaction status. */
export enum TxStatus {
  idle = 0x49, // I
  inBlock = 0x54, // T
  failed = 0x45, // E
}
