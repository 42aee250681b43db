import type { FrameClient } from '../src/shared/client';
import { runningStatuses } from '../src/shared/session-state';
import { expect } from './fixtures';

/** A status the session's program is running in — the one set from shared/session-state. */
export const runningStatus = new RegExp(`^(${runningStatuses.join('|')})$`);

/** Waits until the session's program runs (the status is polled over the API, no sleep). */
export async function waitRunning(api: FrameClient, sessionId: string, timeout = 30_000): Promise<void> {
  await expect
    .poll(async () => (await api.call('sessions.get', { sessionId })).status, { timeout })
    .toMatch(runningStatus);
}
