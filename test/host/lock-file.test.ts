import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { acquireLockFile, readLockFile } from '../../src/main/host/lock-file';
import { makeTempDir, type TempDir } from '../support/temp-repo';

const schema = z.object({ pid: z.number().int().positive(), note: z.string() });
let dir: TempDir;
let path: string;
beforeEach(async () => {
  dir = await makeTempDir('ms-lock-');
  path = join(dir.path, 'test.lock');
});
afterEach(async () => {
  await dir.cleanup();
});

describe('lock files', () => {
  it('is placed whole, leaves no temporary file, and says who holds it until released', () => {
    const lock = acquireLockFile(schema, path, { note: 'first' });
    expect(lock).not.toBeNull();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ pid: process.pid, note: 'first' });
    lock!.update({ note: 'updated' });
    expect(readLockFile(schema, path)).toEqual({ pid: process.pid, note: 'updated' });
    expect(readdirSync(dir.path)).toEqual(['test.lock']);
    lock!.release();
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it("a live process's lock is not taken; a dead one's, or a torn file, is", async () => {
    const live = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(path, JSON.stringify({ pid: live.pid, note: 'live' }));
      expect(acquireLockFile(schema, path, { note: 'me' })).toBeNull();
      expect(readLockFile(schema, path)?.note).toBe('live');
    } finally {
      live.kill('SIGKILL');
      await new Promise((r) => live.once('exit', r));
    }
    // Its owner is gone: stale.
    const taken = acquireLockFile(schema, path, { note: 'me' });
    expect(taken).not.toBeNull();
    taken!.release();
    // A file an owner of an older version left half written.
    writeFileSync(path, '{"pid": 12');
    const again = acquireLockFile(schema, path, { note: 'me' });
    expect(again).not.toBeNull();
    expect(readLockFile(schema, path)?.note).toBe('me');
    again!.release();
    expect(readdirSync(dir.path)).toEqual([]);
  });
});
