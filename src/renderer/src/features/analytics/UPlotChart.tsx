import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props {
  /** Builds the chart's options; called only when `structureKey` changes. */
  options: (width: number, height: number) => uPlot.Options;
  /** Identifies the series set (and theme): a new key recreates the chart, otherwise only data updates. */
  structureKey: string;
  data: uPlot.AlignedData;
  height: number;
}

/**
 * A uPlot chart that lives as long as its series set: data changes go through `setData`, container
 * resizes through `setSize`, so live updates and large ranges never rebuild the canvas.
 */
export function UPlotChart({ options, structureKey, data, height }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef({ options, data });
  latest.current = { options, data };

  useEffect(() => {
    const el = host.current;
    if (!el) return undefined;
    const width = Math.max(200, el.clientWidth);
    const u = new uPlot(latest.current.options(width, height), latest.current.data, el);
    plot.current = u;
    let frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const w = el.clientWidth;
        if (w > 0 && w !== u.width) u.setSize({ width: w, height });
      });
    });
    ro.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [structureKey, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div className="chart-canvas" ref={host} />;
}
