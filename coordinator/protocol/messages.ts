// Frontend messages as parsed from the wire, tagged by kind.

export type StartupMessage =
  | { readonly kind: 'startup'; readonly minorVersion: number; readonly params: ReadonlyMap<string, string> }
  | { readonly kind: 'sslRequest' }
  | { readonly kind: 'gssEncRequest' }
  | { readonly kind: 'cancelRequest'; readonly processId: number; readonly secretKey: number };

export type FrontendMessage =
  | { readonly kind: 'query'; readonly sql: string }
  | {
      readonly kind: 'parse';
      readonly name: string;
      readonly sql: string;
      readonly paramOids: readonly number[];
    }
  | {
      readonly kind: 'bind';
      readonly portal: string;
      readonly statement: string;
      /** 0 text, 1 binary; length 0 (all text), 1 (applies to all) or one per parameter. */
      readonly paramFormats: readonly number[];
      /** Raw parameter bytes (null = SQL NULL); decoded by the connection, which knows the types. */
      readonly params: readonly (Buffer | null)[];
      readonly resultFormats: readonly number[];
    }
  | { readonly kind: 'describe'; readonly target: 'S' | 'P'; readonly name: string }
  | { readonly kind: 'execute'; readonly portal: string; readonly maxRows: number }
  | { readonly kind: 'close'; readonly target: 'S' | 'P'; readonly name: string }
  | { readonly kind: 'sync' }
  | { readonly kind: 'flush' }
  | { readonly kind: 'terminate' }
  /** A message type this server does not handle (copy, function call, password...). */
  | { readonly kind: 'unsupported'; readonly code: number };
