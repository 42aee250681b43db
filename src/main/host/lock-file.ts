import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
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
 * One owner per lock file: creates it exclusively with this process's pid. Returns null when a
 * live process holds it. A stale lock (its process is gone, or a torn write) is replaced — but only
 * if it is still the very file that was judged stale, so two starters cannot both win.
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
      writeFileSync(path, JSON.stringify(current), { flag: 'wx', mode: 0o600 });
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
