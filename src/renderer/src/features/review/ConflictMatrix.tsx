import type { RepoForecast } from '../../../../shared/review';
import { errorText, useSessions } from '../../lib/queries';
import { baseName } from '../../lib/format';
import { useForecast } from './review-queries';
import { openReview } from './review-ui';

function Matrix({ f, names }: { f: RepoForecast; names: Map<string, string> }) {
  const ids = f.sessionIds;
  const cell = (a: string, b: string) => f.pairs.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a));
  const name = (id: string) => names.get(id) ?? id.slice(0, 6);
  return (
    <section className="forecast-repo" data-testid={`forecast-${baseName(f.repoPath)}`}>
      <h3>
        {baseName(f.repoPath)} <span className="muted mono">{f.repoPath}</span>
      </h3>
      {ids.length === 0 ? (
        <p className="muted">No live sessions to compare.</p>
      ) : (
        <div className="matrix-scroll">
          <table className="conflict-matrix">
            <thead>
              <tr>
                <th />
                {ids.map((id) => (
                  <th key={id} scope="col" title={name(id)}>
                    <span className="truncate">{name(id)}</span>
                  </th>
                ))}
                <th scope="col">vs {f.base}</th>
              </tr>
            </thead>
            <tbody>
              {ids.map((row) => {
                const vb = f.vsBase.find((v) => v.sessionId === row);
                return (
                  <tr key={row}>
                    <th scope="row">
                      <button
                        type="button"
                        className="link-btn truncate"
                        onClick={() => openReview(row)}
                        title="Open its review"
                      >
                        {name(row)}
                      </button>
                    </th>
                    {ids.map((col) => {
                      if (col === row) return <td key={col} className="cell-self" aria-label="same session" />;
                      const p = cell(row, col);
                      if (!p)
                        return (
                          <td key={col} className="cell-unknown" title="Not checked">
                            ?
                          </td>
                        );
                      return (
                        <td
                          key={col}
                          className={p.conflict ? 'cell-conflict' : 'cell-clean'}
                          data-testid={`cell-${row}-${col}`}
                          title={p.conflict ? `Conflicts in ${p.files.join(', ')}` : 'Merges cleanly'}
                        >
                          {p.conflict ? `✗ ${p.files.length}` : '✓'}
                        </td>
                      );
                    })}
                    <td
                      className={vb?.conflict ? 'cell-conflict' : 'cell-clean'}
                      title={
                        vb?.conflict
                          ? `Conflicts with ${f.base} in ${vb.files.join(', ')}`
                          : `${vb?.behind ?? 0} behind, merges cleanly`
                      }
                    >
                      {vb?.conflict ? `✗ ${vb.files.length}` : '✓'}
                      {vb && vb.behind > 0 ? <span className="faint"> ↓{vb.behind}</span> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {f.pairs.some((p) => p.conflict) && (
        <ul className="conflict-details">
          {f.pairs
            .filter((p) => p.conflict)
            .map((p) => (
              <li key={`${p.a}|${p.b}`}>
                <strong>{name(p.a)}</strong> × <strong>{name(p.b)}</strong>:{' '}
                <span className="mono">{p.files.join(', ')}</span>
              </li>
            ))}
        </ul>
      )}
      {f.order.length > 1 && (
        <>
          <h4>Suggested merge order</h4>
          <ol className="merge-order" data-testid="merge-order">
            {f.order.map((o) => (
              <li key={o.sessionId}>
                <strong>{name(o.sessionId)}</strong> <span className="muted">— {o.reason}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      {f.skipped.map((s) => (
        <p key={s.sessionId} className="faint">
          {name(s.sessionId)} not included: {s.reason}
        </p>
      ))}
    </section>
  );
}

/**
 * The conflict forecast: for each repository, every pair of live sessions and each session against
 * its base — would merging conflict, and where — with a merge order that meets the fewest conflicts.
 */
export function ConflictMatrix({ repoPath }: { repoPath: string | null }) {
  const forecast = useForecast();
  const names = new Map((useSessions().data ?? []).map((s) => [s.id, s.name]));
  const list = (forecast.data ?? []).filter((f) => !repoPath || f.repoPath === repoPath);
  return (
    <div className="conflict-view" data-testid="conflict-matrix">
      <p className="muted">
        Computed from each worktree as it is now (uncommitted work included) with git merge-tree — nothing is checked
        out. It follows the sessions as they change.
      </p>
      {forecast.isError && <div className="error-box">{errorText(forecast.error)}</div>}
      {forecast.isLoading && <p className="muted">Forecasting…</p>}
      {forecast.data && list.length === 0 && <p className="muted">No live sessions.</p>}
      {list.map((f) => (
        <Matrix key={f.repoPath} f={f} names={names} />
      ))}
    </div>
  );
}
