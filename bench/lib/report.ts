import type { MachineInfo } from './proc';

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

/** The results as a Markdown table (stdout and bench/README.md use the same one). */
export function table(results: Results): string {
  const rows = [
    '| figure | value | unit | baseline | ratio | runs | target | met | notes |',
    '| --- | ---: | --- | ---: | ---: | ---: | --- | --- | --- |',
  ];
  for (const f of results.figures) {
    const met = f.met === undefined || f.met === null ? '—' : f.met ? 'yes' : '**no**';
    rows.push(
      `| \`${f.name}\` | ${fmt(f.value)} | ${f.unit} | ${fmt(f.baseline)} | ${fmt(f.ratio)} | ${f.runs} | ${f.target ?? '—'} | ${met} | ${extraText(f)} |`,
    );
  }
  return rows.join('\n');
}

export function machineText(m: MachineInfo): string {
  return `${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.os}, Node ${m.node}, ${m.git}`;
}
