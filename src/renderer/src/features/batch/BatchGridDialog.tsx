import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Batch } from '../../../../shared/domain';
import { getClient } from '../../lib/client';
import { errorText, keys, useBatch } from '../../lib/queries';
import { setUi, useUi } from '../../lib/ui-store';
import { Modal } from '../shell/Modal';
import { BatchRow } from './BatchRow';
import { rerunFailed } from './run-batch';

function summary(b: Batch) {
  const count = (st: string) => b.items.filter((i) => i.status === st).length;
  return {
    ok: count('succeeded'),
    failed: count('failed'),
    running: count('running'),
    pending: count('pending'),
    cancelled: count('cancelled'),
  };
}

/** The live results of one batch: a row per session, updated by `batch.progress` events. */
export function BatchGridDialog({ onClose }: { onClose(): void }) {
  const qc = useQueryClient();
  const batchId = useUi((s) => s.batchId);
  const starting = useUi((s) => s.batchStarting);
  const startError = useUi((s) => s.batchError);
  const batch = useBatch(batchId);
  const [actionError, setActionError] = useState<string | null>(null);
  const b = batch.data;
  const sum = b ? summary(b) : null;
  const done = b ? b.items.length - (sum!.running + sum!.pending) : 0;

  const cancel = async () => {
    if (!b) return;
    try {
      qc.setQueryData(keys.batch(b.id), await getClient().call('batch.cancel', { batchId: b.id }));
    } catch (e) {
      setActionError(errorText(e));
    }
  };

  const footer = (
    <>
      {b && sum && (
        <span className="batch-summary" data-testid="batch-summary">
          <span className="ok-text">{sum.ok} succeeded</span>
          <span className="fail-text">{sum.failed} failed</span>
          {sum.running + sum.pending > 0 && (
            <span className="muted">
              {sum.running} running · {sum.pending} pending
            </span>
          )}
          {sum.cancelled > 0 && <span className="muted">{sum.cancelled} cancelled</span>}
        </span>
      )}
      <span className="spacer" />
      {b?.status === 'running' && (
        <button className="btn danger" data-testid="batch-cancel" onClick={() => void cancel()}>
          Cancel
        </button>
      )}
      {b && b.status !== 'running' && sum && sum.failed + sum.cancelled > 0 && (
        <button className="btn" data-testid="batch-rerun-failed" onClick={() => void rerunFailed(qc, b.id)}>
          ↻ Re-run failed
        </button>
      )}
      <button className="btn primary" onClick={onClose}>
        Close
      </button>
    </>
  );

  return (
    <Modal
      title={b ? <span className="mono">$ {[b.command, ...b.args].join(' ')}</span> : 'Batch run'}
      onClose={onClose}
      wide
      testId="batch-grid"
      footer={footer}
      headerExtra={
        b && (
          <span className={`badge batch-state-${b.status}`} data-testid="batch-status">
            {b.status === 'running' ? `Running ${done}/${b.items.length}` : b.status === 'done' ? 'Done' : 'Cancelled'}
          </span>
        )
      }
    >
      {starting && (
        <div className="batch-starting">
          <span className="spinner" /> Starting the batch…
          <div className="progress indeterminate">
            <div />
          </div>
        </div>
      )}
      {startError && (
        <div className="error-box" data-testid="batch-error">
          {startError}
          <div className="row" style={{ marginTop: 8 }}>
            <button className="btn small" onClick={() => setUi({ view: 'settings', dialog: null })}>
              Edit presets in Settings
            </button>
            <button className="btn small" onClick={() => setUi({ dialog: 'batch-command', batchError: null })}>
              Run a one-off command…
            </button>
          </div>
        </div>
      )}
      {actionError && <div className="error-box">{actionError}</div>}
      {b && (
        <>
          <div className="progress" style={{ marginBottom: 12 }}>
            <div style={{ width: `${b.items.length ? (done / b.items.length) * 100 : 100}%` }} />
          </div>
          <table className="grid batch-table">
            <thead>
              <tr>
                <th style={{ width: '22%' }}>Session</th>
                <th style={{ width: 110 }}>Status</th>
                <th style={{ width: 60 }}>Exit</th>
                <th style={{ width: 80 }}>Duration</th>
                <th>Output</th>
              </tr>
            </thead>
            <tbody>
              {b.items.map((item) => (
                <BatchRow key={item.sessionId} item={item} />
              ))}
            </tbody>
          </table>
          {b.items.length === 0 && <p className="muted">No session matched — nothing ran.</p>}
        </>
      )}
    </Modal>
  );
}
