import { formatCost, formatTokens } from '../agents/approval';
import type { CostRow } from './cost-data';
import { seriesColor } from './palette';

interface Props {
  name: string;
  title: string;
  subtitle: string;
  rows: CostRow[];
  /** Bars beyond this are summed into one "others" row, so a long tail stays readable. */
  max?: number;
}

/** Spend by one grouping as labelled horizontal bars (a table for screen readers), largest first. */
export function CostBars({ name, title, subtitle, rows, max = 8 }: Props) {
  const shown = rows.length > max ? [...rows.slice(0, max - 1), othersOf(rows.slice(max - 1))] : rows;
  const top = Math.max(...shown.map((r) => r.costUsd), 0);
  return (
    <section className="an-chart cost-bars" data-testid={`analytics-cost-${name}`} data-rows={rows.length}>
      <header>
        <h3>{title}</h3>
        <span className="faint">{subtitle}</span>
      </header>
      {shown.length === 0 ? (
        <div className="an-chart-empty cost-empty">No recorded cost in this range.</div>
      ) : (
        <table className="cost-table">
          {/* A fixed table takes its column widths from the first row, which is the hidden header. */}
          <colgroup>
            <col className="cost-col-label" />
            <col />
            <col className="cost-col-tokens" />
          </colgroup>
          <thead className="visually-hidden">
            <tr>
              <th scope="col">{title}</th>
              <th scope="col">Cost</th>
              <th scope="col">Tokens</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r, i) => (
              <tr key={r.key} data-testid="cost-row">
                <th scope="row" className="cost-label truncate" title={r.label}>
                  {r.label}
                </th>
                <td>
                  {/* A flex box inside the cell: a cell that is itself a flex box leaves the table's layout. */}
                  <div className="cost-bar-cell">
                    <span className="cost-track">
                      <span
                        className="cost-bar"
                        style={{
                          width: `${top > 0 ? Math.max(2, (r.costUsd / top) * 100) : 2}%`,
                          background: seriesColor(i),
                        }}
                      />
                    </span>
                    <span className="cost-value">{formatCost(r.costUsd)}</span>
                  </div>
                </td>
                <td className="cost-tokens faint">{formatTokens(r.tokens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function othersOf(rows: CostRow[]): CostRow {
  return {
    key: '__others',
    label: `${rows.length} others`,
    costUsd: rows.reduce((n, r) => n + r.costUsd, 0),
    tokens: rows.reduce((n, r) => n + r.tokens, 0),
  };
}
