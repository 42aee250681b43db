import { join } from 'node:path';
import type { Settings } from '../../../shared/domain';
import type { EventHub } from '../rpc/event-hub';
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

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = await this.store.update(patch);
    this.worktreeRootCache = next.worktreeRoot || this.defaultWorktreeRoot;
    this.hub.emit('settings.changed', { settings: next });
    return next;
  }

  /** Where new worktrees go: the setting, else `<data dir>/worktrees`. */
  worktreeRoot(): string {
    return this.worktreeRootCache;
  }
}
