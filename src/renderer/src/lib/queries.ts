import { useEffect, useSyncExternalStore } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { RequestInput, RequestName, RequestOutput } from '../../../shared/contract';
import type { Batch, Session, SessionMetrics } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { getClient, getConnectionState, onConnectionChange, type ConnectionState } from './client';

/** Every react-query key of the renderer, in one place, so events know what to refresh. */
export const keys = {
  appInfo: ['app.info'] as const,
  settings: ['settings'] as const,
  agents: ['agents'] as const,
  sessionTypes: ['sessionTypes'] as const,
  skills: (repoPath: string | null) => ['skills', repoPath] as const,
  sessions: ['sessions'] as const,
  session: (id: string) => ['session', id] as const,
  metricsAll: ['metrics', 'sessions'] as const,
  sessionMetrics: (id: string) => ['metrics', 'session', id] as const,
  system: ['metrics', 'system'] as const,
  series: (from: number) => ['metrics', 'series', from] as const,
  commandHistory: (id: string) => ['commands', id] as const,
  diff: (id: string) => ['diff', id] as const,
  batches: ['batches'] as const,
  batch: (id: string) => ['batch', id] as const,
  cleanupPreview: ['cleanup', 'preview'] as const,
  repoInspect: (path: string) => ['repo', 'inspect', path] as const,
  repoComplete: (prefix: string) => ['repo', 'complete', prefix] as const,
};

function call<K extends RequestName>(name: K, input: RequestInput<K>): Promise<RequestOutput<K>> {
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

/** All sessions, terminated included; views filter locally so one event patch serves every view. */
export const useSessions = () =>
  useQuery({ queryKey: keys.sessions, queryFn: () => call('sessions.list', { includeTerminated: true }) });

export function useSession(id: string | null) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: keys.session(id ?? ''),
    queryFn: () => call('sessions.get', { sessionId: id! }),
    enabled: Boolean(id),
    initialData: () => qc.getQueryData<Session[]>(keys.sessions)?.find((s) => s.id === id),
  });
}

export const useSystemStatus = () =>
  useQuery({ queryKey: keys.system, queryFn: () => call('metrics.system', {}), refetchInterval: 15_000 });

/** Latest metrics of every session, keyed by id; refreshed by `metrics.sample` events. */
export const useAllMetrics = () =>
  useQuery({
    queryKey: keys.metricsAll,
    queryFn: async () => toMetricsMap(await call('metrics.sessions', {})),
  });

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

export const useDiff = (id: string | null) =>
  useQuery({
    queryKey: keys.diff(id ?? ''),
    queryFn: () => call('sessions.diff', { sessionId: id! }),
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

/** A mutation over one request; the error is the host's typed AppError. */
export function useRequest<K extends RequestName>(name: K) {
  return useMutation<RequestOutput<K>, Error, RequestInput<K>>({ mutationFn: (input) => call(name, input) });
}

export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(onConnectionChange, getConnectionState);
}

function toMetricsMap(list: SessionMetrics[]): Record<string, SessionMetrics> {
  const map: Record<string, SessionMetrics> = {};
  for (const m of list) map[m.sessionId] = m;
  return map;
}

function upsert<T extends { id: string }>(list: T[] | undefined, item: T): T[] | undefined {
  if (!list) return list;
  const i = list.findIndex((x) => x.id === item.id);
  if (i < 0) return [...list, item];
  const next = list.slice();
  next[i] = item;
  return next;
}

/** Wires host events to the cache: patches what the event carries, invalidates what it implies. */
export function attachLiveUpdates(qc: QueryClient): () => void {
  const c = getClient();
  const offs = [
    c.on('sessions.changed', ({ session }) => {
      qc.setQueryData<Session[]>(keys.sessions, (list) => upsert(list, session));
      qc.setQueryData(keys.session(session.id), session);
    }),
    c.on('sessions.removed', ({ sessionId }) => {
      qc.setQueryData<Session[]>(keys.sessions, (list) => list?.filter((s) => s.id !== sessionId));
      qc.removeQueries({ queryKey: keys.session(sessionId) });
    }),
    c.on('metrics.sample', ({ sessions }) => {
      qc.setQueryData<Record<string, SessionMetrics>>(keys.metricsAll, (old) => ({
        ...old,
        ...toMetricsMap(sessions),
      }));
      for (const m of sessions) {
        if (qc.getQueryData(keys.sessionMetrics(m.sessionId))) qc.setQueryData(keys.sessionMetrics(m.sessionId), m);
      }
    }),
    c.on('commands.finished', ({ command }) => {
      void qc.invalidateQueries({ queryKey: keys.commandHistory(command.sessionId) });
      void qc.invalidateQueries({ queryKey: keys.diff(command.sessionId) });
      void qc.invalidateQueries({ queryKey: keys.sessionMetrics(command.sessionId) });
    }),
    c.on('batch.progress', ({ batch }) => {
      qc.setQueryData(keys.batch(batch.id), batch);
      qc.setQueryData<Batch[]>(keys.batches, (list) => upsert(list, batch));
    }),
    c.on('settings.changed', ({ settings }) => {
      qc.setQueryData(keys.settings, settings);
    }),
  ];
  return () => offs.forEach((off) => off());
}

/** Mount once at the root: keeps every query in step with the host's events. */
export function useLiveInvalidation(): void {
  const qc = useQueryClient();
  useEffect(() => attachLiveUpdates(qc), [qc]);
}
