import { z } from 'zod';
import { settingsSchema, type Settings } from '../../../shared/domain';
import { parseJson } from '../../../shared/json';
import type { Database } from './database';

export const defaultSettings: Settings = {
  worktreeRoot: '',
  copyInPatterns: ['.env', '.env.local'],
  keepIgnoredPatterns: ['.env*'],
  repoSettings: {},
  maxRunning: 8,
  presets: [
    { id: 'git-status', name: 'git status', command: 'git', args: ['status', '--short', '--branch'], shell: false },
    { id: 'npm-test', name: 'npm test', command: 'npm', args: ['test'], shell: false },
    { id: 'git-log', name: 'git log (last 5)', command: 'git', args: ['log', '--oneline', '-5'], shell: false },
  ],
  defaultPresetId: 'git-status',
  skills: [],
  theme: 'system',
  notifications: true,
  branchTemplate: 'ms/{name}',
  recentRepos: [],
  defaultAgent: 'auto',
  typeAgents: {},
  terminalSizePolicy: 'latest',
  commandsToSkipShell: null,
  pool: { enabled: true, size: 2, diskBudgetMb: 4096, repos: 3 },
  keepSessionsRunning: true,
  restoreAfterRestart: true,
  memoryPressure: { enabled: false, minAvailableMb: 1024, maxSessionsMb: null },
};

/** Settings as one validated JSON document; unknown or invalid stored values fall back to defaults. */
export class SettingsStore {
  private cache: Settings | null = null;
  constructor(private readonly db: Database) {}

  async get(): Promise<Settings> {
    if (this.cache) return this.cache;
    const row = await this.db.get<{ value: string }>("SELECT value FROM settings WHERE key = 'settings'");
    let value = defaultSettings;
    if (row) {
      // Stored keys over the defaults: a setting added by a newer version starts at its default.
      const stored = parseJson(z.record(z.string(), z.unknown()), row.value);
      const parsed = settingsSchema.safeParse({ ...defaultSettings, ...(stored.ok ? stored.value : {}) });
      if (parsed.success) value = parsed.data;
    }
    this.cache = value;
    return value;
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = settingsSchema.parse({ ...(await this.get()), ...patch });
    await this.db.run(
      "INSERT INTO settings (key, value) VALUES ('settings', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      [JSON.stringify(next)],
    );
    this.cache = next;
    return next;
  }
}
