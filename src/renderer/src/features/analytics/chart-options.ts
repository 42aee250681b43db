import uPlot from 'uplot';
import { cssVar, seriesColor, statusColor, withAlpha } from './palette';

export interface SeriesSpec {
  label: string;
  color: string;
  kind?: 'line' | 'step' | 'bars' | 'points';
  /** y scale; defaults to 'y'. A second scale gets an axis on the right. */
  scale?: string;
  unit?: string;
}

interface ChartSpec {
  width: number;
  height: number;
  series: SeriesSpec[];
  yLabel: string;
  y2Label?: string;
  /** Many series: hide per-point values in the legend so it stays compact. */
  compactLegend?: boolean;
  /** The time window shown, in ms back from now: the x axis always spans it, sparse data or not. */
  windowMs: number;
  /** Fixed y range for a scale, e.g. percentages. */
  ranges?: Record<string, [number, number]>;
}

const fmt = (v: number | null, unit = '') => (v === null || v === undefined ? '—' : `${+v.toFixed(2)}${unit}`);

function pathsFor(kind: SeriesSpec['kind']): uPlot.Series.PathBuilder | undefined {
  const p = uPlot.paths;
  if (kind === 'step') return p.stepped?.({ align: 1 });
  if (kind === 'bars') return p.bars?.({ size: [0.7, 24], align: 0 });
  if (kind === 'points') return () => null;
  return undefined;
}

/** uPlot options in the app's colours: time x axis, one or two y axes, toggleable legend. */
export function buildOptions(spec: ChartSpec): uPlot.Options {
  const text = cssVar('--text-muted') || '#666';
  const grid = cssVar('--border') || '#ddd';
  const axis = (label: string, scale: string, side: 1 | 3): uPlot.Axis => ({
    scale,
    side,
    label,
    stroke: text,
    labelSize: 18,
    labelFont: '12px system-ui, sans-serif',
    font: '11px system-ui, sans-serif',
    grid: { show: side === 3, stroke: grid, width: 1 },
    ticks: { show: false },
    size: 48,
  });
  // Re-evaluated on every setData, so the window slides with live updates.
  const xRange: uPlot.Scale.Range = () => {
    const now = Date.now() / 1000;
    return [now - spec.windowMs / 1000, now];
  };
  // Counts, percentages and sizes read best from zero; a little headroom above the peak.
  const fromZero: uPlot.Scale.Range = (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1];
  const scales: uPlot.Scales = { x: { time: true, range: xRange }, y: { range: fromZero }, y2: { range: fromZero } };
  for (const [k, range] of Object.entries(spec.ranges ?? {})) scales[k] = { range };
  const axes: uPlot.Axis[] = [
    { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { show: false }, font: '11px system-ui, sans-serif' },
    axis(spec.yLabel, 'y', 3),
  ];
  if (spec.y2Label) axes.push(axis(spec.y2Label, 'y2', 1));
  return {
    width: spec.width,
    height: spec.height,
    scales,
    axes,
    // No drag-zoom: live updates would reset it every few seconds; the range picker is the zoom.
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    legend: { show: true, live: !spec.compactLegend },
    series: [
      {},
      ...spec.series.map((s): uPlot.Series => {
        const series: uPlot.Series = {
          label: s.label,
          stroke: s.color,
          width: s.kind === 'points' ? 0 : 1.6,
          scale: s.scale ?? 'y',
          spanGaps: s.kind !== 'bars' && s.kind !== 'points',
          value: (_u, v) => fmt(v, s.unit),
        };
        const paths = pathsFor(s.kind);
        if (paths) series.paths = paths;
        if (s.kind === 'bars') {
          series.fill = withAlpha(s.color, 0.55);
          series.points = { show: false };
        }
        if (s.kind === 'points') series.points = { show: true, size: 6, fill: s.color, stroke: s.color };
        // Lines keep uPlot's default points: shown only where data is sparse, so a lone sample is visible.
        return series;
      }),
    ],
  };
}

/** Series specs for per-session charts; `ids` come in the app's session order, so colours stay put. */
export function sessionSeries(ids: string[], nameOf: (id: string) => string, unit: string): SeriesSpec[] {
  return ids.map((id, i) => ({ label: nameOf(id), color: seriesColor(i), unit }));
}

export { statusColor };
