import { useState } from 'react';
import type { CommandRecord } from '../../../../shared/domain';
import { formatDuration, formatTime } from '../../lib/format';
import { errorText, useCommandHistory } from '../../lib/queries';

function CommandItem({ c }: { c: CommandRecord }) {
  const [open, setOpen] = useState(false);
  const ok = c.exitCode === 0 && !c.timedOut;
  const running = c.finishedAt === null;
  return (
    <li className={`cmd ${running ? 'cmd-running' : ok ? 'cmd-ok' : 'cmd-fail'}`} data-testid={`command-${c.id}`}>
      <button className="cmd-head" onClick={() => setOpen(!open)} aria-expanded={open}>
        <span className="cmd-mark">{running ? '…' : ok ? '✓' : '✗'}</span>
        <span className="cmd-text">
          <span className="mono cmd-line">
            {c.kind === 'skill' ? '⚙ ' : '$ '}
            {[c.command, ...c.args].join(' ')}
          </span>
          <span className="faint cmd-meta">
            {running ? 'running' : `exit ${c.exitCode ?? '—'}`} · {formatDuration(c.durationMs)} ·{' '}
            {formatTime(c.startedAt)}
            {c.batchId ? ' · batch' : ''}
          </span>
        </span>
      </button>
      {open && (
        <div className="cmd-output">
          {c.stdout && <pre className="output-tail">{c.stdout}</pre>}
          {c.stderr && <pre className="output-tail stderr">{c.stderr}</pre>}
          {!c.stdout && !c.stderr && <div className="faint">No output.</div>}
          {c.truncated && <div className="faint">Output truncated.</div>}
          {c.timedOut && <div className="error-box">Timed out.</div>}
        </div>
      )}
    </li>
  );
}

/** Commands run in the session, newest first, each expandable to its output. */
export function CommandHistory({ sessionId, limit }: { sessionId: string; limit?: number }) {
  const history = useCommandHistory(sessionId);
  if (history.isLoading) return <div className="muted">Loading history…</div>;
  if (history.isError) return <div className="error-box">{errorText(history.error)}</div>;
  const list = [...(history.data ?? [])].sort((a, b) => b.startedAt - a.startedAt).slice(0, limit ?? Infinity);
  if (list.length === 0)
    return <p className="muted">No commands yet. Run one above or use Batch run in the toolbar.</p>;
  return (
    <ul className="cmd-list" data-testid="command-history">
      {list.map((c) => (
        <CommandItem key={c.id} c={c} />
      ))}
    </ul>
  );
}
