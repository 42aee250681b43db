/** Where a verb's results go: exactly one JSON document with --json, readable text otherwise. */
export interface Output {
  readonly json: boolean;
  /** The verb's result: printed as JSON with --json, else `human()` is printed. */
  result(value: unknown, human: () => string): void;
  /** A progress or advice line for people; goes to stderr, never with --json. */
  note(line: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(value, human) {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else {
        const text = human();
        if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      }
    },
    note(line) {
      if (!json) process.stderr.write(`${line}\n`);
    },
  };
}

export type Column<T> = [header: string, cell: (row: T) => string | number | null | undefined];

/** An aligned plain-text table (no colours, so it pipes cleanly). */
export function table<T>(rows: readonly T[], columns: Column<T>[]): string {
  const cells = rows.map((r) => columns.map(([, f]) => oneLine(f(r))));
  const headers = columns.map(([h]) => h);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (i === vals.length - 1 ? v : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

/** Aligned `key  value` lines. */
export function keyValues(pairs: Array<[string, string | number]>): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

function oneLine(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '-';
  return String(v).replace(/\s*\n\s*/g, ' ');
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

export function formatPercent(rate: number): string {
  // successRate is a percentage (0–100) in the contract.
  return `${rate.toFixed(1)}%`;
}

/** `$1.23`, or `$0.0042` below a cent so small costs do not read as zero. */
export function formatUsd(usd: number): string {
  return usd >= 0.01 || usd === 0 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}

/** `12.3k in (+40.1k cached) · 2.1k out`. */
export function formatTokens(u: {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}): string {
  const k = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n));
  const cached = u.cacheReadTokens + u.cacheWriteTokens;
  return `${k(u.inputTokens)} in${cached ? ` (+${k(cached)} cached)` : ''} · ${k(u.outputTokens)} out`;
}
