import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPath } from '../../../src/main/engine/system/open-path';
import { currentBootId } from '../../../src/main/engine/system/boot-id';
import { isAppError } from '../../../src/shared/errors';
import { waitFor } from '../../support/wait-for';

// Opening a worktree in the file manager or an editor: only the engine's own worktrees, through a
// real program found on PATH (a stand-in `xdg-open` / `code` that records what it was given).

let dir: string;
let bin: string;
let worktree: string;
const savedPath = process.env.PATH;

/** A stand-in opener on PATH that writes its arguments to `<name>.args`. */
function standIn(name: string): string {
  const out = join(dir, `${name}.args`);
  const file = join(bin, name);
  writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' "$@" > '${out}'\n`);
  chmodSync(file, 0o755);
  return out;
}

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e) => (isAppError(e) ? e.code : String(e)),
  );

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ms-open-path-'));
  bin = join(dir, 'bin');
  worktree = join(dir, 'worktrees', 'repo', 'session-a');
  mkdirSync(bin);
  mkdirSync(worktree, { recursive: true });
  // Only the stand-ins and what /bin/sh needs.
  process.env.PATH = `${bin}:/usr/bin:/bin`;
});
afterEach(() => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

describe('system.openPath', () => {
  it('refuses anything that is not one of the allowed worktrees, a sibling with the same prefix included', async () => {
    const allowed = [worktree];
    expect(await codeOf(openPath('/etc/passwd', 'fileManager', allowed))).toBe('FORBIDDEN');
    expect(await codeOf(openPath(`${worktree}-evil`, 'fileManager', allowed))).toBe('FORBIDDEN');
    expect(await codeOf(openPath(join(worktree, '..', '..'), 'editor', allowed))).toBe('FORBIDDEN');
  });

  it.runIf(process.platform === 'linux')(
    'opens a worktree (or a folder in it) with xdg-open, which gets the path',
    async () => {
      const args = standIn('xdg-open');
      await openPath(join(worktree, 'src', '..'), 'fileManager', [worktree]);
      const got = await waitFor('the opener to run', () => (existsSync(args) ? readFileSync(args, 'utf8') : ''));
      expect(got.trim()).toBe(worktree);
    },
  );

  it.runIf(process.platform === 'linux')('says what to install when no opener or editor is on PATH', async () => {
    process.env.PATH = bin; // empty: no xdg-open, no editor
    const none = await codeOf(openPath(worktree, 'fileManager', [worktree]));
    expect(none).toBe('PROGRAM_NOT_FOUND');
    expect(await codeOf(openPath(worktree, 'editor', [worktree]))).toBe('PROGRAM_NOT_FOUND');
  });

  it('opens the first GUI editor found, with the worktree', async () => {
    const args = standIn('zed');
    await openPath(worktree, 'editor', [worktree]);
    const got = await waitFor('the editor to run', () => (existsSync(args) ? readFileSync(args, 'utf8') : ''));
    expect(got.trim()).toBe(worktree);
  });
});

describe('the boot id', () => {
  it('is this machine’s boot, the same on every call', () => {
    const id = currentBootId();
    if (existsSync('/proc/sys/kernel/random/boot_id')) {
      expect(id).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    } else {
      expect(id).toMatch(/^boot-\d+$/);
    }
    expect(currentBootId()).toBe(id);
  });
});
