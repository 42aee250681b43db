import type { QueryClient } from '@tanstack/react-query';
import type { RequestInput } from '../../../../shared/contract';
import type { Batch } from '../../../../shared/domain';
import { getClient } from '../../lib/client';
import { errorText, keys } from '../../lib/queries';
import { getUi, setUi, showBatch } from '../../lib/ui-store';

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

/** One click: the default preset on the selected sessions (all when none are selected). */
export function runDefaultPreset(qc: QueryClient): Promise<void> {
  const presetId = qc.getQueryData<{ defaultPresetId: string | null }>(keys.settings)?.defaultPresetId ?? undefined;
  const sessionIds = getUi().selected;
  return start(qc, () => getClient().call('batch.runPreset', presetId ? { presetId, sessionIds } : { sessionIds }));
}

/** An ad-hoc command across sessions. */
export function runBatchCommand(qc: QueryClient, input: RequestInput<'batch.run'>): Promise<void> {
  return start(qc, () => getClient().call('batch.run', input));
}

export function rerunFailed(qc: QueryClient, batchId: string): Promise<void> {
  return start(qc, () => getClient().call('batch.rerunFailed', { batchId }));
}
