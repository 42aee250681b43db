import { join } from 'node:path';
import type { Settings } from '../../../shared/domain';
import type { EventHub } from '../rpc/event-hub';
import { ensureWorktreeRoot, validateWorktreeRoot } from '../safety/worktree-root';
import type { SettingsStore } from '../store/settings-store';

/** Settings as the engine uses them: reads, updates announced to every client, derived values. */
export class SettingsService {
  private worktreeRootCache: string;

  private constructor(
    private readonly store: SettingsStore,
    private readonly hub: EventHub,
    private readonly defaultWorktreeRoot: string,
    initial: Settings,
  ) {
    this.worktreeRootCache = initial.worktreeRoot || defaultWorktreeRoot;
  }

  static async open(store: SettingsStore, hub: EventHub, dataDir: string): Promise<SettingsService> {
    return new SettingsService(store, hub, join(dataDir, 'worktrees'), await store.get());
  }

  get(): Promise<Settings> {
    return this.store.get();
  }

  /**
   * A new worktree folder is validated (not `/`, home, a repository, or a non-empty folder the
   * app did not create — UNSAFE_PATH otherwise, nothing saved), created and marked before it is
   * saved, with `~` expanded.
   */
  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = { ...patch };
    if (next.worktreeRoot) next.worktreeRoot = await ensureWorktreeRoot(next.worktreeRoot);
    const saved = await this.store.update(next);
    this.worktreeRootCache = saved.worktreeRoot || this.defaultWorktreeRoot;
    this.hub.emit('settings.changed', { settings: saved });
    return saved;
  }

  /** Where new worktrees go: the setting, else `<data dir>/worktrees`. */
  worktreeRoot(): string {
    return this.worktreeRootCache;
  }

  /** `<data dir>/worktrees`, the default root (trusted: it lives inside the app's own data dir). */
  defaultWorktreeRootPath(): string {
    return this.defaultWorktreeRoot;
  }

  /** Why the worktree root setting is unsafe (UNSAFE_PATH message), or null when it is usable. */
  async worktreeRootProblem(): Promise<string | null> {
    return validateWorktreeRoot(this.worktreeRootCache, { trusted: this.defaultWorktreeRoot }).then(
      () => null,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
  }

  /** The worktree root, validated, created and marked (UNSAFE_PATH when the setting is unsafe). */
  ensureWorktreeRoot(): Promise<string> {
    return ensureWorktreeRoot(this.worktreeRootCache, { trusted: this.defaultWorktreeRoot });
  }
}
