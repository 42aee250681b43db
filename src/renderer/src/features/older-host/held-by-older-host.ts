import { useQuery } from '@tanstack/react-query';
import { call, keys } from '../../lib/queries';

/**
 * Whether the session's program still runs in an older version's terminal host (the same query
 * the banner keeps fresh). Such a session is recorded stopped, but its folder is in use there:
 * the menu does not offer Pause for it (the engine refuses it too).
 */
export function useHeldByOlderHost(sessionId: string): boolean {
  const hosts = useQuery({ queryKey: keys.olderHosts, queryFn: () => call('sessions.olderHosts', {}) });
  return (hosts.data ?? []).some((h) => h.sessions.some((x) => x.sessionId === sessionId));
}
