import type { UseQueryResult } from '@tanstack/react-query';
import type { RepoInfo } from '../../../../shared/domain';
import { isElectron } from '../../lib/client';
import { baseName } from '../../lib/format';
import { useRepoComplete, useSettings } from '../../lib/queries';
import { Field } from '../shell/Field';
import type { FieldState } from './WizardDialog';
import type { WizardDraft } from './wizard-draft';

interface Props {
  draft: WizardDraft;
  update(patch: Partial<WizardDraft>): void;
  inspect: UseQueryResult<RepoInfo, Error>;
  checking: boolean;
  fields: FieldState;
}

/** Step 1: which repository; checked with `repos.inspect` as soon as it is chosen. */
export function StepRepository({ draft, update, inspect, checking, fields }: Props) {
  const settings = useSettings().data;
  const complete = useRepoComplete(draft.repoPath, true);
  const recent = settings?.recentRepos ?? [];
  const pick = async () => {
    const p = await window.multisession?.pickDirectory();
    if (p) update({ repoPath: p });
  };
  const info = inspect.data;
  return (
    <div className="wizard-step" data-testid="wizard-step-repository">
      <div className="wizard-drop-hint">
        <span className="drop-icon">⇣</span>
        <span>Drop a repository folder anywhere on this window, or choose one below.</span>
      </div>
      <Field
        id="wz-repo"
        label="Repository folder"
        problem={checking ? null : draft.repoPath.trim() ? fields.problems.repoPath : fields.shown('repoPath')}
        testId="wizard-repo"
      >
        {(a) => (
          <div className="row">
            <input
              {...a}
              type="text"
              className="mono"
              style={{ flex: 1 }}
              list="wz-repo-complete"
              placeholder="/home/you/projects/my-app"
              value={draft.repoPath}
              autoFocus
              data-testid="wizard-repo-path"
              onChange={(e) => {
                update({ repoPath: e.target.value });
                fields.touch('repoPath');
              }}
              spellCheck={false}
              autoComplete="off"
            />
            {isElectron() && (
              <button className="btn" onClick={() => void pick()} data-testid="wizard-pick-folder">
                Choose folder…
              </button>
            )}
          </div>
        )}
      </Field>
      <datalist id="wz-repo-complete">
        {(complete.data ?? []).map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <div className="repo-check" data-testid="wizard-repo-check">
        {checking && (
          <div className="row muted">
            <span className="spinner" /> Checking…
          </div>
        )}
        {!checking && info && (
          <div className="repo-card" data-testid="wizard-repo-info">
            <div className="row">
              <strong>{info.name}</strong>
              <span className="mono faint truncate">{info.root}</span>
            </div>
            <div className="row wrap">
              <span className="badge">⎇ {info.currentBranch ?? 'detached HEAD'}</span>
              <span className="badge">{info.branches.length} branches</span>
              {info.dirty ? (
                <span
                  className="badge warn-badge"
                  title="Uncommitted changes stay in your checkout; new worktrees start from the last commit"
                >
                  {info.changedFiles} uncommitted change{info.changedFiles === 1 ? '' : 's'}
                </span>
              ) : (
                <span className="badge ok-badge">clean</span>
              )}
              {info.headCommit && <span className="badge mono">{info.headCommit.slice(0, 8)}</span>}
            </div>
            {info.dirty && (
              <div className="faint" style={{ marginTop: 4 }}>
                Uncommitted changes in your checkout are not copied — sessions start from the last commit.
              </div>
            )}
          </div>
        )}
      </div>
      {recent.length > 0 && (
        <div className="field">
          <span className="field-label">Recent repositories</span>
          <div className="recent-list">
            {recent.map((r) => (
              <button
                key={r}
                className={r === draft.repoPath ? 'recent on' : 'recent'}
                onClick={() => update({ repoPath: r })}
                title={r}
              >
                <strong>{baseName(r)}</strong>
                <span className="mono faint truncate">{r}</span>
              </button>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
