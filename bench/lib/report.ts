import type { MachineInfo } from './proc';

/** The spread of a figure's runs. */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

/** One measured figure as written to bench/results.json. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The raw counterpart measured in the same run (null where the issue defines none). */
  baseline: number | null;
  /** value / baseline (null without a baseline or when the baseline is ~0). */
  ratio: number | null;
  /** Measured repetitions (warm-ups excluded). */
  runs: number;
  /** min / median / max of the product's runs and of the baseline's (null: one run or no baseline). */
  spread?: Spread | null;
  baselineSpread?: Spread | null;
  /** Why the figure cannot be trusted (runs disagree by more than 2×); such a figure is never met. */
  flagged?: string;
  /** The target as text, and whether this run met it (null: no target of its own). */
  target?: string;
  met?: boolean | null;
  /** Side figures the issue asks for (failures, max unacknowledged chars, …). */
  extra?: Record<string, number | string>;
  baselineWhat?: string;
}

export interface Results {
  machine: MachineInfo;
  quick: boolean;
  only: string | null;
  startedAt: string;
  durationSec: number;
  /** How the run made its figures trustworthy (disk settling checked, disagreement rule). */
  method?: Record<string, unknown>;
  figures: Figure[];
}

export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function ratioOf(value: number, baseline: number | null, minBaseline = 1e-9): number | null {
  if (baseline === null || !Number.isFinite(baseline) || Math.abs(baseline) < minBaseline) return null;
  return round(value / baseline, 3);
}

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  return abs >= 100 ? x.toFixed(0) : abs >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function extraText(f: Figure): string {
  return f.extra
    ? Object.entries(f.extra)
        .map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`)
        .join(' ')
    : '';
}

function withSpread(x: number | null | undefined, s: Spread | null | undefined): string {
  if (x === null || x === undefined) return '—';
  return s && s.min !== s.max ? `${fmt(x)} (${fmt(s.min)}–${fmt(s.max)})` : fmt(x);
}

/** The results as a Markdown table (stdout and bench/README.md use the same one). */
export function table(results: Results): string {
  const rows = [
    '| figure | value (min–max) | unit | baseline (min–max) | ratio | runs | target | met | notes |',
    '| --- | ---: | --- | ---: | ---: | ---: | --- | --- | --- |',
  ];
  for (const f of results.figures) {
    const met = f.met === undefined || f.met === null ? '—' : f.met ? 'yes' : f.flagged ? '**no** (flagged)' : '**no**';
    const notes = [f.flagged ? `⚠ ${f.flagged}` : '', extraText(f)].filter(Boolean).join(' ');
    rows.push(
      `| \`${f.name}\` | ${withSpread(f.value, f.spread)} | ${f.unit} | ${withSpread(f.baseline, f.baselineSpread)} | ${fmt(f.ratio)} | ${f.runs} | ${f.target ?? '—'} | ${met} | ${notes} |`,
    );
  }
  return rows.join('\n');
}

export function machineText(m: MachineInfo): string {
  return `${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.os}, Node ${m.node}, ${m.git}`;
}
