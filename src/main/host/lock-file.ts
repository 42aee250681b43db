import { createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { parseJson } from '../../shared/json';
import { isAlive } from '../engine/process/process-tree';

/** A lock file's schema: whatever it holds, it names its owner's pid. */
type LockSchema = z.ZodType<{ pid: number }>;

/** Where a local socket named `name` of a data dir lives (socket paths are limited to ~104 bytes). */
export function socketPathIn(dataDir: string, name: string): string {
  const inDir = join(dataDir, name);
  if (Buffer.byteLength(inDir) < 100) return inDir;
  const hash = createHash('sha256').update(`${dataDir}\0${name}`).digest('hex').slice(0, 16);
  return join(tmpdir(), `multisession-${hash}.sock`);
}

/** The lock's content when its process is alive (or is this process), else null: a dead owner's lock is stale. */
export function readLockFile<S extends LockSchema>(schema: S, path: string): z.output<S> | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const info = parseJson(schema, text); // not ok: torn by a crashed writer, or not a lock at all
  if (!info.ok) return null;
  return info.value.pid === process.pid || isAlive(info.value.pid) ? info.value : null;
}

export interface HeldLock<T> {
  release(): void;
  update(patch: Partial<T>): void;
}

/**
 * Writes `text` to a file of its own beside `path` and hands it to `place` (which puts it at
 * `path` in one step), so that `path` never exists with part of its content: another process
 * reading it sees all of it or no file. (Written in place, a starter that read the lock between
 * its creation and its write saw an empty file, judged it torn, removed it and took the lock too:
 * two owners, and the second one's socket failed with EADDRINUSE.)
 */
function placeWhole(path: string, text: string, place: (tmp: string) => void): void {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  try {
    place(tmp);
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* renamed into place */
    }
  }
}

/** `link(tmp, path)`; where the file system has no hard links, an exclusive create written in place. */
function linkOrCreate(tmp: string, path: string, text: string): void {
  try {
    linkSync(tmp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw e;
    writeFileSync(path, text, { flag: 'wx', mode: 0o600 });
  }
}

/**
 * One owner per lock file: creates it exclusively with this process's pid, whole (a hard link of a
 * written file: it fails if the lock exists). Returns null when a live process holds it. A stale
 * lock (its process is gone, or a torn write of an older version) is replaced — but only if it is
 * still the very file that was judged stale, so two starters cannot both win.
 */
export function acquireLockFile<S extends LockSchema>(
  schema: S,
  path: string,
  info: Omit<z.output<S>, 'pid'>,
): HeldLock<z.output<S>> | null {
  type T = z.output<S>;
  const owner = (text: string): T | null => {
    const r = parseJson(schema, text);
    return r.ok ? r.value : null;
  };
  mkdirSync(dirname(path), { recursive: true });
  let current = { ...info, pid: process.pid } as T;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      placeWhole(path, JSON.stringify(current), (tmp) => linkOrCreate(tmp, path, JSON.stringify(current)));
      return {
        release: () => {
          try {
            if (owner(readFileSync(path, 'utf8'))?.pid === process.pid) unlinkSync(path);
          } catch {
            /* already gone */
          }
        },
        update: (patch) => {
          current = { ...current, ...patch };
          placeWhole(path, JSON.stringify(current), (tmp) => renameSync(tmp, path));
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
      const holder = owner(raw); // null: torn write by a crashed owner
      if (holder && isAlive(holder.pid)) return null;
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
