import { z } from 'zod';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TERMINAL_HOST_PROTOCOL } from '../../shared/terminal-host-contract';
import { socketPathIn } from '../host/lock-file';

/** What a running terminal host writes into its lock file. */
export const terminalHostLockSchema = z.object({
  pid: z.number().int().positive(),
  protocol: z.number().int(),
  appVersion: z.string(),
  socketPath: z.string().min(1),
  startedAt: z.number(),
  bootId: z.string(),
});
export type TerminalHostLock = z.infer<typeof terminalHostLockSchema>;

/** Each protocol version has its own lock and socket, so hosts of two versions can run side by side. */
export const terminalHostLockPath = (dataDir: string, protocol: number): string =>
  join(dataDir, `terminal-host.p${protocol}.lock`);

export const terminalHostSocketPath = (dataDir: string, protocol: number): string =>
  socketPathIn(dataDir, `terminal-host.p${protocol}.sock`);

export const terminalHostLogPath = (dataDir: string): string => join(dataDir, 'logs', 'terminal-host.log');

/** Protocol numbers of every terminal-host lock file in the data dir (live or stale). */
export function terminalHostLockProtocols(dataDir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const n of names) {
    const m = /^terminal-host\.p(\d+)\.lock$/.exec(n);
    if (m) out.push(Number(m[1]));
  }
  return out;
}

export { currentBootId } from '../engine/system/boot-id';

/**
 * The protocol this build speaks. Tests set MULTISESSION_TERMINAL_HOST_PROTOCOL to play an older
 * or newer app or host; nobody else should.
 */
export function effectiveProtocol(): number {
  const forced = Number(process.env.MULTISESSION_TERMINAL_HOST_PROTOCOL);
  return process.env.MULTISESSION_TERMINAL_HOST_PROTOCOL && Number.isInteger(forced) && forced >= 0
    ? forced
    : TERMINAL_HOST_PROTOCOL;
}
