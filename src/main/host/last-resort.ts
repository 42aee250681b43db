import type { Logger } from '../engine/core/logger';

let installed = false;
/** How many errors the last-resort handlers caught (a test asserts none was needed). */
export const lastResort = { caught: 0 };

/**
 * The host runs the user's sessions: a bug in one request must not take every session's host down.
 * Every input path handles its own errors; these handlers are the net under them — they log the
 * error (so it gets fixed) and keep serving.
 */
export function installLastResortHandlers(log: Logger): void {
  if (installed) return;
  installed = true;
  process.on('uncaughtException', (e) => {
    lastResort.caught++;
    log.error('host', 'last-resort: an uncaught exception was logged and the host keeps serving', e);
  });
  process.on('unhandledRejection', (e) => {
    lastResort.caught++;
    log.error('host', 'last-resort: an unhandled rejection was logged and the host keeps serving', e);
  });
}
