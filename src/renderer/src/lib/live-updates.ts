import { useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Batch, Session, SessionMetrics } from '../../../shared/domain';
import { isRunningStatus, isQuietStatus } from '../../../shared/session-state';
import { getClient, getConnectionState, onConnectionChange } from './client';
import { keys, toMetricsMap } from './queries';
import { forgetSession } from './ui-store';

function upsert<T extends { id: string }>(list: T[] | undefined, item: T): T[] | undefined {
  if (!list) return list;
  const i = list.findIndex((x) => x.id === item.id);
  if (i < 0) return [...list, item];
  if (list[i] === item) return list;
  const next = list.slice();
  next[i] = item;
  return next;
}

function patchSession(list: Session[] | undefined, id: string, patch: (s: Session) => Session): Session[] | undefined {
  if (!list) return list;
  const i = list.findIndex((x) => x.id === id);
  if (i < 0) return list;
  const next = patch(list[i]);
  if (next === list[i]) return list;
  const copy = list.slice();
  copy[i] = next;
  return copy;
}

/**
 * Wires host events to the one cache: patches what an event carries, invalidates what it implies.
 * Sessions live only under `keys.sessions`; there is no second copy to fall out of step.
 */
export function attachLiveUpdates(qc: QueryClient): () => void {
  const c = getClient();
  const offs = [
    c.on('sessions.changed', ({ session }) => {
      qc.setQueryData<Session[]>(keys.sessions, (list) => upsert(list, session));
    }),
    c.on('sessions.removed', ({ sessionId }) => {
      qc.setQueryData<Session[]>(keys.sessions, (list) => list?.filter((s) => s.id !== sessionId));
      forgetSession(sessionId);
    }),
    c.on('terminals.activity', ({ sessionId, activity }) => {
      // The terminal knows first; the record follows with `sessions.changed` a moment later.
      qc.setQueryData<Session[]>(keys.sessions, (list) =>
        patchSession(list, sessionId, (s) =>
          isRunningStatus(s.status) && s.status !== activity ? { ...s, status: activity } : s,
        ),
      );
      // A program that went quiet has usually just written files: review refreshes now (the worktree
      // watcher also reports them; this covers a host that cannot watch).
      if (isQuietStatus(activity)) void qc.invalidateQueries({ queryKey: keys.review(sessionId) });
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
      void qc.invalidateQueries({ queryKey: keys.review(command.sessionId) });
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
  // Events sent while the connection was down are lost: after a reconnect, everything is re-read.
  let hadOpen = getConnectionState() === 'open';
  let lost = false;
  offs.push(
    onConnectionChange((state) => {
      if (state !== 'open') {
        lost = hadOpen;
        return;
      }
      if (lost) void qc.invalidateQueries();
      hadOpen = true;
      lost = false;
    }),
  );
  return () => offs.forEach((off) => off());
}

/** Mount once at the root: keeps every query in step with the host's events. */
export function useLiveUpdates(): void {
  const qc = useQueryClient();
  useEffect(() => attachLiveUpdates(qc), [qc]);
}
