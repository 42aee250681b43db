import { useSyncExternalStore } from 'react';
import type { Session, SessionStatus, TerminalActivity } from '../../../../shared/domain';
import { getClient } from '../../lib/client';

/**
 * A small self-contained view of the host's sessions for the terminal strip, broadcast and analytics:
 * fetched once, then kept fresh by `sessions.changed`, `sessions.removed` and `terminals.activity`.
 */
interface SessionsSnapshot {
  loaded: boolean;
  sessions: Session[];
  byId: ReadonlyMap<string, Session>;
  /** Live activity from the terminal, when newer than the session record. */
  activity: ReadonlyMap<string, TerminalActivity>;
}

let snapshot: SessionsSnapshot = { loaded: false, sessions: [], byId: new Map(), activity: new Map() };
const listeners = new Set<() => void>();
const removedListeners = new Set<(sessionId: string) => void>();
let started = false;

function publish(byId: Map<string, Session>, activity: Map<string, TerminalActivity>, loaded = snapshot.loaded): void {
  const sessions = [...byId.values()].sort((a, b) => a.createdAt - b.createdAt);
  snapshot = { loaded, sessions, byId, activity };
  for (const l of listeners) l();
}

function start(): void {
  if (started) return;
  started = true;
  const client = getClient();
  client.on('sessions.changed', ({ session }) => {
    const byId = new Map(snapshot.byId);
    byId.set(session.id, session);
    const activity = new Map(snapshot.activity);
    // The record now carries the newest status; a stale activity must not mask it.
    activity.delete(session.id);
    publish(byId, activity);
  });
  client.on('sessions.removed', ({ sessionId }) => {
    const byId = new Map(snapshot.byId);
    byId.delete(sessionId);
    const activity = new Map(snapshot.activity);
    activity.delete(sessionId);
    publish(byId, activity);
    for (const l of removedListeners) l(sessionId);
  });
  client.on('terminals.activity', ({ sessionId, activity: a }) => {
    if (snapshot.activity.get(sessionId) === a) return;
    const activity = new Map(snapshot.activity);
    activity.set(sessionId, a);
    publish(new Map(snapshot.byId), activity);
  });
  void refreshSessions();
}

/** Re-reads the whole list from the host (on start, and when a caller knows it is stale). */
export async function refreshSessions(): Promise<void> {
  const r = await getClient().request('sessions.list', {});
  if (!r.ok) return;
  const byId = new Map(r.value.map((s) => [s.id, s] as const));
  publish(byId, new Map(snapshot.activity), true);
}

function subscribe(l: () => void): () => void {
  start();
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The current sessions snapshot; re-renders when any session changes. */
export function useSessions(): SessionsSnapshot {
  return useSyncExternalStore(subscribe, () => snapshot);
}

/** Runs the listener whenever the host removes a session. */
export function onSessionRemoved(l: (sessionId: string) => void): () => void {
  start();
  removedListeners.add(l);
  return () => removedListeners.delete(l);
}

export function getSessionsSnapshot(): SessionsSnapshot {
  start();
  return snapshot;
}

const runningStatuses: ReadonlySet<SessionStatus> = new Set(['active', 'busy', 'idle', 'waiting']);

/** True while the session's program runs (input can reach it). */
export function isRunning(status: SessionStatus): boolean {
  return runningStatuses.has(status);
}

/** The status to show: the terminal's live activity while the program runs, else the record's status. */
export function displayStatus(session: Session, activity: ReadonlyMap<string, TerminalActivity>): SessionStatus {
  const a = activity.get(session.id);
  return a && isRunning(session.status) ? a : session.status;
}
