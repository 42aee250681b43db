import type uPlot from 'uplot';
import { UPlotChart } from './UPlotChart';

interface Props {
  name: string;
  title: string;
  subtitle?: string;
  options: (width: number, height: number) => uPlot.Options;
  structureKey: string;
  data: uPlot.AlignedData;
  /** Shown instead of the chart when there is nothing to plot. */
  emptyText: string;
  height?: number;
}

/** A titled panel around one chart, with its own empty state. */
export function ChartCard({ name, title, subtitle, options, structureKey, data, emptyText, height = 220 }: Props) {
  const empty = data[0].length === 0 || data.length < 2;
  return (
    <section className="an-chart" data-testid={`analytics-chart-${name}`} data-points={data[0].length}>
      <header>
        <h3>{title}</h3>
        {subtitle && <span className="faint">{subtitle}</span>}
      </header>
      {empty ? (
        <div className="an-chart-empty" style={{ height }}>
          {emptyText}
        </div>
      ) : (
        <UPlotChart options={options} structureKey={structureKey} data={data} height={height} />
      )}
    </section>
  );
}
