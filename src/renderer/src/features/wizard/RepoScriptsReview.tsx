import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RepoScript } from '../../../../shared/repo-scripts';
import { getClient } from '../../lib/client';

interface Props {
  repoPath: string;
  /** The repository-provided files the planned sessions would run or apply. */
  scripts: RepoScript[];
  skipped: boolean;
  setSkipped(skip: boolean): void;
}

const what: Record<RepoScript['kind'], string> = {
  'setup-script': 'Setup script from the repository — runs in every new worktree',
  'worktree-include': 'Copy-in list from the repository — these ignored files are copied into every new worktree',
};

/**
 * The repository's own setup script and .worktreeinclude, shown in full before anything runs:
 * Create is held until the user trusts this exact content (the host keeps the hash; a changed file
 * comes back here) or skips them for these sessions.
 */
export function RepoScriptsReview({ repoPath, scripts, skipped, setSkipped }: Props) {
  const qc = useQueryClient();
  const untrusted = scripts.filter((s) => !s.trusted);
  const trust = useMutation({
    mutationFn: () =>
      getClient().call('repos.trustScripts', {
        repoPath,
        scripts: untrusted.map((s) => ({ kind: s.kind, sha256: s.sha256 })),
      }),
    // The plan carries the trusted flags: ask the host again.
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['sessionPlan'] });
      void qc.invalidateQueries({ queryKey: ['trustedScripts'] });
    },
  });
  if (skipped) {
    return (
      <div className="repo-scripts" data-testid="wizard-repo-scripts">
        <p className="muted row">
          The repository’s own scripts are skipped for these sessions.{' '}
          <button className="btn small" onClick={() => setSkipped(false)} data-testid="wizard-repo-scripts-use">
            Use them
          </button>
        </p>
      </div>
    );
  }
  if (scripts.length === 0) return null;
  return (
    <div className="repo-scripts" data-testid="wizard-repo-scripts">
      {untrusted.length > 0 && (
        <div className="warn-box" role="alert">
          This comes from the repository, not from you, and runs with your rights. Read it — Create waits until you
          trust this exact content (a later change asks again) or skip it.
        </div>
      )}
      {scripts.map((s) => (
        <section key={s.kind} className="repo-script" data-testid={`wizard-repo-script-${s.kind}`}>
          <header className="row">
            <strong>{what[s.kind]}</strong>
            <span className={`badge ${s.trusted ? 'badge-ok' : 'badge-warn'}`}>
              {s.trusted ? 'Trusted' : 'Not trusted'}
            </span>
          </header>
          <div className="mono muted truncate" title={s.path}>
            {s.path} · sha256 {s.sha256.slice(0, 12)}…
          </div>
          <pre className="repo-script-content" tabIndex={0} aria-label={`Content of ${s.path}`}>
            {s.content}
          </pre>
        </section>
      ))}
      {untrusted.length > 0 && (
        <div className="row">
          <button
            className="btn primary small"
            disabled={trust.isPending}
            onClick={() => trust.mutate()}
            data-testid="wizard-repo-scripts-trust"
          >
            {trust.isPending ? 'Trusting…' : 'Trust this content'}
          </button>
          <button className="btn small" onClick={() => setSkipped(true)} data-testid="wizard-repo-scripts-skip">
            Skip them
          </button>
          {trust.error && <span className="error-text">{trust.error.message}</span>}
        </div>
      )}
    </div>
  );
}
