// psql-like aligned output of a query result.
const NUMERIC_OIDS = new Set([20, 21, 23, 26, 700, 701, 1700]);

export interface TextResult {
  readonly command: string | null;
  readonly rowCount: number | null;
  readonly fields: readonly { readonly name: string; readonly dataTypeID: number }[];
  readonly rows: readonly (readonly (string | null)[])[];
}

export function formatResult(r: TextResult): string {
  if (r.fields.length === 0)
    return `${r.command ?? ''}${r.rowCount !== null && r.command !== 'SELECT' ? ` ${r.rowCount}` : ''}\n`;
  const widths = r.fields.map((f) => displayWidth(f.name));
  const cells = r.rows.map((row) => r.fields.map((_, i) => row[i] ?? ''));
  for (const row of cells) {
    for (let i = 0; i < row.length; i++) widths[i] = Math.max(widths[i]!, displayWidth(row[i]!));
  }
  const header = r.fields.map((f, i) => center(f.name, widths[i]!)).join('|');
  const rule = widths.map((w) => '-'.repeat(w + 2)).join('+');
  const lines = cells.map((row) =>
    row
      .map((v, i) => {
        const w = widths[i]!;
        return NUMERIC_OIDS.has(r.fields[i]!.dataTypeID) ? ` ${pad(v, w, true)} ` : ` ${pad(v, w, false)} `;
      })
      .join('|')
      .trimEnd(),
  );
  const n = r.rows.length;
  return `${header}\n${rule}\n${lines.map((l) => `${l}\n`).join('')}(${n} ${n === 1 ? 'row' : 'rows'})\n`;
}

function displayWidth(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, right: boolean): string {
  const fill = ' '.repeat(w - displayWidth(s));
  return right ? fill + s : s + fill;
}

function center(s: string, w: number): string {
  const total = w - displayWidth(s);
  const left = Math.floor(total / 2);
  return ` ${' '.repeat(left)}${s}${' '.repeat(total - left)} `;
}
