import type { QueryClient } from '@tanstack/react-query';
import type { RequestInput } from '../../../../shared/contract';
import type { Batch } from '../../../../shared/domain';
import { getClient } from '../../lib/client';
import type { Settings } from '../../../../shared/domain';
import { isTerminatedStatus } from '../../../../shared/session-state';
import { cachedSessions, errorText, keys } from '../../lib/queries';
import { askConfirm, getUi, setUi, showBatch } from '../../lib/ui-store';

async function start(qc: QueryClient, run: () => Promise<Batch>): Promise<void> {
  setUi({ dialog: 'batch', batchId: null, batchStarting: true, batchError: null });
  try {
    const batch = await run();
    qc.setQueryData(keys.batch(batch.id), batch);
    showBatch(batch.id);
  } catch (e) {
    setUi({ batchStarting: false, batchError: errorText(e) });
  }
}

/**
 * One click: the default preset on the selected sessions. With nothing selected it would run on
 * every session, so it asks first, naming the command and how many sessions it reaches.
 */
export function runDefaultPreset(qc: QueryClient): Promise<void> {
  const settings = qc.getQueryData<Settings>(keys.settings);
  const presetId = settings?.defaultPresetId ?? undefined;
  const sessionIds = getUi().selected;
  const run = () =>
    start(qc, () => getClient().call('batch.runPreset', presetId ? { presetId, sessionIds } : { sessionIds }));
  if (sessionIds.length > 0) return run();
  const preset = settings?.presets.find((p) => p.id === presetId) ?? settings?.presets[0];
  const count = cachedSessions(qc).filter((s) => !isTerminatedStatus(s.status)).length;
  const line = preset ? [preset.command, ...preset.args].join(' ') : 'the default preset';
  askConfirm({
    title: `Run “${preset?.name ?? 'default preset'}” on all ${count} session${count === 1 ? '' : 's'}?`,
    body: `Runs \`${line}\` in the worktree of every session that is not terminated. Select sessions in the list (Ctrl+click) to run it on fewer.`,
    confirmLabel: `Run on ${count} session${count === 1 ? '' : 's'}`,
    onConfirm: () => void run(),
  });
  return Promise.resolve();
}

/** An ad-hoc command across sessions. */
export function runBatchCommand(qc: QueryClient, input: RequestInput<'batch.run'>): Promise<void> {
  return start(qc, () => getClient().call('batch.run', input));
}

export function rerunFailed(qc: QueryClient, batchId: string): Promise<void> {
  return start(qc, () => getClient().call('batch.rerunFailed', { batchId }));
}
