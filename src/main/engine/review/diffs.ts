import type { DiffResult, DiffScope, FileDiff, FileStat } from '../../../shared/review';
import { AppError } from '../../../shared/errors';
import type { GitClient } from '../git/git-client';
import { resolveRevision } from '../git/repo-inspection';
import { byPath, parseRawNumstat, splitPatch } from './git-parse';
import { mergeBase, readStatus } from './repo-state';
import { countLines, type SessionRef } from './working-changes';
import { join } from 'node:path';

export const FILE_PATCH_LIMIT = 512 * 1024;
export const TOTAL_PATCH_LIMIT = 4 * 1024 * 1024;
const UNTRACKED_LIMIT = 300;

// Never run user-configured external diff programs or text converters from the engine.
const FLAGS = ['--no-color', '--no-ext-diff', '--no-textconv', '-M'];

export interface DiffRequest {
  scope: DiffScope;
  commit?: string;
  paths?: string[];
  context: number;
  /** false: counts and files only, no patches (cheaper). */
  withPatch?: boolean;
}

async function emptyTree(git: GitClient, cwd: string): Promise<string> {
  return (await git.run(cwd, ['hash-object', '-t', 'tree', '/dev/null'])).trim();
}

/** The two sides a scope compares, as `git diff` arguments (an empty list side means the worktree). */
async function sides(git: GitClient, s: SessionRef, req: DiffRequest): Promise<{ args: string[]; from: string }> {
  const cwd = s.worktreePath;
  switch (req.scope) {
    case 'staged':
      return { args: ['--cached'], from: 'HEAD' };
    case 'unstaged':
      return { args: [], from: 'index' };
    case 'commit': {
      const rev = req.commit ?? '';
      const r = await git.exec(cwd, ['rev-list', '--parents', '-n', '1', rev, '--']);
      if (r.exitCode !== 0 || !r.stdout.trim()) {
        throw new AppError('NOT_FOUND', `Commit \`${rev}\` is not in this repository.`, { commit: rev });
      }
      const [sha, parent] = r.stdout.trim().split(' ');
      const from = parent ?? (await emptyTree(git, cwd));
      return { args: [from, sha], from };
    }
    case 'branch': {
      const baseRev = await resolveRevision(git, cwd, s.baseBranch);
      if (!baseRev) {
        throw new AppError(
          'BRANCH_NOT_FOUND',
          `Base branch \`${s.baseBranch}\` no longer exists — the branch has nothing to compare against.`,
          { base: s.baseBranch },
        );
      }
      // Everything since the branch left its base, uncommitted work included (diff against the worktree).
      const from = (await mergeBase(git, cwd, baseRev, 'HEAD')) ?? baseRev;
      return { args: [from], from };
    }
  }
}

/**
 * The patch chunk of the i-th listed file: git prints both in the same order, checked against the
 * header in case an unusual path made them differ.
 */
function chunkFor(chunks: readonly string[], i: number, path: string): string {
  const names = (c: string) => {
    const header = c.slice(0, c.indexOf('\n') >>> 0);
    return header.endsWith(` b/${path}`) || c.includes(`\nrename to ${path}\n`) || c.includes(`\ncopy to ${path}\n`);
  };
  const own = chunks[i];
  if (own !== undefined && names(own)) return own;
  return chunks.find(names) ?? own ?? '';
}

/**
 * A session's changes for one scope, one patch per file: the branch since its base (with
 * uncommitted and untracked work), what is staged, what is not, or one commit.
 */
export async function computeDiff(
  git: GitClient,
  s: SessionRef,
  req: DiffRequest,
): Promise<Omit<DiffResult, 'sessionId'>> {
  const cwd = s.worktreePath;
  const { args, from } = await sides(git, s, req);
  const pathArgs = ['--', ...(req.paths ?? [])];
  const [listing, patch] = await Promise.all([
    git.run(cwd, [
      '--no-optional-locks',
      'diff',
      '--raw',
      '--numstat',
      '-z',
      '--no-abbrev',
      ...FLAGS,
      ...args,
      ...pathArgs,
    ]),
    req.withPatch === false
      ? Promise.resolve('')
      : git.run(cwd, ['--no-optional-locks', 'diff', '-p', `-U${req.context}`, ...FLAGS, ...args, ...pathArgs]),
  ]);
  const stats = parseRawNumstat(listing.split('\0'));
  const chunks = splitPatch(patch);
  const files: FileDiff[] = [];
  let total = 0;
  let truncated = false;
  const add = (stat: FileStat, chunk: string) => {
    const over = chunk.length > FILE_PATCH_LIMIT || total + chunk.length > TOTAL_PATCH_LIMIT;
    if (over) truncated = true;
    const body = over ? '' : chunk;
    total += body.length;
    files.push({ ...stat, patch: body, truncated: over });
  };
  stats.forEach((stat, i) => add(stat, chunkFor(chunks, i, stat.path)));

  if (req.scope === 'branch' || req.scope === 'unstaged') {
    const wanted = req.paths ? new Set(req.paths) : null;
    const untracked = (await readStatus(git, cwd))
      .filter((e) => e.untracked && (!wanted || wanted.has(e.path)))
      .slice(0, UNTRACKED_LIMIT);
    for (const e of untracked) {
      const stat: FileStat = {
        path: e.path,
        oldPath: null,
        status: '?',
        additions: await countLines(join(cwd, e.path)),
        deletions: 0,
        binary: false,
      };
      let chunk = '';
      if (req.withPatch !== false && total < TOTAL_PATCH_LIMIT) {
        // `--no-index` exits 1 when the files differ, which they always do here.
        const r = await git.exec(cwd, ['diff', '--no-index', `-U${req.context}`, ...FLAGS, '--', '/dev/null', e.path]);
        chunk = r.stdout;
        stat.binary = /^Binary files /m.test(chunk);
      }
      add(stat, chunk);
    }
  }
  files.sort((a, b) => byPath(a.path, b.path));
  return {
    scope: req.scope,
    from,
    files,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    truncated,
  };
}
