import { useMemo, useState } from 'react';
import type { RequestOutput } from '../../../../shared/contract';
import type { Session } from '../../../../shared/domain';
import { getClient } from '../../lib/client';
import { useUi } from '../../lib/ui-store';
import { Modal } from '../shell/Modal';
import { StatusDot } from '../terminals/status-dot';
import { isRunningStatus } from '../../../../shared/session-state';
import { useSessions } from '../../lib/queries';
import './broadcast.css';

type Result = RequestOutput<'terminals.broadcast'>;
const noSessions: Session[] = [];

/** Types one line into many sessions' terminals at once: the selected sessions, or every running one. */
export function BroadcastDialog({ onClose }: { onClose(): void }) {
  const sessions = useSessions().data ?? noSessions;
  const selected = useUi((s) => s.selected);
  const running = useMemo(() => sessions.filter((s) => isRunningStatus(s.status)), [sessions]);
  const [checked, setChecked] = useState<Set<string> | null>(null);
  const [text, setText] = useState('');
  const [enter, setEnter] = useState(true);
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Until the user touches a checkbox, the targets follow the selection (or all running sessions).
  const defaultTargets = useMemo(() => {
    const sel = running.filter((s) => selected.includes(s.id));
    return new Set((sel.length > 0 ? sel : running).map((s) => s.id));
  }, [running, selected]);
  const targets = checked ?? defaultTargets;
  const targetIds = running.filter((s) => targets.has(s.id)).map((s) => s.id);
  const notRunningSelected = selected.filter((id) => !running.some((s) => s.id === id)).length;

  const toggle = (id: string) => {
    const next = new Set(targets);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChecked(next);
  };

  const send = async () => {
    if (targetIds.length === 0 || (!text && !enter)) return;
    setSending(true);
    setError(null);
    const r = await getClient().request('terminals.broadcast', { sessionIds: targetIds, text, enter });
    setSending(false);
    if (r.ok) setResult(r.value);
    else setError(r.error.message);
  };

  const nameOf = (id: string) => sessions.find((s) => s.id === id)?.name ?? id;
  const canSend = !sending && targetIds.length > 0 && (text.length > 0 || enter);

  return (
    <Modal
      title="Broadcast to terminals"
      onClose={onClose}
      testId="broadcast-dialog"
      footer={
        <>
          <span className="muted">
            {targetIds.length} of {running.length} running session{running.length === 1 ? '' : 's'}
          </span>
          <span className="spacer" />
          <button type="button" className="btn" onClick={onClose}>
            {result ? 'Close' : 'Cancel'}
          </button>
          <button
            type="button"
            className="btn primary"
            data-testid="broadcast-send"
            disabled={!canSend}
            onClick={() => void send()}
          >
            {sending ? 'Sending…' : result ? 'Send again' : 'Send'}
          </button>
        </>
      }
    >
      {running.length === 0 ? (
        <p className="muted">No session is running. Start a session first; broadcast types into running programs.</p>
      ) : (
        <div className="field">
          <span className="field-label">Send to</span>
          <div className="bc-sessions">
            {running.map((s) => (
              <label key={s.id} className="check bc-session" data-testid={`broadcast-target-${s.id}`}>
                <input type="checkbox" checked={targets.has(s.id)} onChange={() => toggle(s.id)} />
                <StatusDot status={s.status} />
                <span className="truncate">{s.name}</span>
                <span className="faint truncate bc-branch">{s.branch}</span>
              </label>
            ))}
          </div>
          <div className="row bc-quick">
            <button
              type="button"
              className="btn small ghost"
              onClick={() => setChecked(new Set(running.map((s) => s.id)))}
            >
              All
            </button>
            <button type="button" className="btn small ghost" onClick={() => setChecked(new Set())}>
              None
            </button>
            {notRunningSelected > 0 && (
              <span className="faint">
                {notRunningSelected} selected session{notRunningSelected === 1 ? ' is' : 's are'} not running
              </span>
            )}
          </div>
        </div>
      )}
      <div className="field">
        <label htmlFor="broadcast-text">Text to type</label>
        <textarea
          id="broadcast-text"
          data-testid="broadcast-text"
          className="mono"
          rows={3}
          autoFocus
          value={text}
          placeholder="e.g. /compact, yes, or a prompt for every agent"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void send();
            }
          }}
        />
        <span className="hint">Ctrl+Enter sends. The text is typed as if you had typed it in each terminal.</span>
      </div>
      <label className="check">
        <input type="checkbox" checked={enter} onChange={(e) => setEnter(e.target.checked)} />
        Press Enter after the text
      </label>
      {error && (
        <div className="error-box bc-result" role="alert">
          {error}
        </div>
      )}
      {result && (
        <ul className="bc-results" data-testid="broadcast-results">
          {result.delivered.map((id) => (
            <li key={id} className="bc-ok" data-testid={`broadcast-delivered-${id}`}>
              <span aria-hidden>✓</span> {nameOf(id)} <span className="faint">delivered</span>
            </li>
          ))}
          {result.failed.map((f) => (
            <li key={f.sessionId} className="bc-failed" data-testid={`broadcast-failed-${f.sessionId}`}>
              <span aria-hidden>✗</span> {nameOf(f.sessionId)} <span className="faint">— {f.message}</span>
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}
