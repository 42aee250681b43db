import { z } from 'zod';
import { parseJson } from '../../../shared/json';
import type { Database } from './database';

const runtimeSchema = z.object({
  /** The boot the last engine ran in (reboot detection). */
  bootId: z.string().nullable().default(null),
});
export type RuntimeState = z.infer<typeof runtimeSchema>;

/** Facts the engine keeps about its own runs (not user settings), in the settings table under 'runtime'. */
export class RuntimeStore {
  constructor(private readonly db: Database) {}

  async get(): Promise<RuntimeState> {
    const row = await this.db.get<{ value: string }>("SELECT value FROM settings WHERE key = 'runtime'");
    if (!row) return runtimeSchema.parse({});
    const parsed = parseJson(runtimeSchema, row.value);
    return parsed.ok ? parsed.value : runtimeSchema.parse({});
  }

  async update(patch: Partial<RuntimeState>): Promise<void> {
    const next = { ...(await this.get()), ...patch };
    await this.db.run(
      "INSERT INTO settings (key, value) VALUES ('runtime', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      [JSON.stringify(next)],
    );
  }

  /** Records this boot; true when the previous engine ran in another one (the machine restarted). */
  async noteBoot(bootId: string): Promise<boolean> {
    const prev = (await this.get()).bootId;
    if (prev !== bootId) await this.update({ bootId });
    return prev !== null && prev !== bootId;
  }
}
