import { useState } from 'react';
import type { BatchItem } from '../../../../shared/domain';
import { formatDuration } from '../../lib/format';
import { openTab, setUi } from '../../lib/ui-store';

const labels: Record<BatchItem['status'], string> = {
  pending: 'Pending',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** One session's result; the output tail expands on click. */
export function BatchRow({ item }: { item: BatchItem }) {
  // Failures show their output until the user collapses it.
  const [toggled, setOpen] = useState<boolean | null>(null);
  const open = toggled ?? item.status === 'failed';
  const lines = item.outputTail.replace(/\s+$/, '').split('\n');
  const last = lines[lines.length - 1] ?? '';
  return (
    <tr className={`batch-row bs-${item.status}`} data-testid={`batch-row-${item.sessionId}`} data-status={item.status}>
      <td>
        <button
          className="link-btn truncate"
          title="Open this session"
          onClick={() => {
            openTab(item.sessionId);
            setUi({ dialog: null });
          }}
        >
          {item.sessionName}
        </button>
      </td>
      <td>
        <span className={`batch-status bs-${item.status}`}>
          {item.status === 'running' && <span className="spinner" />}
          {labels[item.status]}
          {item.timedOut && ' (timed out)'}
        </span>
      </td>
      <td className="mono">{item.exitCode ?? '—'}</td>
      <td className="mono">{formatDuration(item.durationMs)}</td>
      <td className="batch-output-cell">
        {item.outputTail ? (
          <div>
            <button className="link-btn small" onClick={() => setOpen(!open)} aria-expanded={open}>
              {open ? '▾' : '▸'}{' '}
              {open ? 'Hide output' : <span className="mono truncate">{last || '(blank line)'}</span>}
            </button>
            {open && (
              <pre className="output-tail" data-testid={`batch-output-${item.sessionId}`}>
                {item.outputTail}
              </pre>
            )}
          </div>
        ) : (
          <span className="faint">{item.status === 'pending' || item.status === 'running' ? '…' : 'no output'}</span>
        )}
      </td>
    </tr>
  );
}
