import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { EventPayload } from '../../../../shared/contract';
import type { SessionPlan } from '../../../../shared/session-plan';
import { typeLabels } from '../../lib/status';
import { useAgents } from '../../lib/queries';
import { approvalText } from '../agents/approval';
import { errorFixes, type RowResult } from './create-sessions';
import type { RowPlan } from './use-session-plans';
import { RepoScriptsReview } from './RepoScriptsReview';
import { totalCopies, type WizardDraft } from './wizard-draft';
import { stepOf, fieldOrder, type WizardProblems } from './wizard-validation';

interface Props {
  draft: WizardDraft;
  plans: RowPlan[];
  problems: WizardProblems;
  results: Record<number, RowResult>;
  progress: Record<string, EventPayload<'progress'>>;
  goTo(step: number): void;
  update(patch: Partial<WizardDraft>): void;
}

const sourceLabel = {
  request: 'set here',
  repository: 'this repository’s default',
  settings: 'Settings default',
  'repository-file': 'the repository’s own file — shown above for trust',
};

function limitsText(p: SessionPlan, d: WizardDraft): string {
  const parts: string[] = [];
  const mark = (typed: string) => (typed.trim() ? ' (set here)' : ' (type default)');
  if (p.limits.memoryMb !== null) parts.push(`memory ${p.limits.memoryMb} MB${mark(d.memoryMb)}`);
  if (p.limits.runtimeSec !== null)
    parts.push(`runtime ${Math.round(p.limits.runtimeSec / 60)} min${mark(d.runtimeMin)}`);
  if (p.limits.commandTimeoutSec !== null) parts.push(`command timeout ${p.limits.commandTimeoutSec} s (type default)`);
  return parts.length > 0 ? parts.join(' · ') : 'none';
}

function startsText(all: SessionPlan[], maxNote: boolean): string {
  const now = all.filter((p) => p.starts === 'now').length;
  const queued = all.filter((p) => p.starts === 'queued').length;
  if (now + queued === 0) return 'Not started (you start them later)';
  if (queued === 0) return now === 1 ? 'At once' : `All ${now} at once`;
  return `${now} at once, ${queued} queued until a running slot frees${maxNote ? ' (Settings → running cap)' : ''}`;
}

/**
 * Step 5: exactly what Create will apply — the host's own plan of every copy (names, branches,
 * program and arguments, prompt with the type's prefix, limits, copy-in files, setup script, where
 * worktrees go, whether they start or queue). During creation: progress per copy, errors with their fix.
 */
export function StepReview({ draft, plans, problems, results, progress, goTo, update }: Props) {
  const firstBad = fieldOrder(draft).find((f) => problems[f]);
  const all = plans.flatMap((p) => p.plans ?? []);
  const first = all[0];
  const waiting = plans.some((p) => p.plans === null);
  const events = Object.values(progress);
  const qc = useQueryClient();
  // Arriving here re-asks the host: the repository's scripts shown for trust are what is on disk now.
  useEffect(() => {
    void qc.invalidateQueries({ queryKey: ['sessionPlan'] });
  }, [qc]);
  // "Skip them" on the repository's scripts skips its .worktreeinclude too.
  const includeCopied = Boolean(first?.worktreeInclude) && !draft.skipRepoScripts;
  const agents = useAgents().data ?? [];
  const approvalOf = (p: SessionPlan) =>
    approvalText(
      p.approval,
      agents.find((a) => a.id === p.agent),
    );
  return (
    // Focusable so Enter creates right after arriving here (Create itself waits for the plan).
    <div className="wizard-step" data-testid="wizard-step-review" tabIndex={-1}>
      {firstBad && (
        <div className="error-box" role="alert" data-testid="wizard-review-problem">
          {problems[firstBad]}{' '}
          <button className="btn small" onClick={() => goTo(stepOf(firstBad))}>
            Fix in step {stepOf(firstBad) + 1}
          </button>
        </div>
      )}
      {!firstBad && waiting && (
        <p className="muted row" data-testid="wizard-review-loading">
          <span className="spinner" aria-hidden /> Working out exactly what will be created…
        </p>
      )}
      {first && (
        <RepoScriptsReview
          repoPath={first.repoRoot}
          scripts={first.repoScripts}
          skipped={draft.skipRepoScripts}
          setSkipped={(skipRepoScripts) => update({ skipRepoScripts })}
        />
      )}
      {first && (
        <dl className="review-list" data-testid="wizard-review-list">
          <div>
            <dt>Repository</dt>
            <dd className="mono">{first.repoRoot}</dd>
          </div>
          <div>
            <dt>Type</dt>
            <dd>{typeLabels[first.type]}</dd>
          </div>
          <div>
            <dt>Branch</dt>
            <dd>
              {first.existingBranch ? (
                <>
                  works on the existing <span className="mono">{first.baseBranch}</span>
                </>
              ) : (
                <>
                  new branch{all.length > 1 ? 'es' : ''} from <span className="mono">{first.baseBranch}</span>
                </>
              )}
            </dd>
          </div>
          <div>
            <dt>Prompt</dt>
            <dd className="review-prompt" data-testid="wizard-review-prompt">
              {first.prompt || <span className="muted">none</span>}
            </dd>
          </div>
          <div>
            <dt>Priority</dt>
            <dd>{first.priority}</dd>
          </div>
          <div>
            <dt>Limits</dt>
            <dd data-testid="wizard-review-limits">{limitsText(first, draft)}</dd>
          </div>
          <div>
            <dt>Terminal</dt>
            <dd>{first.background ? 'Runs in the background (no tab)' : 'Opens a terminal tab'}</dd>
          </div>
          <div>
            <dt>Copied in</dt>
            <dd data-testid="wizard-review-copyin">
              {first.copyInPatterns.length > 0 ? (
                <>
                  <span className="mono">{first.copyInPatterns.join(', ')}</span>{' '}
                  <span className="muted">({sourceLabel[first.copyInSource]})</span>
                </>
              ) : (
                !includeCopied && 'nothing'
              )}
              {includeCopied && (
                <span data-testid="wizard-review-worktreeinclude">
                  {first.copyInPatterns.length > 0 ? ' and ' : ''}the ignored files listed in the repository’s{' '}
                  <span className="mono">.worktreeinclude</span>
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>Setup script</dt>
            <dd data-testid="wizard-review-setup">
              {first.setupScript ? (
                <>
                  <span className="mono review-script">{first.setupScript}</span>{' '}
                  <span className="muted">({sourceLabel[first.setupScriptSource ?? 'request']})</span>
                </>
              ) : (
                'none'
              )}
            </dd>
          </div>
          {first.skills.length > 0 && (
            <div>
              <dt>Skills</dt>
              <dd>{first.skills.join(', ')}</dd>
            </div>
          )}
          <div>
            <dt>Worktrees in</dt>
            <dd className="mono">{first.worktreeRoot}</dd>
          </div>
          <div>
            <dt>Starts</dt>
            <dd data-testid="wizard-review-starts">{startsText(all, true)}</dd>
          </div>
        </dl>
      )}
      <h3 style={{ margin: '12px 0 6px' }}>
        {totalCopies(draft)} session{totalCopies(draft) === 1 ? '' : 's'}
      </h3>
      <ul className="review-rows">
        {plans.map(({ row, plans: rowPlans, error }) => {
          const r = results[row.key];
          const fix = r?.code ? errorFixes[r.code] : undefined;
          return (
            <li key={row.key} className={`review-row rr-${r?.state ?? 'idle'}`} data-testid="wizard-row-result">
              <table className="review-copies">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Branch</th>
                    <th scope="col">Program</th>
                    <th scope="col">Approvals</th>
                  </tr>
                </thead>
                <tbody>
                  {(rowPlans ?? []).map((p) => (
                    <tr key={p.name} data-testid="wizard-review-copy">
                      <td>{p.name}</td>
                      <td className="mono" title={p.branchNote ?? undefined}>
                        {p.branch}
                        {p.branchNote && <span className="muted"> (made unique)</span>}
                      </td>
                      <td className="mono truncate" title={[p.program, ...p.args].join(' ')}>
                        {[p.program, ...p.args].join(' ')}
                      </td>
                      <td data-testid="wizard-review-approval">{approvalOf(p)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {rowPlans?.[0]?.agentReason && (
                <div className="muted" data-testid="wizard-review-reason">
                  Program: {rowPlans[0].agentReason}
                </div>
              )}
              {r?.state === 'pending' && (
                <div className="row muted">
                  <span className="spinner" aria-hidden /> Creating…
                </div>
              )}
              {error && !r && <div className="error-box">{error.message}</div>}
              {r?.state === 'error' && (
                <div className="error-box" data-testid="wizard-create-error" role="alert">
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
              {r?.state === 'ok' && (
                <div className="ok-text">✓ Created: {r.sessions.map((s) => s.name).join(', ')}</div>
              )}
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
