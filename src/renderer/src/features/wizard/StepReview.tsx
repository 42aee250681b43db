import type { EventPayload } from '../../../../shared/contract';
import { typeLabels } from '../../lib/status';
import { errorFixes, type RowResult } from './create-sessions';
import { rowName, totalCopies, type WizardDraft } from './wizard-draft';

interface Props {
  draft: WizardDraft;
  results: Record<number, RowResult>;
  progress: Record<string, EventPayload<'progress'>>;
  goTo(step: number): void;
}

/** Step 5: what will be created; during creation, progress per copy and errors with their fix. */
export function StepReview({ draft, results, progress, goTo }: Props) {
  const items: Array<[string, string]> = [
    ['Repository', draft.repoPath],
    ['Type', typeLabels[draft.type]],
    [
      'Branch',
      draft.branchMode === 'existing'
        ? `existing: ${draft.existingBranch}`
        : `new from ${draft.baseBranch || 'current branch'}${draft.branchName ? ` as ${draft.branchName}` : ''}`,
    ],
    ['Priority', String(draft.priority)],
    [
      'Limits',
      [draft.memoryMb && `${draft.memoryMb} MB`, draft.runtimeMin && `${draft.runtimeMin} min`]
        .filter(Boolean)
        .join(', ') || 'none',
    ],
    ['Mode', draft.background ? 'Background' : 'Opens a terminal tab'],
  ];
  const events = Object.values(progress);
  return (
    <div className="wizard-step" data-testid="wizard-step-review">
      <dl className="review-list">
        {items.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd className={k === 'Repository' ? 'mono' : undefined}>{v}</dd>
          </div>
        ))}
        {draft.prompt && (
          <div>
            <dt>Prompt</dt>
            <dd className="review-prompt">{draft.prompt}</dd>
          </div>
        )}
      </dl>
      <h3 style={{ margin: '12px 0 6px' }}>
        {totalCopies(draft)} session{totalCopies(draft) === 1 ? '' : 's'}
      </h3>
      <ul className="review-rows">
        {draft.rows.map((row) => {
          const r = results[row.key];
          const fix = r?.code ? errorFixes[r.code] : undefined;
          return (
            <li key={row.key} className={`review-row rr-${r?.state ?? 'idle'}`} data-testid="wizard-row-result">
              <div className="row">
                <span className="rr-mark">
                  {!r ? '•' : r.state === 'pending' ? <span className="spinner" /> : r.state === 'ok' ? '✓' : '✗'}
                </span>
                <strong>
                  {row.count} × {row.agent === 'custom' ? row.command || 'custom' : row.agent || 'type default'}
                </strong>
                <span className="muted">named “{rowName(draft, row)}”</span>
              </div>
              {r?.state === 'error' && (
                <div className="error-box" data-testid="wizard-create-error">
                  {r.message}
                  {fix && (
                    <div className="row" style={{ marginTop: 6 }}>
                      <span>{fix.hint}</span>
                      <button className="btn small" onClick={() => goTo(fix.step)}>
                        Go to step {fix.step + 1}
                      </button>
                    </div>
                  )}
                </div>
              )}
              {r?.state === 'ok' && <div className="faint">{r.sessions.map((s) => s.name).join(', ')}</div>}
            </li>
          );
        })}
      </ul>
      {events.length > 0 && (
        <ul className="progress-list" data-testid="wizard-progress">
          {events.map((p) => (
            <li key={`${p.sessionId}-${p.step}`} className={p.error ? 'pg-error' : p.done ? 'pg-done' : 'pg-run'}>
              <span className="pg-mark">{p.error ? '✗' : p.done ? '✓' : <span className="spinner" />}</span>
              <span className="truncate">{p.error ?? p.message}</span>
              {p.fraction != null && !p.done && (
                <div className="progress" style={{ width: 80 }}>
                  <div style={{ width: `${Math.round(p.fraction * 100)}%` }} />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
