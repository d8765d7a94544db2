// Rows to CSV text, the one writer for commands (--format csv, --out FILE) and for tables handed to
// the mining worker: header from the first row's keys, RFC 4180 quoting, objects as JSON, a newline
// after every line. (The demo generator writes its feeds byte by byte on its own: same seed, same bytes.)

export function rowsToCsv(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]!);
  const lines = [columns.map(csvCell).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
