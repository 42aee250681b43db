import { secureDataDir } from '../engine/store/data-dir-permissions';
import { join } from 'node:path';
import { z } from 'zod';
import { acquireLockFile, readLockFile, socketPathIn, type HeldLock } from './lock-file';

/** What the owner of a data dir writes into its lock file (read by every process that opens it). */
export const lockInfoSchema = z.object({
  pid: z.number().int().positive(),
  socketPath: z.string().min(1),
  mode: z.string(),
  startedAt: z.number(),
  /** Browser-mode URL when the owner serves one. */
  url: z.string().optional(),
});
export type LockInfo = z.infer<typeof lockInfoSchema>;

/** Where the owner's local socket lives (socket paths are limited to ~104 bytes). */
export function socketPathFor(dataDir: string): string {
  return socketPathIn(dataDir, 'host.sock');
}

const lockPath = (dataDir: string) => join(dataDir, 'host.lock');

/** The live owner of a data dir, or null (a lock left by a dead process is stale). */
export function readLock(dataDir: string): LockInfo | null {
  return readLockFile(lockInfoSchema, lockPath(dataDir));
}

/**
 * One owner per data dir: creates the lock file exclusively. Returns null when a live process
 * owns it. A stale lock (its process is gone) is replaced.
 */
export function tryAcquireLock(dataDir: string, info: Omit<LockInfo, 'pid'>): HeldLock<LockInfo> | null {
  secureDataDir(dataDir);
  return acquireLockFile(lockInfoSchema, lockPath(dataDir), info);
}
