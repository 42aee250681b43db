import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LossItem } from '../../../shared/removal';
import type { GitClient } from '../git/git-client';
import { contentHash } from '../safety/content-hash';
import { parseStatusV2 } from '../safety/worktree-work';

/** Path → identity of the file's exact bytes (`contentHash`: no git filter, no line-ending conversion). */
export type FolderBytes = ReadonlyMap<string, string>;

// Attributes under which git stores something other than the file's bytes (clean filters, eol
// normalisation, $Id$ expansion, re-encoding): a write changing only what they drop is invisible
// to `git add` and `git status`.
const CONVERTING = ':(exclude,attr:!filter !text !eol !ident !working-tree-encoding)';

const lines = (out: string): string[] => out.split('\0').filter(Boolean);

/** Tracked files git converts on the way in (every one when core.autocrlf converts text by content). */
async function convertedPaths(git: GitClient, worktree: string): Promise<string[]> {
  const autocrlf = (await git.exec(worktree, ['config', 'core.autocrlf'])).stdout.trim().toLowerCase();
  const all = autocrlf === 'input' || ['true', 'yes', 'on', '1'].includes(autocrlf);
  return lines(await git.run(worktree, ['ls-files', '-z', ...(all ? [] : ['--', CONVERTING])]));
}

/** Every file a late write could change: what `git status` lists, the converted files, and `also`. */
async function pathsToWatch(git: GitClient, worktree: string, also: Iterable<string>): Promise<Set<string>> {
  const status = parseStatusV2(await git.run(worktree, ['status', '--porcelain=v2', '-z', '--untracked-files=all']));
  const paths = new Set(also);
  for (const e of status) {
    // A folder entry is a nested repository: pause lists it on its own (it is not committed).
    if (e.kind === 'submodule' || e.path.endsWith('/')) continue;
    paths.add(e.path);
    if (e.from) paths.add(e.from);
  }
  for (const p of await convertedPaths(git, worktree)) paths.add(p);
  return paths;
}

/** Paths hashed by one git process (argv stays far below the system's limit). */
const HASH_BATCH = 500;
/** lstat()s in flight at once. */
const STAT_BATCH = 256;

/**
 * Each path's identity: `blob:<sha>:<x or ->` — the id git gives the file's exact bytes with no
 * filter (`hash-object --no-filters`, batched: one git process per 500 files, where reading each
 * file in Node cost ~1 ms a file) and its executable bit —, or what `contentHash` says for
 * anything else (missing, a folder, a link).
 */
async function identities(git: GitClient, worktree: string, paths: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const regular: Array<{ path: string; exec: boolean }> = [];
  for (let i = 0; i < paths.length; i += STAT_BATCH) {
    await Promise.all(
      paths.slice(i, i + STAT_BATCH).map(async (path) => {
        const info = await lstat(join(worktree, path)).catch(() => null);
        if (info?.isFile()) regular.push({ path, exec: (info.mode & 0o111) !== 0 });
        else out.set(path, await contentHash(join(worktree, path)));
      }),
    );
  }
  for (let i = 0; i < regular.length; i += HASH_BATCH) {
    const batch = regular.slice(i, i + HASH_BATCH);
    const shas = lines(
      (await git.run(worktree, ['hash-object', '--no-filters', '--', ...batch.map((f) => f.path)])).replace(
        /\n/g,
        '\0',
      ),
    );
    batch.forEach((f, j) => out.set(f.path, `blob:${shas[j]}:${f.exec ? 'x' : '-'}`));
  }
  return out;
}

/**
 * The exact bytes of the folder's changed and converted files, taken before pause commits them.
 * Compared again right before the folder is freed (`changedBytes`), it sees any later write —
 * also one git would store the same (a notebook's outputs a clean filter strips, CRLF turned LF),
 * which a comparison of git trees cannot.
 */
export async function folderBytes(git: GitClient, worktree: string, also: Iterable<string> = []): Promise<FolderBytes> {
  return identities(git, worktree, [...(await pathsToWatch(git, worktree, also))]);
}

/** What differs from the snapshot `before` now, as loss items (a file written or deleted since). */
export async function changedBytes(git: GitClient, worktree: string, before: FolderBytes): Promise<LossItem[]> {
  const now = await folderBytes(git, worktree, before.keys());
  const items: LossItem[] = [];
  for (const [path, hash] of now) {
    if ((before.get(path) ?? 'missing') === hash) continue;
    items.push({
      kind: before.has(path) ? 'uncommitted' : 'untracked',
      subject: path,
      detail: `${path} (${hash === 'missing' ? 'deleted' : 'written'} after pause committed the work — not in the WIP commit)`,
      key: `pw:${path}:${hash}`,
    });
  }
  return items;
}

/**
 * The watched files whose exact bytes the commit `treeish` does not hold: git stored them
 * converted (a clean filter stripped a notebook's outputs, CRLF became LF), so a checkout would
 * not give them back. Pause keeps these aside and writes them back after resume's checkout.
 */
export async function bytesNotInTree(
  git: GitClient,
  worktree: string,
  treeish: string,
  watched: FolderBytes,
): Promise<string[]> {
  const files = [...watched].filter(([, id]) => id.startsWith('blob:'));
  if (files.length === 0) return [];
  const inTree = new Map<string, string>();
  for (const entry of lines(await git.run(worktree, ['ls-tree', '-r', '-z', '--full-tree', treeish]))) {
    const tab = entry.indexOf('\t');
    inTree.set(entry.slice(tab + 1), entry.slice(0, tab).split(' ')[2]);
  }
  // The snapshot already holds each file's raw blob id: the ones the tree holds otherwise.
  return files.filter(([p, id]) => inTree.has(p) && id.split(':')[1] !== inTree.get(p)).map(([p]) => p);
}
