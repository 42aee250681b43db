import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useSessions } from '../../lib/queries';
import { isTerminatedStatus } from '../../../../shared/session-state';
import { useUi } from '../../lib/ui-store';
import { Modal } from '../shell/Modal';
import { runBatchCommand } from './run-batch';
import { splitCommandLine } from '../../../../shared/command-line';

/** A one-off command across the selected sessions (or all), with concurrency and shell options. */
export function BatchCommandDialog({ onClose }: { onClose(): void }) {
  const qc = useQueryClient();
  const selected = useUi((s) => s.selected);
  const sessions = useSessions().data ?? [];
  const [command, setCommand] = useState('');
  const [args, setArgs] = useState('');
  const [shell, setShell] = useState(false);
  const [concurrency, setConcurrency] = useState(4);
  const [timeout, setTimeoutSec] = useState('');
  const targets = selected.length > 0 ? selected.length : sessions.filter((s) => !isTerminatedStatus(s.status)).length;
  const valid = command.trim().length > 0;

  const run = () => {
    if (!valid) return;
    const t = Number(timeout);
    void runBatchCommand(qc, {
      selector: selected.length > 0 ? { sessionIds: selected } : { all: true },
      command: command.trim(),
      args: shell ? [] : splitCommandLine(args),
      shell,
      concurrency,
      timeoutSec: t > 0 ? t : undefined,
    });
  };

  return (
    <Modal
      title="Run a command across sessions"
      onClose={onClose}
      testId="batch-command-dialog"
      footer={
        <>
          <span className="muted">
            Runs in {targets} session{targets === 1 ? '' : 's'}
            {selected.length > 0 ? ' (selected)' : ' (all)'}
          </span>
          <span className="spacer" />
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" data-testid="batch-command-run" disabled={!valid} onClick={run}>
            ▶ Run
          </button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <div className="field">
          <label htmlFor="bc-command">{shell ? 'Shell command line' : 'Program'}</label>
          <input
            id="bc-command"
            type="text"
            className="mono"
            autoFocus
            data-testid="batch-command-input"
            placeholder={shell ? 'npm test && git status --short' : 'git'}
            value={command}
            onChange={(e) => setCommand(e.target.value)}
          />
        </div>
        {!shell && (
          <div className="field">
            <label htmlFor="bc-args">Arguments</label>
            <input
              id="bc-args"
              type="text"
              className="mono"
              data-testid="batch-command-args"
              placeholder='status --short   (quote "with spaces")'
              value={args}
              onChange={(e) => setArgs(e.target.value)}
            />
            <span className="hint">Passed to the program directly, without a shell — no globbing or pipes.</span>
          </div>
        )}
        <label className="check field">
          <input
            type="checkbox"
            checked={shell}
            data-testid="batch-command-shell"
            onChange={(e) => setShell(e.target.checked)}
          />
          Run through the shell (/bin/sh -c) — allows pipes, &&, globs and variables
        </label>
        <div className="row">
          <div className="field" style={{ flex: 1 }}>
            <label htmlFor="bc-conc">Concurrency: {concurrency}</label>
            <input
              id="bc-conc"
              type="range"
              min={1}
              max={16}
              value={concurrency}
              onChange={(e) => setConcurrency(Number(e.target.value))}
            />
          </div>
          <div className="field" style={{ width: 160 }}>
            <label htmlFor="bc-timeout">Timeout (seconds)</label>
            <input
              id="bc-timeout"
              type="number"
              min={1}
              placeholder="none"
              value={timeout}
              onChange={(e) => setTimeoutSec(e.target.value)}
            />
          </div>
        </div>
        <button type="submit" hidden />
      </form>
    </Modal>
  );
}
