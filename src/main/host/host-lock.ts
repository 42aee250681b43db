import { createHash } from 'node:crypto';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { secureDataDir } from '../engine/store/data-dir-permissions';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../engine/process/process-tree';

export interface LockInfo {
  pid: number;
  socketPath: string;
  mode: string;
  startedAt: number;
  /** Browser-mode URL when the owner serves one. */
  url?: string;
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
  try {
    const info = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
    return info.pid !== process.pid && isAlive(info.pid) ? info : info.pid === process.pid ? info : null;
  } catch {
    return null;
  }
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
            const now = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
            if (now.pid === process.pid) unlinkSync(path);
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
      let owner: LockInfo | null;
      try {
        owner = JSON.parse(raw) as LockInfo;
      } catch {
        owner = null; // torn write by a crashed owner
      }
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
