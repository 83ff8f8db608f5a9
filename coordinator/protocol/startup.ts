// StartupMessage parameters -> session fields and settings.

export interface StartupInfo {
  readonly user: string | undefined;
  readonly catalog: string | undefined;
  readonly schema: string | undefined;
  /** Lower-case keys: every other startup parameter plus `-c name=value` from `options`. */
  readonly settings: Map<string, string>;
  /** Protocol extension options (`_pq_.*`) we do not know, for NegotiateProtocolVersion. */
  readonly unknownProtocolOptions: string[];
}

export function parseStartup(params: ReadonlyMap<string, string>): StartupInfo {
  const settings = new Map<string, string>();
  const unknownProtocolOptions: string[] = [];
  let user: string | undefined;
  let database: string | undefined;
  for (const [key, value] of params) {
    switch (key) {
      case 'user':
        user = value;
        break;
      case 'database':
        database = value;
        break;
      case 'options':
        for (const [k, v] of parseOptions(value)) settings.set(k.toLowerCase(), v);
        break;
      case 'replication':
        break;
      default:
        if (key.startsWith('_pq_.')) unknownProtocolOptions.push(key);
        else settings.set(key.toLowerCase(), value);
    }
  }
  if (database === undefined || database === '') database = user;
  let catalog: string | undefined;
  let schema: string | undefined;
  if (database !== undefined && database !== '') {
    const dot = database.indexOf('.');
    catalog = dot < 0 ? database : database.slice(0, dot);
    schema = dot < 0 ? undefined : database.slice(dot + 1) || undefined;
  }
  return { user, catalog, schema, settings, unknownProtocolOptions };
}

/** The `options` startup parameter: `-c a=b --c=d -ce=f`, backslash escapes a space. */
export function parseOptions(s: string): [string, string][] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  const out: [string, string][] = [];
  for (let i = 0; i < words.length; i++) {
    let w = words[i]!;
    if (w === '-c') w = words[++i] ?? '';
    else if (w.startsWith('--')) w = w.slice(2);
    else if (w.startsWith('-c')) w = w.slice(2);
    else continue;
    const eq = w.indexOf('=');
    if (eq > 0) out.push([w.slice(0, eq).replace(/-/g, '_'), w.slice(eq + 1)]);
  }
  return out;
}
