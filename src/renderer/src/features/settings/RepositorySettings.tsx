import { useState } from 'react';
import type { Settings } from '../../../../shared/domain';
import { sparsePatternSchema } from '../../../../shared/domain';
import { problemOf } from '../../lib/field-problems';
import { baseName } from '../../lib/format';
import { Field } from '../shell/Field';

type RepoSettings = Settings['repoSettings'];

interface Props {
  value: RepoSettings;
  recentRepos: string[];
  onChange(next: RepoSettings): void;
}

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * Per-repository defaults: files copied into every new worktree of that repository, the setup
 * script run there, the warm pool and sparse checkout, and how review updates sessions from the
 * base and merges them into it. A setup script that fails points the user here (or to the wizard).
 */
export function RepositorySettings({ value, recentRepos, onChange }: Props) {
  const [adding, setAdding] = useState('');
  const repos = Object.keys(value).sort();
  const addable = recentRepos.filter((r) => !(r in value));
  const set = (repo: string, patch: RepoSettings[string]) =>
    onChange({ ...value, [repo]: { ...value[repo], ...patch } });
  const remove = (repo: string) => {
    const next = { ...value };
    delete next[repo];
    onChange(next);
  };
  return (
    <div data-testid="repo-settings">
      {repos.length === 0 && (
        <p className="muted">No repository has its own defaults; every repository uses the copy-in list above.</p>
      )}
      {repos.map((repo) => {
        const r = value[repo];
        const id = `rs-${repos.indexOf(repo)}`;
        return (
          <fieldset key={repo} className="repo-settings-item" data-testid={`repo-settings-${baseName(repo)}`}>
            <legend>
              <strong>{baseName(repo)}</strong> <span className="mono muted">{repo}</span>
            </legend>
            <div className="field">
              <label htmlFor={`${id}-copy`}>Copy into each worktree (one pattern per line)</label>
              <textarea
                id={`${id}-copy`}
                rows={2}
                placeholder="empty: the global list"
                value={(r.copyInPatterns ?? []).join('\n')}
                onChange={(e) =>
                  set(repo, { copyInPatterns: e.target.value.trim() ? lines(e.target.value) : undefined })
                }
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-setup`}>Setup script</label>
              <textarea
                id={`${id}-setup`}
                className="mono"
                rows={3}
                placeholder="npm ci"
                value={r.setupScript ?? ''}
                data-testid="repo-settings-setup"
                onChange={(e) => set(repo, { setupScript: e.target.value || undefined })}
              />
              <span className="hint">
                Runs with sh in every new worktree of this repository before the program starts.
              </span>
            </div>
            <label className="check">
              <input
                type="checkbox"
                checked={r.pool !== false}
                data-testid="repo-settings-pool"
                onChange={(e) => set(repo, { pool: e.target.checked ? undefined : false })}
              />
              Keep warm worktrees of this repository ready (Settings → Warm worktrees)
            </label>
            <Field
              id={`${id}-sparse`}
              label="Sparse checkout: only these folders (one per line)"
              problem={sparseProblem(r.sparse)}
              hint="For big monorepos: new worktrees check out just these folders and the files at the top. Empty: everything."
            >
              {(a) => (
                <textarea
                  {...a}
                  className="mono"
                  rows={2}
                  placeholder="services/api"
                  value={(r.sparse ?? []).join('\n')}
                  data-testid="repo-settings-sparse"
                  onChange={(e) => set(repo, { sparse: e.target.value.trim() ? lines(e.target.value) : undefined })}
                />
              )}
            </Field>
            <div className="row wrap">
              <div className="field">
                <label htmlFor={`${id}-update`}>Update from base by</label>
                <select
                  id={`${id}-update`}
                  data-testid="repo-settings-update-strategy"
                  value={r.updateStrategy ?? 'rebase'}
                  onChange={(e) => set(repo, { updateStrategy: e.target.value as 'rebase' | 'merge' })}
                >
                  <option value="rebase">rebase (linear history)</option>
                  <option value="merge">merge (a merge commit)</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor={`${id}-merge`}>Merge sessions into the base by</label>
                <select
                  id={`${id}-merge`}
                  data-testid="repo-settings-merge-strategy"
                  value={r.mergeStrategy ?? 'merge'}
                  onChange={(e) => set(repo, { mergeStrategy: e.target.value as 'merge' | 'squash' | 'rebase' })}
                >
                  <option value="merge">merge commit</option>
                  <option value="squash">squash</option>
                  <option value="rebase">rebase</option>
                </select>
              </div>
            </div>
            <button type="button" className="btn small" onClick={() => remove(repo)}>
              Remove these defaults
            </button>
          </fieldset>
        );
      })}
      {addable.length > 0 && (
        <div className="row">
          <label htmlFor="rs-add" className="muted">
            Add defaults for
          </label>
          <select id="rs-add" value={adding} onChange={(e) => setAdding(e.target.value)}>
            <option value="">a recent repository…</option>
            {addable.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn small"
            disabled={!adding}
            onClick={() => {
              onChange({ ...value, [adding]: {} });
              setAdding('');
            }}
          >
            Add
          </button>
        </div>
      )}
    </div>
  );
}

function sparseProblem(folders: string[] | undefined): string | undefined {
  for (const f of folders ?? []) {
    const p = problemOf(sparsePatternSchema, f);
    if (p) return `${f}: ${p}`;
  }
  return undefined;
}
