/** How the CLI prints results: JSON for scripts, or an aligned plain-text table for people. */

export type Row = Record<string, string | number | boolean | null | undefined>;

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

/** Columns in the order given; empty values print as "-" so columns stay readable. */
export function formatTable(rows: Row[], columns: string[]): string {
  if (rows.length === 0) return "(none)\n";
  const cells = rows.map((row) => columns.map((c) => cellText(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join("\n") + "\n";
}

export function printTable(rows: Row[], columns: string[]): void {
  process.stdout.write(formatTable(rows, columns));
}

/** One record as `key  value` lines (what `admin ... create` prints without --json). */
export function printRecord(record: Row): void {
  const width = Math.max(...Object.keys(record).map((k) => k.length));
  const lines = Object.entries(record).map(([k, v]) => `${k.padEnd(width)}  ${cellText(v)}`);
  process.stdout.write(lines.join("\n") + "\n");
}

function cellText(value: Row[string]): string {
  if (value === null || value === undefined || value === "") return "-";
  return String(value);
}

export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
