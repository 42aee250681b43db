import { homedir } from 'node:os';
import type { Session, UsageSummary, UsageTotals } from '../../../shared/domain';
import { isRunningStatus } from '../../../shared/session-state';
import { findAgentDef, type UsageSource } from '../agents/agent-catalog';
import type { Logger } from '../core/logger';
import type { Database } from '../store/database';
import { readClaudeUsage } from './claude-usage';
import { readCodexUsage } from './codex-usage';
import { readAiderUsage, readGeminiUsage, readOpenCodeUsage } from './file-usage-readers';
import { PRICES_AS_OF } from './price-table';
import { UsageStore, type UsagePoint, type UsageSessionLabel } from './usage-store';
import type { FileCursor, ReadResult, UsageEnv, UsageTarget } from './usage-types';

type Reader = (target: UsageTarget, env: UsageEnv, cursors: FileCursor) => ReadResult;

const readers: Record<Exclude<UsageSource, 'none'>, Reader> = {
  claude: readClaudeUsage,
  codex: readCodexUsage,
  gemini: readGeminiUsage,
  opencode: readOpenCodeUsage,
  aider: readAiderUsage,
};

/** Scan cadence while sessions run; a stopped session is read once more after it stops. */
export const USAGE_SCAN_MS = 15_000;
/** Agents write their records a little after the call: a session is still read this long after it stopped. */
const AFTER_STOP_MS = 5 * 60_000;

export interface UsageServiceDeps {
  db: Database;
  log: Logger;
  sessions: () => Session[];
  setUsage: (sessionId: string, usage: UsageSummary) => Promise<void>;
  notify: (sessionId: string, title: string, body: string) => void;
  /** Where the agents keep their records: the user's real HOME in production, a private one in tests. */
  env?: UsageEnv;
  intervalMs?: number;
}

/**
 * Tokens and cost per session from the agents' own local records (Claude Code and Codex session
 * logs, Gemini CLI chats, OpenCode storage, Aider's history), attributed by worktree path and
 * time, priced by the table; rate-limit and quota notices become notifications.
 */
export class UsageService {
  readonly store: UsageStore;
  private readonly cursors = new Map<string, FileCursor>();
  private readonly noticed = new Set<string>();
  private readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<number> | null = null;
  private readonly env: UsageEnv;

  constructor(private readonly d: UsageServiceDeps) {
    this.store = new UsageStore(d.db);
    this.env = d.env ?? { home: homedir(), env: process.env };
  }

  start(): void {
    this.timer = setInterval(() => void this.scan(), this.d.intervalMs ?? USAGE_SCAN_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Reads new records now; returns how many sessions' usage changed. One scan at a time. */
  scan(sessionIds?: string[]): Promise<number> {
    if (this.scanning) return this.scanning.then(() => this.scan(sessionIds));
    this.scanning = this.scanOnce(sessionIds).finally(() => (this.scanning = null));
    return this.scanning;
  }

  summary(sessionId: string): Promise<UsageSummary | null> {
    return this.store.summary(sessionId);
  }

  async detail(sessionId: string) {
    return { summary: await this.store.summary(sessionId), byModel: await this.store.byModel(sessionId) };
  }

  totals(): Promise<UsageTotals> {
    return this.store.totals();
  }

  async series(
    from: number,
    to: number,
  ): Promise<{ points: UsagePoint[]; sessions: UsageSessionLabel[]; pricesAsOf: string }> {
    const [points, sessions] = await Promise.all([this.store.series(from, to), this.store.labels(from, to)]);
    return { points, sessions, pricesAsOf: PRICES_AS_OF };
  }

  private due(s: Session, now: number): boolean {
    if (!s.worktreePath || s.status === 'terminated') return false;
    if (isRunningStatus(s.status)) return true;
    // Never scanned since load, or stopped recently.
    return !this.cursors.has(s.id) || (s.stoppedAt !== null && now - s.stoppedAt < AFTER_STOP_MS);
  }

  private async scanOnce(sessionIds?: string[]): Promise<number> {
    const now = Date.now();
    let changed = 0;
    for (const s of this.d.sessions()) {
      if (sessionIds ? !sessionIds.includes(s.id) : !this.due(s, now)) continue;
      const source = findAgentDef(s.agent)?.usage ?? 'none';
      if (source === 'none') continue;
      const cursors = this.cursors.get(s.id) ?? new Map();
      this.cursors.set(s.id, cursors);
      let read: ReadResult;
      try {
        read = readers[source]({ worktreePath: s.worktreePath, since: s.createdAt - 5000 }, this.env, cursors);
      } catch (e) {
        this.d.log.warn('usage', `could not read ${source} usage for ${s.name}: ${String(e)}`);
        continue;
      }
      for (const n of read.notices) {
        if (this.noticed.has(n.key) || n.t < this.startedAt - 15 * 60_000) continue;
        this.noticed.add(n.key);
        this.d.notify(s.id, `${s.name}: usage limit`, n.message);
      }
      if (read.records.length === 0) continue;
      await this.store.add(s.id, s.agent, read.records);
      const summary = await this.store.summary(s.id);
      if (summary) await this.d.setUsage(s.id, summary);
      changed++;
    }
    return changed;
  }
}
