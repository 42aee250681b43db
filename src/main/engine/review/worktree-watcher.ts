import { watch, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '../core/logger';
import type { GitClient } from '../git/git-client';

export type ChangeReason = 'worktree' | 'git';

export interface WatcherOptions {
  git: GitClient;
  log: Logger;
  worktreePath: string;
  /** The session's branch and base, whose refs are watched in the shared git dir. */
  branches: string[];
  onChange: (reason: ChangeReason) => void;
  /** Quiet time before reporting a burst of events. */
  debounceMs?: number;
  /** A continuous stream of events is still reported at least this often. */
  maxWaitMs?: number;
  /** Most folders watched per worktree (inotify watches are a per-user budget). */
  maxDirs?: number;
}

// Git's own short-lived files: their final names fire events too.
const NOISE = /(^|\/)(index\.lock|[^/]*\.lock|FETCH_HEAD|gc\.pid|gc\.log)$/;

/**
 * Tells when a session's files or git state change, from file-system events (no polling, no git
 * process per tick): the worktree's tracked folders (not ignored ones such as node_modules), the
 * worktree's git dir (HEAD, index, rebase/merge state, reflog) and the branch refs in the shared
 * git dir. Bursts are debounced into one report.
 */
export class WorktreeWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | null = null;
  private firstEventAt = 0;
  private reasons = new Set<ChangeReason>();
  private closed = false;
  private rescanPending = false;
  private warned = false;

  constructor(private readonly o: WatcherOptions) {}

  async start(): Promise<void> {
    const { git, worktreePath } = this.o;
    const [gitDir, commonDir] = (
      await git.run(worktreePath, ['rev-parse', '--path-format=absolute', '--git-dir', '--git-common-dir'])
    )
      .split('\n')
      .map((l) => l.trim());
    if (this.closed) return;
    this.add(gitDir, 'git');
    this.add(join(gitDir, 'logs'), 'git');
    for (const b of this.o.branches) {
      const refDir = dirname(join(commonDir, 'refs', 'heads', b));
      this.add(refDir, 'git');
    }
    await this.scanWorktree();
  }

  /** Watches the worktree's top folder and every folder holding tracked files. */
  private async scanWorktree(): Promise<void> {
    const { git, worktreePath } = this.o;
    const out = await git
      .run(worktreePath, [
        '--no-optional-locks',
        'ls-files',
        '-z',
        '--cached',
        '--others',
        '--exclude-standard',
        '--directory',
      ])
      .catch(() => '');
    if (this.closed) return;
    const dirs = new Set<string>(['']);
    for (const f of out.split('\0')) {
      if (!f) continue;
      const parts = f.replace(/\/$/, '').split('/');
      // Every ancestor folder of a file (and an untracked folder itself) is watched.
      for (let i = 1; i <= parts.length - (f.endsWith('/') ? 0 : 1); i++) dirs.add(parts.slice(0, i).join('/'));
    }
    const max = this.o.maxDirs ?? 2000;
    let n = 0;
    for (const d of dirs) {
      if (n++ >= max) {
        this.warnOnce(`${worktreePath}: watching only the first ${max} folders`);
        break;
      }
      this.add(d ? join(worktreePath, d) : worktreePath, 'worktree');
    }
  }

  private add(path: string, reason: ChangeReason): void {
    if (this.closed || this.watchers.has(path)) return;
    try {
      const w = watch(path, { persistent: false }, (event, name) =>
        this.event(reason, event, name ? String(name) : ''),
      );
      w.on('error', () => {
        w.close();
        this.watchers.delete(path);
      });
      this.watchers.set(path, w);
    } catch (e) {
      // A folder that vanished, or the inotify budget is spent: other triggers still refresh.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.warnOnce(`cannot watch ${path}: ${String(e)}`);
    }
  }

  private warnOnce(message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.o.log.warn('review', message);
  }

  private event(reason: ChangeReason, event: string, name: string): void {
    if (this.closed || NOISE.test(name)) return;
    if (reason === 'worktree' && (name === '.git' || name === '')) return;
    // A created or removed entry may be a new folder to watch.
    if (reason === 'worktree' && event === 'rename') this.rescanPending = true;
    this.reasons.add(reason);
    const now = Date.now();
    if (!this.timer) this.firstEventAt = now;
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.min(this.o.debounceMs ?? 250, Math.max(0, this.firstEventAt + (this.o.maxWaitMs ?? 2000) - now));
    this.timer = setTimeout(() => this.flush(), wait);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = null;
    const reasons = [...this.reasons];
    this.reasons.clear();
    if (this.rescanPending) {
      this.rescanPending = false;
      void this.scanWorktree();
    }
    for (const r of reasons) this.o.onChange(r);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  /** Folders being watched (tests and diagnostics). */
  get watchedCount(): number {
    return this.watchers.size;
  }
}
