import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { CompareEntry, MergeStrategy, PickResult } from '../../../../shared/review';
import { call, errorText, keys, useSessions } from '../../lib/queries';
import { formatDuration, formatUptime } from '../../lib/format';
import { useCompare } from './review-queries';
import { openReview } from './review-ui';

function Candidate({ e, shared, onPick }: { e: CompareEntry; shared: Set<string>; onPick(): void }) {
  const run = e.latestRun;
  const ok = run && run.exitCode === 0 && !run.timedOut;
  return (
    <article className={e.merged ? 'candidate merged' : 'candidate'} data-testid={`candidate-${e.sessionId}`}>
      <header>
        <h3 className="truncate" title={e.name}>
          {e.name}
        </h3>
        <span className="muted">
          {e.agent} · {e.status}
          {e.merged ? ' · merged' : ''}
        </span>
      </header>
      <dl className="candidate-facts">
        <dt>Change</dt>
        <dd>
          <span className="diff-add">+{e.additions}</span> <span className="diff-del">−{e.deletions}</span> in{' '}
          {e.files.length} file(s)
        </dd>
        <dt>Commits</dt>
        <dd>
          {e.ahead} ahead{e.behind > 0 ? `, ${e.behind} behind` : ''}
          {e.uncommitted > 0 ? ` · ${e.uncommitted} uncommitted` : ''}
        </dd>
        <dt>Last run</dt>
        <dd data-testid={`candidate-run-${e.sessionId}`}>
          {run ? (
            <span className={ok ? 'run-ok' : 'run-fail'}>
              {ok ? '✓' : '✗'} <span className="mono">{run.command}</span> —{' '}
              {run.timedOut ? 'timed out' : `exit ${run.exitCode}`} in {formatDuration(run.durationMs)}
            </span>
          ) : (
            <span className="faint">none yet (run the tests on the group with Batch run)</span>
          )}
        </dd>
        <dt>Run time</dt>
        <dd>{e.runTimeSec > 0 ? formatUptime(e.runTimeSec) : <span className="faint">not run yet</span>}</dd>
        <dt>Cost</dt>
        <dd>{e.costUsd === null ? <span className="faint">unknown</span> : `$${e.costUsd.toFixed(2)}`}</dd>
      </dl>
      {run?.outputTail && (
        <pre className="candidate-tail">{run.outputTail.trim().split('\n').slice(-6).join('\n')}</pre>
      )}
      {e.error ? (
        <p className="faint">{e.error}</p>
      ) : (
        <ul className="candidate-files">
          {e.files.slice(0, 30).map((f) => (
            <li
              key={f.path}
              className={shared.has(f.path) ? 'shared' : undefined}
              title={shared.has(f.path) ? 'Also changed by another candidate' : undefined}
            >
              <span className={`badge fs-${f.status}`}>{f.status === '?' ? 'U' : f.status}</span>
              <span className="mono truncate">{f.path}</span>
              <span className="diff-add mono">+{f.additions}</span>
              <span className="diff-del mono">−{f.deletions}</span>
            </li>
          ))}
          {e.files.length > 30 && <li className="faint">… {e.files.length - 30} more</li>}
        </ul>
      )}
      <footer className="row">
        {!e.error && (
          <button type="button" className="btn small" onClick={() => openReview(e.sessionId)}>
            Review
          </button>
        )}
        <span className="spacer" />
        {!e.error && !e.merged && (
          <button type="button" className="btn primary small" data-testid={`pick-${e.sessionId}`} onClick={onPick}>
            Pick this one
          </button>
        )}
      </footer>
    </article>
  );
}

/**
 * Candidates made from one prompt, side by side with the evidence to choose: size of the change,
 * files, the latest batch run (e.g. the tests), run time and cost. "Pick this one" merges it and
 * offers to terminate the others (their branches are kept).
 */
export function CompareView({ groupId }: { groupId: string }) {
  const qc = useQueryClient();
  const compare = useCompare(groupId);
  const sessions = useSessions().data ?? [];
  const [picking, setPicking] = useState<string | null>(null);
  const [strategy, setStrategy] = useState<MergeStrategy | ''>('');
  const [terminateOthers, setTerminateOthers] = useState(true);
  const [deleteBranches, setDeleteBranches] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<PickResult | null>(null);
  const name = (id: string) => sessions.find((s) => s.id === id)?.name ?? id;
  const pick = async () => {
    if (!picking) return;
    setBusy(true);
    setError(null);
    try {
      setResult(
        await call('review.pick', {
          sessionId: picking,
          strategy: strategy || undefined,
          terminateOthers,
          deleteBranches,
        }),
      );
      setPicking(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      void qc.invalidateQueries({ queryKey: keys.compare(groupId) });
    }
  };
  if (compare.isError) return <div className="error-box">{errorText(compare.error)}</div>;
  if (!compare.data) return <p className="muted">Comparing candidates…</p>;
  const c = compare.data;
  const shared = new Set(c.sharedFiles);
  return (
    <div className="compare-view" data-testid="compare-view">
      {c.prompt && <blockquote className="compare-prompt">{c.prompt}</blockquote>}
      {result && (
        <div className="pick-result" data-testid="pick-result">
          Merged <strong>{name(result.merge.sessionId)}</strong> into {result.merge.base} ({result.merge.strategy}).
          {result.terminated.length > 0 && ` Terminated ${result.terminated.map(name).join(', ')} (branches kept).`}
          {result.kept.map((k) => (
            <div key={k.sessionId} className="faint">
              Kept {name(k.sessionId)}: {k.reason}
            </div>
          ))}
        </div>
      )}
      {picking && (
        <div className="pick-confirm" data-testid="pick-confirm" role="region" aria-label="Pick this candidate">
          <strong>Merge “{name(picking)}” into its base?</strong>
          <label>
            How{' '}
            <select value={strategy} onChange={(e) => setStrategy(e.target.value as MergeStrategy | '')}>
              <option value="">repository default</option>
              <option value="merge">merge commit</option>
              <option value="squash">squash</option>
              <option value="rebase">rebase</option>
            </select>
          </label>
          <label>
            <input type="checkbox" checked={terminateOthers} onChange={(e) => setTerminateOthers(e.target.checked)} />{' '}
            Terminate the other candidates (a candidate with unsaved work is kept)
          </label>
          <label>
            <input
              type="checkbox"
              checked={deleteBranches}
              disabled={!terminateOthers}
              onChange={(e) => setDeleteBranches(e.target.checked)}
            />{' '}
            Also delete their branches
          </label>
          <div className="row">
            <span className="spacer" />
            <button type="button" className="btn" onClick={() => setPicking(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="btn primary"
              data-testid="pick-confirm-button"
              disabled={busy}
              onClick={() => void pick()}
            >
              {busy ? 'Merging…' : 'Merge it'}
            </button>
          </div>
        </div>
      )}
      {error && (
        <div className="error-box" role="alert">
          {error}
        </div>
      )}
      <div className="candidates">
        {c.entries.map((e) => (
          <Candidate key={e.sessionId} e={e} shared={shared} onPick={() => setPicking(e.sessionId)} />
        ))}
      </div>
    </div>
  );
}
