import type { RepoInfo } from '../../../../shared/domain';
import { useSettings } from '../../lib/queries';
import { Field } from '../shell/Field';
import { BranchPreview } from './BranchPreview';
import type { RowPlan } from './use-session-plans';
import type { FieldState } from './WizardDialog';
import type { WizardDraft } from './wizard-draft';

interface Props {
  draft: WizardDraft;
  update(patch: Partial<WizardDraft>): void;
  repo: RepoInfo | undefined;
  fields: FieldState;
  plans: RowPlan[];
}

/** Step 3: where the branch comes from, its name, files copied in, and a setup script. */
export function StepWorkspace({ draft, update, repo, fields, plans }: Props) {
  const settings = useSettings().data;
  const branches = repo?.branches ?? [];
  const template = settings?.branchTemplate || 'ms/{name}';
  const repoDefaults = repo ? settings?.repoSettings[repo.root] : undefined;
  const defaultPatterns = repoDefaults?.copyInPatterns ?? settings?.copyInPatterns ?? [];
  const problemOf = (f: 'baseBranch' | 'existingBranch') => fields.shown(f);
  return (
    <div className="wizard-step" data-testid="wizard-step-workspace">
      <fieldset className="field plain-fieldset">
        <legend className="field-label">Branch</legend>
        <div className="row wrap branch-choice">
          <label className="check">
            <input
              type="radio"
              name="wz-bm"
              checked={draft.branchMode === 'new'}
              data-testid="wizard-branch-new"
              onChange={() => update({ branchMode: 'new' })}
            />
            Create a new branch from
          </label>
          <select
            value={draft.baseBranch}
            disabled={draft.branchMode !== 'new'}
            aria-label="Base branch"
            aria-invalid={problemOf('baseBranch') ? true : undefined}
            data-testid="wizard-base-branch"
            onChange={(e) => {
              update({ baseBranch: e.target.value });
              fields.touch('baseBranch');
            }}
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
        </div>
        {problemOf('baseBranch') && <span className="field-problem">{problemOf('baseBranch')}</span>}
        <div className="row wrap branch-choice">
          <label className="check">
            <input
              type="radio"
              name="wz-bm"
              checked={draft.branchMode === 'existing'}
              data-testid="wizard-branch-existing"
              onChange={() => {
                update({ branchMode: 'existing' });
                fields.touch('existingBranch');
              }}
            />
            Work on an existing branch
          </label>
          <select
            value={draft.existingBranch}
            disabled={draft.branchMode !== 'existing'}
            aria-label="Existing branch"
            aria-invalid={problemOf('existingBranch') ? true : undefined}
            data-testid="wizard-existing-branch"
            onChange={(e) => {
              update({ existingBranch: e.target.value });
              fields.touch('existingBranch');
            }}
          >
            <option value="">Choose…</option>
            {branches.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </div>
        {draft.branchMode === 'existing' && problemOf('existingBranch') && (
          <span className="field-problem" data-testid="wizard-existing-branch-problem">
            {problemOf('existingBranch')}
          </span>
        )}
      </fieldset>
      {draft.branchMode === 'new' && (
        <Field
          id="wz-branch"
          label="Branch name (optional)"
          problem={fields.shown('branchName')}
          testId="wizard-branch-name"
          hint={
            <>
              Empty: derived from the session name with the template <span className="mono">{template}</span> (Settings
              → Worktrees), made lower-case and safe for git, and made unique.
            </>
          }
        >
          {(a) => (
            <input
              {...a}
              type="text"
              className="mono"
              placeholder={`from the template: ${template}`}
              value={draft.branchName}
              data-testid="wizard-branch-name"
              onChange={(e) => {
                update({ branchName: e.target.value });
                fields.touch('branchName');
              }}
            />
          )}
        </Field>
      )}
      <BranchPreview draft={draft} plans={plans} />
      <Field
        id="wz-copy"
        label="Copy into each worktree (one pattern per line)"
        problem={fields.shown('copyIn')}
        hint={
          defaultPatterns.length > 0
            ? `Untracked files such as .env that git would not bring along. Empty uses ${
                repoDefaults?.copyInPatterns ? 'this repository’s' : 'the'
              } defaults: ${defaultPatterns.join(', ')}.`
            : 'Untracked files such as .env that git would not bring along. Empty copies nothing.'
        }
      >
        {(a) => (
          <textarea
            {...a}
            rows={3}
            placeholder={defaultPatterns.join('\n') || '.env'}
            value={draft.copyInPatterns}
            onChange={(e) => {
              update({ copyInPatterns: e.target.value });
              fields.touch('copyIn');
            }}
          />
        )}
      </Field>
      <Field
        id="wz-setup"
        label="Setup script (optional)"
        problem={fields.shown('setupScript')}
        hint={
          repoDefaults?.setupScript
            ? `Runs in the new worktree before the program starts. Empty runs this repository’s default: ${repoDefaults.setupScript}`
            : 'Runs in the new worktree (sh) before the program starts; a failure undoes the session.'
        }
      >
        {(a) => (
          <textarea
            {...a}
            rows={3}
            className="mono"
            placeholder={repoDefaults?.setupScript ?? 'npm ci'}
            value={draft.setupScript}
            onChange={(e) => {
              update({ setupScript: e.target.value });
              fields.touch('setupScript');
            }}
          />
        )}
      </Field>
    </div>
  );
}
