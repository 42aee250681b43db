import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TrustedScript } from '../../../../shared/repo-scripts';
import { getClient } from '../../lib/client';

const QUERY_KEY = ['trustedScripts'] as const;
const kindLabel: Record<TrustedScript['kind'], string> = {
  'setup-script': 'setup script',
  'worktree-include': '.worktreeinclude',
};

/**
 * The repository scripts the user trusted (per repository and exact content), each with Revoke:
 * the next create that would use that content shows it again for review.
 */
export function TrustedScripts() {
  const qc = useQueryClient();
  const list = useQuery({ queryKey: QUERY_KEY, queryFn: () => getClient().call('repos.trustedScripts', {}) });
  const revoke = useMutation({
    mutationFn: (t: TrustedScript) =>
      getClient().call('repos.untrustScripts', { repoRoot: t.repoRoot, kind: t.kind, sha256: t.sha256 }),
    onSuccess: (next) => {
      qc.setQueryData(QUERY_KEY, next);
      void qc.invalidateQueries({ queryKey: ['sessionPlan'] });
    },
  });
  const rows = list.data ?? [];
  return (
    <div data-testid="settings-trusted-scripts">
      <p className="muted">
        A repository’s own setup script (<span className="mono">.multisession/setup.sh</span>) and{' '}
        <span className="mono">.worktreeinclude</span> run only in content you trusted when creating a session; a
        changed file asks again.
      </p>
      {rows.length === 0 ? (
        <p className="muted">Nothing trusted yet.</p>
      ) : (
        <ul className="trusted-list">
          {rows.map((t) => (
            <li key={`${t.repoRoot}:${t.kind}:${t.sha256}`} className="row" data-testid="settings-trusted-script">
              <span className="mono truncate" title={t.repoRoot}>
                {t.repoRoot}
              </span>
              <span>{kindLabel[t.kind]}</span>
              <span className="mono muted" title={t.sha256}>
                {t.sha256.slice(0, 12)}…
              </span>
              <span className="muted">{new Date(t.trustedAt).toLocaleString()}</span>
              <button
                className="btn small"
                disabled={revoke.isPending}
                onClick={() => revoke.mutate(t)}
                aria-label={`Revoke trust in the ${kindLabel[t.kind]} of ${t.repoRoot}`}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      {revoke.error && <div className="error-box">{revoke.error.message}</div>}
    </div>
  );
}
