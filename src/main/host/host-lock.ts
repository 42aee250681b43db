import { createHash } from 'node:crypto';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { secureDataDir } from '../engine/store/data-dir-permissions';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { parseJson } from '../../shared/json';
import { isAlive } from '../engine/process/process-tree';

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

/** The lock's content, or null when it is torn (a crashed writer) or not a lock at all. */
function parseLock(text: string): LockInfo | null {
  const info = parseJson(lockInfoSchema, text);
  return info.ok ? info.value : null;
}

/** Where the owner's local socket lives (socket paths are limited to ~104 bytes). */
export function socketPathFor(dataDir: string): string {
  const inDir = join(dataDir, 'host.sock');
  if (Buffer.byteLength(inDir) < 100) return inDir;
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  return join(tmpdir(), `multisession-${hash}.sock`);
}

const lockPath = (dataDir: string) => join(dataDir, 'host.lock');

/** The live owner of a data dir, or null (a lock left by a dead process is stale). */
export function readLock(dataDir: string): LockInfo | null {
  let text: string;
  try {
    text = readFileSync(lockPath(dataDir), 'utf8');
  } catch {
    return null;
  }
  const info = parseLock(text);
  if (!info) return null;
  return info.pid === process.pid || isAlive(info.pid) ? info : null;
}

/**
 * One owner per data dir: creates the lock file exclusively. Returns null when a live process
 * owns it. A stale lock (its process is gone) is replaced.
 */
export function tryAcquireLock(
  dataDir: string,
  info: Omit<LockInfo, 'pid'>,
): { release(): void; update(patch: Partial<LockInfo>): void } | null {
  secureDataDir(dataDir);
  const path = lockPath(dataDir);
  let current: LockInfo = { ...info, pid: process.pid };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(current), { flag: 'wx', mode: 0o600 });
      return {
        release: () => {
          try {
            const now = parseLock(readFileSync(path, 'utf8'));
            if (now?.pid === process.pid) unlinkSync(path);
          } catch {
            /* already gone */
          }
        },
        update: (patch) => {
          current = { ...current, ...patch };
          writeFileSync(path, JSON.stringify(current), { mode: 0o600 });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let raw: string;
      try {
        raw = readFileSync(path, 'utf8');
      } catch {
        continue; // removed between our write and read: try again
      }
      const owner = parseLock(raw); // null: torn write by a crashed owner
      if (owner && isAlive(owner.pid)) return null;
      // Stale: remove it only if it is still the very file we judged stale.
      try {
        if (readFileSync(path, 'utf8') === raw) unlinkSync(path);
      } catch {
        /* someone else cleaned it */
      }
    }
  }
  return null;
}
