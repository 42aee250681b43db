import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Session } from '../../src/shared/domain';
import type { Harness } from '../support/engine-harness';
import { runGit } from '../support/temp-repo';

/** One stopped session (no program running) on `repoPath`, branched from `base`. */
export async function newSession(
  h: Harness,
  repoPath: string,
  name: string,
  opts: { base?: string; copies?: number } = {},
): Promise<Session[]> {
  return h.call('sessions.create', {
    name,
    repoPath,
    program: 'bash',
    autoStart: false,
    baseBranch: opts.base,
    copies: opts.copies ?? 1,
  });
}

export async function newOne(h: Harness, repoPath: string, name: string, base?: string): Promise<Session> {
  const [s] = await newSession(h, repoPath, name, { base });
  return s;
}

/** Writes files (path → content) under `dir`. */
export async function write(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), content);
  }
}

/** Writes files and commits them all with `message`; returns the new commit id. */
export async function commitFiles(dir: string, files: Record<string, string>, message: string): Promise<string> {
  await write(dir, files);
  await runGit(dir, ['add', '--all']);
  await runGit(dir, ['commit', '--quiet', '-m', message]);
  return (await runGit(dir, ['rev-parse', 'HEAD'])).trim();
}

export const rev = async (dir: string, ref: string) => (await runGit(dir, ['rev-parse', ref])).trim();

/** `git status --porcelain` of a checkout, for "nothing changed" assertions. */
export const status = (dir: string) => runGit(dir, ['status', '--porcelain=v1', '--untracked-files=all']);

/** Ten numbered lines: edits to different lines merge cleanly, edits to the same line conflict. */
export const lines = (over: Record<number, string> = {}) =>
  Array.from({ length: 10 }, (_, i) => over[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';
