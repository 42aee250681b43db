import { ratioOf, round, type Figure, type Spread } from './report';
import { median } from './stats';

/** Runs that disagree by more than this factor (max / min) make a figure untrustworthy. */
export const DISAGREEMENT_FACTOR = 2;

/** A target the bench checks itself: its text, and the test on the figure's numbers. */
export interface Target {
  text: string;
  test(f: {
    value: number;
    baseline: number | null;
    ratio: number | null;
    extra: Record<string, number | string>;
  }): boolean;
}

export function spreadOf(xs: number[], digits = 2): Spread | null {
  if (xs.length === 0) return null;
  return {
    min: round(Math.min(...xs), digits),
    median: round(median(xs), digits),
    max: round(Math.max(...xs), digits),
  };
}

/** "runs disagree 3.4×" when a series of positive samples spans more than DISAGREEMENT_FACTOR. */
function disagreement(what: string, xs: number[]): string | null {
  if (xs.length < 2) return null;
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  if (lo <= 0) return null;
  const f = hi / lo;
  return f > DISAGREEMENT_FACTOR ? `${what} runs disagree ${f.toFixed(1)}×` : null;
}

/**
 * One figure from its samples: the median of the product's runs against the median of the raw
 * baseline's runs, both spreads, and `met` decided by the target — never met when either series'
 * runs disagree by more than 2× (then `flagged` says why).
 */
export function makeFigure(o: {
  name: string;
  unit: string;
  product: number[];
  baseline?: number[] | null;
  target?: Target | null;
  extra?: Record<string, number | string>;
  baselineWhat?: string;
  digits?: number;
  /** Where a figure is a single value made of many samples (a percentile), the runs it summarises. */
  runs?: number;
}): Figure {
  const digits = o.digits ?? 2;
  const value = median(o.product);
  const base = o.baseline && o.baseline.length > 0 ? median(o.baseline) : null;
  const ratio = ratioOf(value, base);
  const flags = [disagreement('product', o.product), o.baseline ? disagreement('baseline', o.baseline) : null].filter(
    (x): x is string => x !== null,
  );
  const extra = o.extra ?? {};
  const passes = o.target ? o.target.test({ value, baseline: base, ratio, extra }) : null;
  return {
    name: o.name,
    value: round(value, digits),
    unit: o.unit,
    baseline: base === null ? null : round(base, digits),
    ratio,
    runs: o.runs ?? o.product.length,
    spread: spreadOf(o.product, digits),
    baselineSpread: o.baseline ? spreadOf(o.baseline, digits) : null,
    target: o.target?.text,
    met: passes === null ? null : passes && flags.length === 0,
    flagged: flags.length > 0 ? flags.join('; ') : undefined,
    extra: Object.keys(extra).length > 0 ? extra : undefined,
    baselineWhat: o.baselineWhat,
  };
}

/** Common targets. */
export const targets = {
  ratioAtMost: (r: number, more = ''): Target => ({
    text: `ratio ≤ ${r}${more}`,
    test: ({ ratio }) => ratio !== null && ratio <= r,
  }),
  ratioAtLeast: (r: number): Target => ({ text: `ratio ≥ ${r}`, test: ({ ratio }) => ratio !== null && ratio >= r }),
  valueAtMost: (v: number, unit: string): Target => ({
    text: `≤ ${v} ${unit}`.trim(),
    test: ({ value }) => value <= v,
  }),
};
