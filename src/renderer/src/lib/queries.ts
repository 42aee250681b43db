import { useCallback, useSyncExternalStore } from 'react';
import { useMutation, useQuery, type QueryClient } from '@tanstack/react-query';
import type { RequestInput, RequestName, RequestOutput } from '../../../shared/contract';
import type { Session, SessionMetrics } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { getClient, getConnectionState, onConnectionChange, type ConnectionState } from './client';
import { forgetMissingSessions, useUi } from './ui-store';

/** Every react-query key of the renderer, in one place, so events know what to refresh. */
export const keys = {
  appInfo: ['app.info'] as const,
  settings: ['settings'] as const,
  agents: ['agents'] as const,
  sessionTypes: ['sessionTypes'] as const,
  skills: (repoPath: string | null) => ['skills', repoPath] as const,
  sessions: ['sessions'] as const,
  metricsAll: ['metrics', 'sessions'] as const,
  sessionMetrics: (id: string) => ['metrics', 'session', id] as const,
  system: ['metrics', 'system'] as const,
  series: (from: number) => ['metrics', 'series', from] as const,
  /** usage.series of the last `rangeMs` (analytics cost charts). */
  usageSeries: (rangeMs: number) => ['usage', 'series', rangeMs] as const,
  commandHistory: (id: string) => ['commands', id] as const,
  batches: ['batches'] as const,
  batch: (id: string) => ['batch', id] as const,
  cleanupPreview: ['cleanup', 'preview'] as const,
  removalCheck: (id: string, deleteBranch: boolean) => ['removal', id, deleteBranch] as const,
  commitPreview: (id: string) => ['commitPreview', id] as const,
  quarantined: ['sessions', 'quarantined'] as const,
  repoInspect: (path: string) => ['repo', 'inspect', path] as const,
  repoComplete: (prefix: string) => ['repo', 'complete', prefix] as const,
  /** A sessions.plan answer, keyed by the create input it was asked for (as JSON). */
  sessionPlan: (input: string) => ['sessionPlan', input] as const,
  /** Everything review shows about one session (invalidated together by `review.changed`). */
  review: (id: string) => ['review', id] as const,
  reviewChanges: (id: string) => ['review', id, 'changes'] as const,
  reviewCommits: (id: string) => ['review', id, 'commits'] as const,
  reviewDiff: (id: string, scope: string, commit: string | null) => ['review', id, 'diff', scope, commit] as const,
  reviewBase: (id: string) => ['review', id, 'base'] as const,
  reviewState: (id: string) => ['review', id, 'state'] as const,
  forecast: ['review-forecast'] as const,
  compare: (groupId: string) => ['review-compare', groupId] as const,
  poolStatus: ['pool', 'status'] as const,
  memoryStatus: ['memory', 'status'] as const,
  olderHosts: ['sessions', 'olderHosts'] as const,
};

export function call<K extends RequestName>(name: K, input: RequestInput<K>): Promise<RequestOutput<K>> {
  return getClient().call(name, input);
}

/** Turns anything a request rejected with into one line a user can act on. */
export function errorText(e: unknown): string {
  if (e instanceof AppError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
export function errorCode(e: unknown): string | null {
  return e instanceof AppError ? e.code : null;
}

export const useAppInfo = () =>
  useQuery({ queryKey: keys.appInfo, queryFn: () => call('app.info', {}), staleTime: Infinity });
export const useSettings = () => useQuery({ queryKey: keys.settings, queryFn: () => call('settings.get', {}) });
export const useAgents = () =>
  useQuery({ queryKey: keys.agents, queryFn: () => call('agents.list', {}), staleTime: 300_000 });
export const useSessionTypes = () =>
  useQuery({ queryKey: keys.sessionTypes, queryFn: () => call('sessionTypes.list', {}), staleTime: Infinity });
export const useSkills = (repoPath: string | null = null) =>
  useQuery({ queryKey: keys.skills(repoPath), queryFn: () => call('skills.list', repoPath ? { repoPath } : {}) });

/**
 * The one session cache of the renderer: every session, terminated included, oldest first. Views
 * filter and select from it; host events patch it in place (live-updates.ts), so the sidebar, the
 * tabs, the detail pane and every dialog always show the same record. Never refetched on a timer.
 */
export const useSessions = () => useQuery({ queryKey: keys.sessions, queryFn: fetchSessions, staleTime: Infinity });

/** One session from the cache; re-renders only when that session's record changes. */
export function useSession(id: string | null): Session | undefined {
  const select = useCallback((list: Session[]) => (id ? list.find((s) => s.id === id) : undefined), [id]);
  return useQuery({ queryKey: keys.sessions, queryFn: fetchSessions, staleTime: Infinity, select }).data;
}

const countOf = (list: Session[]) => list.length;
/** How many sessions exist (terminated included); re-renders only when the count changes. */
export function useSessionCount(): number {
  return useQuery({ queryKey: keys.sessions, queryFn: fetchSessions, staleTime: Infinity, select: countOf }).data ?? 0;
}

/** Whether a session with this id exists; re-renders only when that answer changes. */
export function useSessionExists(id: string | null): boolean {
  const select = useCallback((list: Session[]) => (id ? list.some((s) => s.id === id) : false), [id]);
  return useQuery({ queryKey: keys.sessions, queryFn: fetchSessions, staleTime: Infinity, select }).data ?? false;
}

/** The session every pane follows: the active tab, the highlighted sidebar row, the detail pane. */
export function useSelectedSession(): Session | undefined {
  return useSession(useUi((s) => s.selectedId));
}

/** The cached sessions outside React (shortcuts, batch helpers); empty before the first load. */
export function cachedSessions(qc: QueryClient): Session[] {
  return qc.getQueryData<Session[]>(keys.sessions) ?? [];
}

async function fetchSessions(): Promise<Session[]> {
  const list = await call('sessions.list', { includeTerminated: true });
  const sorted = [...list].sort((a, b) => a.createdAt - b.createdAt);
  // Tabs and selection restored from the last visit may name sessions that are gone by now.
  forgetMissingSessions(new Set(sorted.map((s) => s.id)));
  return sorted;
}

export const useSystemStatus = () =>
  useQuery({ queryKey: keys.system, queryFn: () => call('metrics.system', {}), refetchInterval: 15_000 });

/** Latest metrics of every session, keyed by id; refreshed by `metrics.sample` events. */
export const useAllMetrics = () => useQuery({ queryKey: keys.metricsAll, queryFn: fetchAllMetrics });

/** One session's latest metrics from the shared map; re-renders only when they change. */
export function useLatestMetrics(id: string): SessionMetrics | undefined {
  const select = useCallback((m: Record<string, SessionMetrics>) => m[id], [id]);
  return useQuery({ queryKey: keys.metricsAll, queryFn: fetchAllMetrics, select }).data;
}

/** How often the older hosts are re-read (another window or the CLI may have moved sessions meanwhile). */
const OLDER_HOSTS_REFRESH_MS = 15_000;

/**
 * Older versions' terminal hosts still running programs of this data dir (after an update): one
 * query for the banner, the status bar and each session's row. Only the banner (`refresh`) re-reads
 * it every 15 s — an interval per observer would be one per sidebar row — and the others share
 * what it reads.
 */
export const useOlderHosts = (refresh = false) =>
  useQuery({
    queryKey: keys.olderHosts,
    queryFn: () => call('sessions.olderHosts', {}),
    refetchInterval: refresh ? OLDER_HOSTS_REFRESH_MS : false,
  });

async function fetchAllMetrics(): Promise<Record<string, SessionMetrics>> {
  return toMetricsMap(await call('metrics.sessions', {}));
}

export const useSessionMetrics = (id: string | null) =>
  useQuery({
    queryKey: keys.sessionMetrics(id ?? ''),
    queryFn: () => call('sessions.metrics', { sessionId: id! }),
    enabled: Boolean(id),
  });

export const useMetricsSeries = (from: number) =>
  useQuery({ queryKey: keys.series(from), queryFn: () => call('metrics.series', { from }), refetchInterval: 10_000 });

export const useCommandHistory = (id: string | null) =>
  useQuery({
    queryKey: keys.commandHistory(id ?? ''),
    queryFn: () => call('commands.history', { sessionId: id!, limit: 50 }),
    enabled: Boolean(id),
  });

export const useBatches = () => useQuery({ queryKey: keys.batches, queryFn: () => call('batch.list', {}) });

export const useBatch = (id: string | null) =>
  useQuery({
    queryKey: keys.batch(id ?? ''),
    queryFn: () => call('batch.get', { batchId: id! }),
    enabled: Boolean(id),
  });

export const useCleanupPreview = (enabled: boolean) =>
  useQuery({ queryKey: keys.cleanupPreview, queryFn: () => call('cleanup.preview', {}), enabled, staleTime: 0 });

export const useRepoInspect = (path: string) =>
  useQuery({
    queryKey: keys.repoInspect(path),
    queryFn: () => call('repos.inspect', { path }),
    enabled: path.trim().length > 0,
    retry: false,
    staleTime: 5_000,
  });

export const useRepoComplete = (prefix: string, enabled: boolean) =>
  useQuery({
    queryKey: keys.repoComplete(prefix),
    queryFn: () => call('repos.complete', { prefix }),
    enabled: enabled && prefix.length > 0,
    retry: false,
  });

/** What terminating would lose (the one removal check); always fresh. */
export const useRemovalCheck = (id: string, deleteBranch: boolean) =>
  useQuery({
    queryKey: keys.removalCheck(id, deleteBranch),
    queryFn: () => call('sessions.removalCheck', { sessionId: id, deleteBranch }),
    staleTime: 0,
    retry: false,
  });
/** What a commit for the user would take and leave out. */
export const useCommitPreview = (id: string, enabled: boolean) =>
  useQuery({
    queryKey: keys.commitPreview(id),
    queryFn: () => call('sessions.commitPreview', { sessionId: id }),
    enabled,
    staleTime: 0,
    retry: false,
  });
/** Damaged session records the host keeps aside (shown, never dropped). */
export const useQuarantined = () =>
  useQuery({ queryKey: keys.quarantined, queryFn: () => call('sessions.quarantined', {}), refetchInterval: 30_000 });

/** A mutation over one request; the error is the host's typed AppError. */
export function useRequest<K extends RequestName>(name: K) {
  return useMutation<RequestOutput<K>, Error, RequestInput<K>>({ mutationFn: (input) => call(name, input) });
}

export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(onConnectionChange, getConnectionState);
}

/** Session metrics keyed by session id. */
export function toMetricsMap(list: SessionMetrics[]): Record<string, SessionMetrics> {
  const map: Record<string, SessionMetrics> = {};
  for (const m of list) map[m.sessionId] = m;
  return map;
}
