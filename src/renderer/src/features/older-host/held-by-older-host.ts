import type { OlderHost } from '../../../../shared/lifetime-contract';
import { useOlderHosts } from '../../lib/queries';

/**
 * The older version's terminal host still running the session's program, or null (the same
 * query the banner keeps fresh). Such a session is recorded stopped, but its program runs and its
 * folder is in use there: the sidebar and details show it as running in that version, and the
 * menu does not offer Pause for it (the engine refuses it too).
 */
export function useOlderHostHolding(sessionId: string): OlderHost | null {
  const hosts = useOlderHosts();
  return (hosts.data ?? []).find((h) => h.sessions.some((x) => x.sessionId === sessionId)) ?? null;
}

/** Whether an older version's terminal host still runs the session's program. */
export function useHeldByOlderHost(sessionId: string): boolean {
  return useOlderHostHolding(sessionId) !== null;
}
