import type { EventPayload, RequestParsedInput } from '../../../shared/contract';
import type { Session } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { canTransition } from '../../../shared/session-state';
import type { EventHub } from '../rpc/event-hub';
import type { SessionStore } from '../store/session-store';

export type NotificationKind = EventPayload<'notify'>['kind'];
export type SessionFilter = Partial<RequestParsedInput<'sessions.list'>>;

/**
 * The live session records: lookups, and every change of a record — checked against the state
 * machine, saved, and announced — goes through `commit`.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly d: { store: SessionStore; hub: EventHub }) {}

  get(sessionId: string): Session {
    const s = this.sessions.get(sessionId);
    if (!s) throw new AppError('NOT_FOUND', `No session with id \`${sessionId}\` — list sessions to see the ids.`);
    return s;
  }

  find(sessionId: string): Session | undefined {
    return this.sessions.get(sessionId);
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  list(filter: SessionFilter = {}): Session[] {
    const search = filter.search?.toLowerCase();
    return this.all()
      .filter((s) => (filter.status ? s.status === filter.status : true))
      .filter((s) => (filter.type ? s.type === filter.type : true))
      .filter((s) =>
        filter.repoPath ? s.repoPath === filter.repoPath || s.repoPath === filter.repoPath.replace(/\/+$/, '') : true,
      )
      .filter((s) => (filter.includeTerminated === false ? s.status !== 'terminated' : true))
      .filter((s) =>
        search ? [s.name, s.branch, s.program, s.type, s.status].some((v) => v.toLowerCase().includes(search)) : true,
      );
  }

  /**
   * Applies a patch: the status change must be allowed; the record is saved and announced. A
   * failed write (full or read-only disk) puts memory back as it was and announces nothing, so
   * memory and disk agree. Memory changes first so that readers during the write see the change.
   */
  async commit(s: Session, patch: Partial<Session>): Promise<Session> {
    if (patch.status && !canTransition(s.status, patch.status)) {
      throw new AppError('INVALID_STATE', `Session "${s.name}" cannot go from ${s.status} to ${patch.status}.`);
    }
    const next: Session = { ...s, ...patch, updatedAt: Date.now() };
    await this.saveOrUndo(next);
    this.d.hub.emit('sessions.changed', { session: next });
    return next;
  }

  private async saveOrUndo(next: Session): Promise<void> {
    const previous = this.sessions.get(next.id);
    this.sessions.set(next.id, next);
    try {
      await this.d.store.save(next);
    } catch (e) {
      if (this.sessions.get(next.id) === next) {
        if (previous) this.sessions.set(next.id, previous);
        else this.sessions.delete(next.id);
      }
      throw e;
    }
  }

  /**
   * Writes the record unchanged: fails with the storage error (DISK_FULL, DATA_DIR_READ_ONLY)
   * before an operation that changes the world (stopping a program, removing a worktree) starts.
   */
  async touch(s: Session): Promise<void> {
    await this.d.store.save(s);
  }

  /** A new record, saved before any disk work so a crash leaves something to reconcile (and no phantom if it fails). */
  async add(session: Session): Promise<void> {
    await this.saveOrUndo(session);
    this.d.hub.emit('sessions.changed', { session });
  }

  /** Saves a change nobody needs to hear about (the terminal size last used). */
  async remember(session: Session): Promise<void> {
    await this.saveOrUndo(session);
  }

  /** Drops a record from disk, then memory, and announces it. */
  async remove(sessionId: string): Promise<void> {
    await this.d.store.delete(sessionId);
    this.sessions.delete(sessionId);
    this.d.hub.emit('sessions.removed', { sessionId });
  }

  /** Replaces the whole set (start-up, after reconciliation). */
  replaceAll(sessions: Session[]): void {
    this.sessions.clear();
    for (const s of sessions) this.sessions.set(s.id, s);
  }

  notify(kind: NotificationKind, sessionId: string | null, title: string, body: string): void {
    this.d.hub.emit('notify', { kind, sessionId, title, body, at: Date.now() });
  }
}
