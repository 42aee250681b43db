import { existsSync } from 'node:fs';
import type { Session, TerminalActivity } from '../../../shared/domain';
import type { TerminalInfo } from '../../../shared/terminal-host-contract';
import { isRunningStatus } from '../../../shared/session-state';
import { describeLeftover, type Leftover } from '../process/process-ledger';

/** What the engine found on start besides the records themselves. */
export interface ReconcileContext {
  /** Every terminal the terminal host holds (empty when none runs). */
  live: TerminalInfo[];
  /** The machine restarted since the last engine ran: lost programs are restored, not reported. */
  rebooted: boolean;
  /** Sessions whose programs run in a terminal host of another version (left alone, reported). */
  elsewhere: ReadonlySet<string>;
  /** What became of the processes the previous engine had written down and nobody re-adopted. */
  leftovers?: Leftover[];
  now?: number;
}

export interface ReconcilePlan {
  sessions: Session[];
  /** Records whose stored form must be rewritten. */
  changed: Session[];
  /** Programs found running and taken back as they are (same PIDs). */
  adopted: string[];
  /** Programs that exited while no engine ran: their outcome is still to be recorded. */
  exitedAway: Array<{ sessionId: string; exitCode: number | null; signal: number | null }>;
  /** Programs gone without a trace after a reboot: to be restored (resume or restart). */
  toRestore: string[];
  /** Programs gone without a reboot (the terminal host died while no engine ran). */
  lost: string[];
  /** Live programs of no session (or of a terminated one): to be stopped. */
  orphans: string[];
}

const LOST_REASON = 'The program was lost: its terminal host stopped while Multisession was not running';

/** What the ledger says of this session's program and setup script, as a parenthesis ('' when nothing). */
function leftoverNote(r: Session, leftovers: Leftover[]): string {
  const notes = leftovers
    .filter((l) => l.sessionId === r.id && l.kind !== 'command')
    .map((l) => describeLeftover(l, l.kind === 'setup' ? 'its setup script' : 'its program'));
  return notes.length ? ` (${notes.join('; ')})` : '';
}

function worktreeCheck(r: Session): Partial<Session> {
  // A paused session has no folder by design (pause reconciliation settles one under way).
  if (r.status === 'terminated' || r.paused) return {};
  const exists = Boolean(r.worktreePath) && existsSync(r.worktreePath);
  return {
    worktreeMissing: exists
      ? null
      : r.worktreePath
        ? `The worktree folder ${r.worktreePath} no longer exists.`
        : 'The worktree was never created.',
  };
}

/**
 * What the stored records mean on start, given the terminal host's live terminals: a program
 * still running is re-adopted as it is; one that exited meanwhile gets its outcome recorded; one
 * that vanished is restored after a reboot and reported lost otherwise; an interrupted creation
 * is an error; a vanished worktree is marked missing. Live programs nobody owns are orphans.
 */
export function reconcileRecords(records: Session[], ctx: ReconcileContext): ReconcilePlan {
  const now = ctx.now ?? Date.now();
  const live = new Map(ctx.live.map((t) => [t.sessionId, t]));
  const plan: ReconcilePlan = {
    sessions: [],
    changed: [],
    adopted: [],
    exitedAway: [],
    toRestore: [],
    lost: [],
    orphans: [],
  };
  const known = new Set<string>();
  for (const r of records) {
    known.add(r.id);
    const t = live.get(r.id);
    const told = leftoverNote(r, ctx.leftovers ?? []);
    let patch: Partial<Session> = worktreeCheck(r);
    if (r.status === 'terminated') {
      if (t?.running) plan.orphans.push(r.id);
    } else if (t?.running && t.pid !== null) {
      // Running in the terminal host: ours again, whatever the record said (a crash may have
      // come between the spawn and its record).
      const activity: TerminalActivity = t.activity;
      patch = { ...patch, status: isRunningStatus(r.status) ? activity : 'active', pid: t.pid, stoppedAt: null };
      if (!isRunningStatus(r.status)) patch.startedAt = now;
      plan.adopted.push(r.id);
    } else if (isRunningStatus(r.status) && t && t.exit && !t.exitHandled) {
      plan.exitedAway.push({ sessionId: r.id, exitCode: t.exit.exitCode, signal: t.exit.signal });
    } else if (r.status === 'initializing') {
      const exists = Boolean(r.worktreePath) && existsSync(r.worktreePath);
      patch = {
        ...patch,
        status: 'error',
        pid: null,
        recovery: exists ? 'interrupted-create' : null,
        errorReason: exists
          ? `Creation was interrupted when the host stopped${told}; its worktree ${r.worktreePath} exists — keep it (recover) or remove it (terminate).`
          : `Creation was interrupted when the host stopped before its worktree existed${told} — terminate this session and create it again.`,
      };
    } else if (isRunningStatus(r.status)) {
      if (ctx.elsewhere.has(r.id)) {
        patch = {
          ...patch,
          status: 'stopped',
          pid: null,
          errorReason:
            'Still running in the terminal host of an older Multisession version (nothing is lost) — Restart here moves it to this version, resuming its conversation.',
        };
      } else if (ctx.rebooted) {
        patch = { ...patch, status: 'stopped', pid: null, stoppedAt: now };
        plan.toRestore.push(r.id);
      } else {
        patch = {
          ...patch,
          status: 'error',
          pid: null,
          stoppedAt: now,
          errorReason: `${LOST_REASON}${told}. Start the session again.`,
        };
        plan.lost.push(r.id);
      }
    } else if (r.status !== 'queued') {
      patch.pid = null;
    }
    const s = { ...r, ...patch };
    if (JSON.stringify(s) !== JSON.stringify(r)) plan.changed.push(s);
    plan.sessions.push(s);
  }
  for (const t of ctx.live) if (t.running && !known.has(t.sessionId)) plan.orphans.push(t.sessionId);
  return plan;
}
