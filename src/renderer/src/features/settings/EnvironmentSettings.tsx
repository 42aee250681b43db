import { useSystemStatus } from '../../lib/queries';

const limitWords = {
  'cgroup-v2': 'the kernel (cgroup v2)',
  'cgroup-v1': 'the kernel (cgroup v1)',
  sampling: 'sampling every few seconds (no cgroup this user may create here)',
};

/**
 * What every session program, command and setup script gets from the host: the environment
 * allow-list (exact names and prefixes) and the mechanisms isolating them — read from the host
 * (`metrics.system`), so it is what is in force, not a copy.
 */
export function EnvironmentSettings() {
  const status = useSystemStatus();
  const iso = status.data?.isolation;
  if (status.isPending) return <p className="muted">Asking the host…</p>;
  if (!iso) return <p className="muted">This host does not report its isolation.</p>;
  return (
    <div className="env-settings" data-testid="settings-environment">
      <p className="muted">
        Programs start with only these host variables (plus each session’s own, its ports and its marker). To pass
        another one to a session, name it under “Pass these host variables too” in the new-session wizard (or{' '}
        <span className="mono">passEnv</span> on <span className="mono">sessions.create</span>).
      </p>
      <div className="field">
        <span className="field-label">Passed by name</span>
        <div className="env-names" data-testid="settings-env-names">
          {iso.envAllowList.names.map((n) => (
            <code key={n}>{n}</code>
          ))}
        </div>
      </div>
      <div className="field">
        <span className="field-label">Passed by prefix</span>
        <div className="env-names" data-testid="settings-env-prefixes">
          {iso.envAllowList.prefixes.map((n) => (
            <code key={n}>{n}*</code>
          ))}
        </div>
      </div>
      <p className="muted" data-testid="settings-isolation">
        Limits are enforced by {limitWords[iso.limits]}
        {iso.controllers.length > 0 ? ` (${iso.controllers.join(', ')})` : ''}
        {iso.reason ? ` — ${iso.reason}` : ''}. Inherited file descriptors are closed{' '}
        {iso.fdCloser === 'none' ? 'by nothing on this machine' : `by a ${iso.fdCloser} wrapper`} before each program
        starts.
      </p>
    </div>
  );
}
