import type { RepoInfo } from '../../../../shared/domain';
import { useSettings } from '../../lib/queries';
import { totalCopies, type WizardDraft } from './wizard-draft';

interface Props {
  draft: WizardDraft;
  update(patch: Partial<WizardDraft>): void;
  repo: RepoInfo | undefined;
}

/** Step 3: where the branch comes from, its name, files copied in, and a setup script. */
export function StepWorkspace({ draft, update, repo }: Props) {
  const settings = useSettings().data;
  const branches = repo?.branches ?? [];
  const template = settings?.branchTemplate || '{name}';
  return (
    <div className="wizard-step" data-testid="wizard-step-workspace">
      <div className="field">
        <span className="field-label">Branch</span>
        <label className="check">
          <input
            type="radio"
            name="wz-bm"
            checked={draft.branchMode === 'new'}
            onChange={() => update({ branchMode: 'new' })}
          />
          Create a new branch from
          <select
            value={draft.baseBranch}
            disabled={draft.branchMode !== 'new'}
            data-testid="wizard-base-branch"
            onChange={(e) => update({ baseBranch: e.target.value })}
          >
            <option value="">{repo?.currentBranch ? `${repo.currentBranch} (current)` : 'current branch'}</option>
            {branches
              .filter((b) => b !== repo?.currentBranch)
              .map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
          </select>
        </label>
        <label className="check">
          <input
            type="radio"
            name="wz-bm"
            checked={draft.branchMode === 'existing'}
            onChange={() => update({ branchMode: 'existing' })}
          />
          Work on an existing branch
          <select
            value={draft.existingBranch}
            disabled={draft.branchMode !== 'existing'}
            data-testid="wizard-existing-branch"
            onChange={(e) => update({ existingBranch: e.target.value })}
          >
            <option value="">Choose…</option>
            {branches.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        {draft.branchMode === 'existing' && totalCopies(draft) > 1 && (
          <div className="warn-box">
            A branch can be checked out in one worktree only — use a new branch for several copies.
          </div>
        )}
      </div>
      {draft.branchMode === 'new' && (
        <div className="field">
          <label htmlFor="wz-branch">Branch name (optional)</label>
          <input
            id="wz-branch"
            type="text"
            className="mono"
            placeholder={`from the template: ${template}`}
            value={draft.branchName}
            data-testid="wizard-branch-name"
            onChange={(e) => update({ branchName: e.target.value })}
          />
          <span className="hint">
            Empty: derived from the session name with the template <span className="mono">{template}</span> (change it
            in Settings). Names are made unique.
          </span>
        </div>
      )}
      <div className="field">
        <label htmlFor="wz-copy">Copy into each worktree (one pattern per line)</label>
        <textarea
          id="wz-copy"
          rows={3}
          placeholder={(settings?.copyInPatterns ?? ['.env', '.env.local']).join('\n') || '.env'}
          value={draft.copyInPatterns}
          onChange={(e) => update({ copyInPatterns: e.target.value })}
        />
        <span className="hint">
          Untracked files such as .env that git would not bring along. Empty uses the defaults from Settings.
        </span>
      </div>
      <div className="field">
        <label htmlFor="wz-setup">Setup script (optional)</label>
        <textarea
          id="wz-setup"
          rows={3}
          placeholder="npm ci"
          value={draft.setupScript}
          onChange={(e) => update({ setupScript: e.target.value })}
        />
        <span className="hint">Runs in the new worktree before the program starts.</span>
      </div>
    </div>
  );
}
