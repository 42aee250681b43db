import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { PoolSettings, PoolStatus, Settings } from '../../../shared/domain';
import type { Logger } from '../core/logger';
import { repoLockKey, type GitContext } from '../git/git-context';
import { resolveRepo, type ResolvedRepo } from '../git/repo-inspection';
import { isInside, repoFolderName, WARM_POOL_FOLDER } from '../git/worktree-paths';
import { PoolStore, type PoolEntry } from './pool-store';

/** Written into the worktree's git admin dir (outside git's view of files): "the pool made this". */
const POOL_MARKER = 'multisession-pool';
/** The pool prepares only after a repository has been quiet this long: never competes with a burst of creates. */
export const POOL_IDLE_MS = 10_000;
/** How often the pool checks that its worktrees still sit at their base's tip. */
export const POOL_REFRESH_MS = 60_000;
/** Slow git must not wedge the pool (a network filesystem, a stuck lock). */
const POOL_GIT_TIMEOUT_MS = 10 * 60_000;

/** What a create gets from the pool: a registered worktree at `rev`, now moved to the session's path. */
export interface ClaimedWorktree {
  path: string;
  rev: string;
}

export interface WorktreePoolOptions {
  ctx: GitContext;
  store: PoolStore;
  settings: () => Promise<Settings>;
  log: Logger;
  /** Quiet time before preparing (tests pass 0). */
  idleMs?: number;
  refreshMs?: number;
}

const sha = async (ctx: GitContext, root: string, name: string): Promise<string | null> => {
  const r = await ctx.git.exec(root, ['rev-parse', '--verify', '--quiet', `${name}^{commit}`]);
  return r.exitCode === 0 ? r.stdout.trim() : null;
};

/**
 * Warm worktrees per repository, prepared in the background at low priority at the tip of the
 * repository's most recently used base, so a create only names a branch and moves a folder.
 * A pool worktree holds no work (detached, clean, never handed to a program), is recorded in the
 * store and marked in its git admin dir, and is removed only through git (which refuses to drop
 * changes). Creates whose base is not pooled take the normal path.
 */
export class WorktreePool {
  private readonly idleMs: number;
  private readonly refreshMs: number;
  private entries = new Map<string, PoolEntry>();
  private running: Promise<void> | null = null;
  private again = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private disposed = false;
  /** Sizes of one checkout per repository + sparse set, measured once (the disk budget's unit). */
  private readonly checkoutBytes = new Map<string, number>();

  constructor(private readonly o: WorktreePoolOptions) {
    this.idleMs = o.idleMs ?? POOL_IDLE_MS;
    this.refreshMs = o.refreshMs ?? POOL_REFRESH_MS;
  }

  /** Loads the records and makes them true: half-prepared worktrees (a crash) go, vanished ones are forgotten. */
  async start(): Promise<void> {
    for (const e of await this.o.store.list()) this.entries.set(e.path, e);
    for (const e of [...this.entries.values()]) {
      const exists = await lstat(e.path).then(
        () => true,
        () => false,
      );
      if (!exists) {
        await this.forget(e.path);
      } else if (e.state !== 'ready') {
        this.o.log.info('pool', `removing ${e.path}: its preparation was interrupted`);
        await this.removeEntry(e);
      }
    }
    this.refreshTimer = setInterval(() => this.kick(), this.refreshMs);
    this.refreshTimer.unref();
    this.kick(this.idleMs);
  }

  /** A create used this base: keep it warm (after the repository has been quiet for a while). */
  async noteUse(repoRoot: string, baseBranch: string): Promise<void> {
    await this.o.store.noteBase(repoRoot, baseBranch);
    this.kick(this.idleMs);
  }

  /** Paths the pool owns (cleanup and the orphan finder leave them to the pool). */
  paths(): string[] {
    return [...this.entries.keys()];
  }

  /** Whether `path` is (inside) a repository's pool folder. */
  isPoolPath(path: string): boolean {
    const root = resolve(this.o.ctx.worktreeRoot());
    return isInside(root, path) && relative(root, resolve(path)).split(sep)[1] === WARM_POOL_FOLDER;
  }

  /** Whether a claim for this repository and base would find a ready worktree now. */
  hasReady(repoRoot: string, baseBranch: string, sparse: string[]): boolean {
    const sp = sparse.join('\n');
    for (const e of this.entries.values()) {
      if (e.repoRoot === repoRoot && e.baseBranch === baseBranch && e.sparse === sp && e.state === 'ready') return true;
    }
    return false;
  }

  /**
   * Called under the repository lock by worktree creation: hands over a ready worktree for this
   * repository and base (moved to `targetPath`, HEAD still detached at the entry's rev), or null.
   */
  async claim(
    repo: ResolvedRepo,
    baseBranch: string,
    sparse: string[],
    targetPath: string,
  ): Promise<ClaimedWorktree | null> {
    if (this.disposed) return null;
    const settings = await this.o.settings();
    if (!this.enabledFor(settings, repo.root)) return null;
    const sp = sparse.join('\n');
    const candidates = [...this.entries.values()].filter(
      (e) => e.repoRoot === repo.root && e.baseBranch === baseBranch && e.sparse === sp && e.state === 'ready',
    );
    const entry = candidates[0];
    if (!entry) return null;
    // Taken out of the pool before any await: no other claim or refresh can pick it.
    this.entries.delete(entry.path);
    try {
      await this.o.ctx.git.run(repo.root, ['worktree', 'move', '--', entry.path, targetPath]);
    } catch (e) {
      this.o.log.warn('pool', `could not move ${entry.path} for a create (${String(e)}); creating normally`);
      this.entries.set(entry.path, entry);
      return null;
    }
    await this.o.store.delete(entry.path);
    await this.unmark(targetPath).catch(() => undefined);
    this.kick(this.idleMs);
    return { path: targetPath, rev: entry.rev };
  }

  async status(): Promise<PoolStatus> {
    const settings = await this.o.settings();
    const bases = await this.o.store.recentBases(settings.pool.repos);
    const used = this.usedBytes();
    const budget = settings.pool.diskBudgetMb * 1024 * 1024;
    const repos: PoolStatus['repos'] = bases.map((b) => {
      const mine = [...this.entries.values()].filter((e) => e.repoRoot === b.repoRoot && e.baseBranch === b.baseBranch);
      return {
        repoRoot: b.repoRoot,
        baseBranch: b.baseBranch,
        enabled: this.enabledFor(settings, b.repoRoot),
        ready: mine.filter((e) => e.state === 'ready').length,
        preparing: mine.filter((e) => e.state !== 'ready').length,
        target: this.enabledFor(settings, b.repoRoot) ? settings.pool.size : 0,
        bytes: mine.reduce((n, e) => n + e.bytes, 0),
        sparse: settings.repoSettings[b.repoRoot]?.sparse ?? [],
      };
    });
    return {
      enabled: settings.pool.enabled,
      budgetBytes: budget,
      usedBytes: used,
      budgetReached:
        settings.pool.enabled &&
        bases.some((b) =>
          this.nextWouldExceed(settings.pool, used, b.repoRoot, settings.repoSettings[b.repoRoot]?.sparse ?? []),
        ),
      repos,
    };
  }

  /** Removes every warm worktree (of one repository, or all); ones git refuses to drop are kept and said. */
  async drain(repoPath?: string): Promise<{ removed: string[]; kept: { path: string; reason: string }[] }> {
    const repoRoot = repoPath ? (await resolveRepo(this.o.ctx.git, repoPath)).root : undefined;
    await this.idle();
    const removed: string[] = [];
    const kept: { path: string; reason: string }[] = [];
    for (const e of [...this.entries.values()]) {
      if (repoRoot && e.repoRoot !== repoRoot) continue;
      const why = await this.removeEntry(e);
      if (why) kept.push({ path: e.path, reason: why });
      else removed.push(e.path);
    }
    return { removed, kept };
  }

  /** Settings changed (size, budget, a repository turned off, sparse folders): follow them now. */
  settingsChanged(): void {
    this.kick();
  }

  /** Runs a maintenance pass now and waits for it (tests, and `drain`). */
  async maintainNow(): Promise<void> {
    this.kick();
    await this.idle();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    await this.running?.catch(() => undefined);
  }

  // ── maintenance ────────────────────────────────────────────────────────

  private async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private kick(delayMs = 0): void {
    if (this.disposed) return;
    if (delayMs > 0) {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.kick(0), delayMs);
      this.idleTimer.unref();
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.maintain();
        } while (this.again && !this.disposed);
      } catch (e) {
        this.o.log.warn('pool', `maintenance failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        this.running = null;
      }
    })();
  }

  private async maintain(): Promise<void> {
    const settings = await this.o.settings();
    const bases = await this.o.store.recentBases(settings.pool.repos);
    const wanted = new Set(
      bases.filter((b) => this.enabledFor(settings, b.repoRoot)).map((b) => key(b.repoRoot, b.baseBranch)),
    );
    // Entries no longer wanted (pool off, repository off, base changed, repository fell out of the recent list).
    for (const e of [...this.entries.values()]) {
      if (this.disposed) return;
      const sparse = (settings.repoSettings[e.repoRoot]?.sparse ?? []).join('\n');
      if (!wanted.has(key(e.repoRoot, e.baseBranch)) || e.sparse !== sparse) await this.removeEntry(e);
    }
    for (const b of bases) {
      if (this.disposed || !wanted.has(key(b.repoRoot, b.baseBranch))) continue;
      let repo: ResolvedRepo;
      try {
        repo = await resolveRepo(this.o.ctx.git, b.repoRoot);
      } catch {
        continue; // Moved or deleted: nothing to keep warm.
      }
      const tip = await sha(this.o.ctx, repo.root, b.baseBranch);
      if (!tip) continue;
      const mine = () =>
        [...this.entries.values()].filter((e) => e.repoRoot === repo.root && e.baseBranch === b.baseBranch);
      for (const e of mine()) {
        if (this.disposed) return;
        if (e.rev !== tip) await this.refresh(e, tip);
      }
      // A smaller size gives back the extra ones (the most recently prepared go first).
      for (const e of mine()
        .reverse()
        .slice(0, Math.max(0, mine().length - settings.pool.size))) {
        if (this.disposed) return;
        await this.removeEntry(e);
      }
      const sparse = settings.repoSettings[repo.root]?.sparse ?? [];
      while (!this.disposed && mine().length < settings.pool.size) {
        if (this.nextWouldExceed(settings.pool, this.usedBytes(), repo.root, sparse)) break;
        const ok = await this.prepare(repo, b.baseBranch, tip, sparse);
        if (!ok) break;
      }
    }
  }

  /** A new warm worktree: recorded first, registered detached without checkout, marked, then checked out. */
  private async prepare(repo: ResolvedRepo, baseBranch: string, rev: string, sparse: string[]): Promise<boolean> {
    const { ctx } = this.o;
    const dir = join(resolve(ctx.worktreeRoot()), repoFolderName(repo.root), WARM_POOL_FOLDER);
    await mkdir(dir, { recursive: true });
    const path = join(dir, randomBytes(5).toString('hex'));
    const now = Date.now();
    const entry: PoolEntry = {
      path,
      repoRoot: repo.root,
      baseBranch,
      rev,
      state: 'preparing',
      bytes: 0,
      sparse: sparse.join('\n'),
      createdAt: now,
      updatedAt: now,
    };
    this.entries.set(path, entry);
    await this.o.store.save(entry);
    const bg = { background: true, timeoutMs: POOL_GIT_TIMEOUT_MS };
    try {
      await ctx.mutex.run(repoLockKey(repo), () =>
        ctx.git.run(repo.root, ['worktree', 'add', '--quiet', '--detach', '--no-checkout', '--', path, rev], bg),
      );
      await this.mark(path);
      if (sparse.length > 0) {
        await ctx.git.run(path, ['sparse-checkout', 'set', '--cone', '--', ...sparse], bg);
      }
      await ctx.git.run(path, ['reset', '--hard', '--quiet'], bg);
    } catch (e) {
      this.o.log.warn(
        'pool',
        `could not prepare a warm worktree of ${repo.root}: ${e instanceof Error ? e.message : String(e)}`,
      );
      await this.removeEntry(entry);
      return false;
    }
    if (!this.entries.has(path)) return false; // drained meanwhile
    const bytes = await this.measure(repo.root, sparse, path);
    const ready: PoolEntry = { ...entry, state: 'ready', bytes, updatedAt: Date.now() };
    this.entries.set(path, ready);
    await this.o.store.save(ready);
    this.o.log.info('pool', `warm worktree ready: ${path} (${baseBranch} @ ${rev.slice(0, 8)})`);
    return true;
  }

  /** The base moved: check out only the difference (git refuses to overwrite anything changed there). */
  private async refresh(e: PoolEntry, tip: string): Promise<void> {
    const refreshing: PoolEntry = { ...e, state: 'refreshing', updatedAt: Date.now() };
    this.entries.set(e.path, refreshing);
    await this.o.store.save(refreshing);
    try {
      await this.o.ctx.git.run(e.path, ['checkout', '--quiet', '--detach', tip], {
        background: true,
        timeoutMs: POOL_GIT_TIMEOUT_MS,
      });
    } catch (err) {
      this.o.log.warn('pool', `could not refresh ${e.path}: ${err instanceof Error ? err.message : String(err)}`);
      await this.removeEntry(refreshing);
      return;
    }
    if (!this.entries.has(e.path)) return;
    const ready: PoolEntry = { ...refreshing, rev: tip, state: 'ready', updatedAt: Date.now() };
    this.entries.set(e.path, ready);
    await this.o.store.save(ready);
  }

  /**
   * Removes one warm worktree through git without force, so anything that is not exactly the
   * checked-out commit (changed or untracked files) makes git refuse — then the folder is kept.
   * Returns why it was kept, or null when it is gone.
   */
  private async removeEntry(e: PoolEntry): Promise<string | null> {
    const { ctx } = this.o;
    this.entries.delete(e.path);
    const exists = await lstat(e.path).then(
      () => true,
      () => false,
    );
    if (exists) {
      const marked = await this.isMarked(e.path);
      const interrupted = marked ? 'ours' : await this.adoptInterrupted(e);
      if (interrupted === 'gone') {
        await this.forget(e.path);
        return null;
      }
      if (interrupted === 'unknown') {
        // Not provably ours: left alone, and the record stays so the folder stays explained.
        const why = `${e.path} is not marked as a warm worktree — left alone`;
        this.o.log.warn('pool', why);
        this.entries.set(e.path, e);
        return why;
      }
      let repo: ResolvedRepo;
      try {
        repo = await resolveRepo(ctx.git, e.repoRoot);
      } catch {
        const why = `its repository ${e.repoRoot} cannot be read — kept`;
        this.entries.set(e.path, e);
        return why;
      }
      // A preparation cut short has no files checked out yet, which git reads as "changed": it
      // may go with force, but only when git confirms nothing exists there beyond those absences.
      const force = e.state !== 'ready' && (await this.onlyMissingFiles(e.path)) ? ['--force'] : [];
      const r = await ctx.mutex.run(repoLockKey(repo), () =>
        ctx.git.exec(repo.root, ['worktree', 'remove', ...force, '--', e.path], { timeoutMs: POOL_GIT_TIMEOUT_MS }),
      );
      if (r.exitCode !== 0) {
        const why = `git refused to remove it: ${r.stderr.trim()}`;
        this.o.log.warn('pool', `kept ${e.path}: ${why}`);
        this.entries.set(e.path, e);
        return why;
      }
    }
    await this.forget(e.path);
    return null;
  }

  /** True when every difference git sees in the worktree is a file not yet written (no new, changed or ignored files). */
  private async onlyMissingFiles(path: string): Promise<boolean> {
    const r = await this.o.ctx.git.exec(
      path,
      ['status', '--porcelain', '--untracked-files=all', '--ignored=matching'],
      {
        timeoutMs: POOL_GIT_TIMEOUT_MS,
      },
    );
    if (r.exitCode !== 0) return false;
    return r.stdout.split('\n').every((l) => l === '' || /^D {2}/.test(l));
  }

  private async forget(path: string): Promise<void> {
    this.entries.delete(path);
    await this.o.store.delete(path);
  }

  private enabledFor(settings: Settings, repoRoot: string): boolean {
    return settings.pool.enabled && settings.pool.size > 0 && settings.repoSettings[repoRoot]?.pool !== false;
  }

  private usedBytes(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.bytes;
    return n;
  }

  /** Whether one more worktree (of `repoRoot`, or the smallest known) would pass the disk budget. */
  private nextWouldExceed(pool: PoolSettings, used: number, repoRoot: string, sparse: string[]): boolean {
    const budget = pool.diskBudgetMb * 1024 * 1024;
    // Until one checkout of the repository was measured, the first one is allowed and measured.
    const unit = this.checkoutBytes.get(key(repoRoot, sparse.join('\n'))) ?? 0;
    return used + unit > budget;
  }

  private async measure(repoRoot: string, sparse: string[], path: string): Promise<number> {
    const k = key(repoRoot, sparse.join('\n'));
    const known = this.checkoutBytes.get(k);
    if (known !== undefined) return known;
    const bytes = await folderBytes(path, new Set(['.git']));
    this.checkoutBytes.set(k, bytes);
    return bytes;
  }

  private async gitAdminDir(worktree: string): Promise<string | null> {
    try {
      const text = await readFile(join(worktree, '.git'), 'utf8');
      const m = /^gitdir:\s*(.+)$/m.exec(text);
      return m ? resolve(worktree, m[1].trim()) : null;
    } catch {
      return null;
    }
  }

  private async mark(worktree: string): Promise<void> {
    const admin = await this.gitAdminDir(worktree);
    if (!admin) throw new Error(`${worktree} has no git admin dir`);
    await writeFile(join(admin, POOL_MARKER), `${worktree}\n`, { mode: 0o600 });
  }

  private async unmark(worktree: string): Promise<void> {
    const admin = await this.gitAdminDir(worktree);
    if (admin) await rm(join(admin, POOL_MARKER), { force: true });
  }

  /**
   * A preparation killed between `git worktree add` and the marker: the record (written before the
   * add, naming a fresh random folder in the pool's own folder) says what was being made. An empty
   * folder (git had not written anything) goes at once; a worktree git registered detached at the
   * recorded commit is the one we added, and is marked so the usual removal (git, force only for
   * not-yet-written files) applies. Anything else is not provably ours.
   */
  private async adoptInterrupted(e: PoolEntry): Promise<'gone' | 'ours' | 'unknown'> {
    if (e.state !== 'preparing') return 'unknown';
    const names = await readdir(e.path).catch(() => null);
    if (names !== null && names.length === 0) {
      // rmdir removes only an empty folder: nothing can be lost.
      return rmdir(e.path).then(
        () => 'gone' as const,
        () => 'unknown' as const,
      );
    }
    const list = await this.o.ctx.git.exec(e.repoRoot, ['worktree', 'list', '--porcelain'], {
      timeoutMs: POOL_GIT_TIMEOUT_MS,
    });
    if (list.exitCode !== 0) return 'unknown';
    const block = list.stdout.split('\n\n').find((b) => b.split('\n')[0] === `worktree ${e.path}`);
    if (!block || !block.split('\n').includes(`HEAD ${e.rev}`) || !block.split('\n').includes('detached'))
      return 'unknown';
    try {
      await this.mark(e.path);
      return 'ours';
    } catch {
      return 'unknown';
    }
  }

  private async isMarked(worktree: string): Promise<boolean> {
    const admin = await this.gitAdminDir(worktree);
    if (!admin) return false;
    return lstat(join(admin, POOL_MARKER)).then(
      () => true,
      () => false,
    );
  }
}

const key = (a: string, b: string) => `${a}\u0000${b}`;

/** Bytes of the regular files under `dir` (symlinks not followed), skipping top-level `skip` names. */
async function folderBytes(dir: string, skip: Set<string>): Promise<number> {
  let total = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    let names: import('node:fs').Dirent[];
    try {
      names = await readdir(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const n of names) {
      if (d === dir && skip.has(n.name)) continue;
      const p = join(d, n.name);
      if (n.isDirectory()) stack.push(p);
      else if (n.isFile()) total += (await lstat(p).catch(() => null))?.size ?? 0;
    }
  }
  return total;
}
