import { join } from 'node:path';
import type { GitClient } from '../git/git-client';
import type { Database } from '../store/database';
import { contentHash } from './content-hash';
import { BUILD_OUTPUT_DIRS, parseStatusV2, type PlacedFiles } from './worktree-work';

/** More placed files than this are not recorded one by one (the rest then count as work: fail-closed). */
const MAX_PLACED = 20_000;

/**
 * What the app itself put in a fresh worktree — copied-in files, setup-script output, tracked
 * files the setup script changed — with their content hashes: every path that differs from the
 * checkout right after creation, ignored ones included (build-output folders excepted).
 */
export async function snapshotPlaced(git: GitClient, worktree: string): Promise<Map<string, string>> {
  const paths = new Set<string>();
  const status = await git.run(worktree, ['status', '--porcelain=v2', '-z', '--untracked-files=all']);
  for (const e of parseStatusV2(status)) if (e.kind !== 'submodule') paths.add(e.path);
  const ignored = await git.run(worktree, [
    'ls-files',
    '-z',
    '--others',
    '--ignored',
    '--exclude-standard',
    '--',
    '.',
    ...BUILD_OUTPUT_DIRS.map((d) => `:(exclude,glob)**/${d}/**`),
  ]);
  for (const p of ignored.split('\0')) if (p) paths.add(p);
  const placed = new Map<string, string>();
  for (const p of [...paths].slice(0, MAX_PLACED)) placed.set(p, await contentHash(join(worktree, p)));
  return placed;
}

/** The placed-files manifest of each session, in the store. */
export class PlacedFilesStore {
  constructor(private readonly db: Database) {}

  async save(sessionId: string, placed: ReadonlyMap<string, string>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM placed_files WHERE session_id = ?', [sessionId]);
      for (const [path, hash] of placed) {
        await tx.run('INSERT INTO placed_files (session_id, path, hash) VALUES (?, ?, ?)', [sessionId, path, hash]);
      }
    });
  }

  async get(sessionId: string): Promise<PlacedFiles> {
    const rows = await this.db.all<{ path: string; hash: string }>(
      'SELECT path, hash FROM placed_files WHERE session_id = ?',
      [sessionId],
    );
    return new Map(rows.map((r) => [r.path, r.hash]));
  }

  async delete(sessionId: string): Promise<void> {
    await this.db.run('DELETE FROM placed_files WHERE session_id = ?', [sessionId]);
  }
}
