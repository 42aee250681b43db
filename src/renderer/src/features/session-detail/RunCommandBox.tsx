import { useState } from 'react';
import type { Session } from '../../../../shared/domain';
import { errorText, useRequest } from '../../lib/queries';
import { splitCommandLine } from '../../../../shared/command-line';

/** Runs one command in the session's worktree (outside its terminal) and records it in history. */
export function RunCommandBox({ session, onRan }: { session: Session; onRan?(): void }) {
  const execute = useRequest('commands.execute');
  const [line, setLine] = useState('');
  const [shell, setShell] = useState(false);
  const disabled = session.status === 'terminated' || !line.trim() || execute.isPending;

  const run = () => {
    if (disabled) return;
    const parts = shell ? [line.trim()] : splitCommandLine(line.trim());
    const [command, ...args] = parts;
    if (!command) return;
    execute.mutate(
      { sessionId: session.id, command, args: shell ? [] : args, shell },
      {
        onSuccess: () => {
          setLine('');
          onRan?.();
        },
      },
    );
  };

  return (
    <form
      className="run-box"
      onSubmit={(e) => {
        e.preventDefault();
        run();
      }}
    >
      <label className="field-label" htmlFor={`run-${session.id}`}>
        Run a command in this worktree
      </label>
      <div className="row">
        <input
          id={`run-${session.id}`}
          type="text"
          className="mono"
          style={{ flex: 1 }}
          placeholder={shell ? 'npm test | tail -5' : 'git log --oneline -5'}
          value={line}
          data-testid="detail-run-input"
          onChange={(e) => setLine(e.target.value)}
        />
        <button className="btn primary" type="submit" disabled={disabled} data-testid="detail-run">
          {execute.isPending ? <span className="spinner" /> : 'Run'}
        </button>
      </div>
      <label className="check faint" style={{ marginTop: 4 }}>
        <input type="checkbox" checked={shell} onChange={(e) => setShell(e.target.checked)} /> through the shell
      </label>
      {execute.isError && <div className="error-box">{errorText(execute.error)}</div>}
      {execute.data && !execute.isPending && (
        <div className={execute.data.exitCode === 0 ? 'ok-box' : 'error-box'} style={{ marginTop: 6 }}>
          Last: exit {execute.data.exitCode ?? '—'}
          {execute.data.timedOut ? ' (timed out)' : ''}
        </div>
      )}
    </form>
  );
}
