import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiffSummary } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { GitClient } from './git-client';
import { changedPaths, resolveRevision } from './repo-inspection';

export const PATCH_LIMIT = 200 * 1024;
const UNTRACKED_LINE_COUNT_LIMIT = 1024 * 1024;
const UNTRACKED_FILES_LIMIT = 500;

type FileStat = DiffSummary['files'][number];

// Never run user-configured external diff programs or text converters from the engine.
const DIFF_FLAGS = ['--no-renames', '--no-color', '--no-ext-diff', '--no-textconv'];

function parseNumstat(out: string): Map<string, { additions: number; deletions: number }> {
  const stats = new Map<string, { additions: number; deletions: number }>();
  for (const field of out.split('\0')) {
    const m = field.match(/^(-|\d+)\t(-|\d+)\t([\s\S]*)$/);
    if (!m) continue;
    // Binary files report '-' for both counts.
    stats.set(m[3], { additions: m[1] === '-' ? 0 : Number(m[1]), deletions: m[2] === '-' ? 0 : Number(m[2]) });
  }
  return stats;
}

function parseNameStatus(out: string): Map<string, string> {
  const statuses = new Map<string, string>();
  const fields = out.split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i]) statuses.set(fields[i + 1], fields[i].charAt(0));
  }
  return statuses;
}

/** Lines in a small text file; 0 for binary or large files (as git reports binary additions). */
async function countLines(path: string): Promise<number> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return 0;
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > UNTRACKED_LINE_COUNT_LIMIT) return 0;
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(info.size), 0, info.size, 0);
    const data = buffer.subarray(0, bytesRead);
    if (data.subarray(0, 8000).includes(0)) return 0;
    if (data.length === 0) return 0;
    let lines = 0;
    for (const byte of data) if (byte === 10) lines++;
    return data[data.length - 1] === 10 ? lines : lines + 1;
  } finally {
    await handle.close();
  }
}

/**
 * What a session changed relative to `base`: commits ahead/behind, and per-file counts and a patch
 * for everything since the merge base — committed on the branch, uncommitted, and untracked files.
 */
export async function computeDiff(
  git: GitClient,
  worktreePath: string,
  base: string,
): Promise<Omit<DiffSummary, 'sessionId'>> {
  const baseRev = await resolveRevision(git, worktreePath, base);
  if (!baseRev) {
    throw new AppError('BRANCH_NOT_FOUND', `Base branch \`${base}\` no longer exists — diff against another branch.`, {
      base,
    });
  }
  const counts = (await git.run(worktreePath, ['rev-list', '--left-right', '--count', `${baseRev}...HEAD`])).trim();
  const [behind, ahead] = counts.split(/\s+/).map(Number);
  const mb = await git.exec(worktreePath, ['merge-base', baseRev, 'HEAD']);
  // Unrelated histories have no merge base; comparing with the base itself is the useful answer.
  const from = mb.exitCode === 0 ? mb.stdout.trim() : baseRev;

  const [numstat, nameStatus, changes] = await Promise.all([
    git.run(worktreePath, ['diff', '--numstat', '-z', ...DIFF_FLAGS, from, '--']),
    git.run(worktreePath, ['diff', '--name-status', '-z', ...DIFF_FLAGS, from, '--']),
    changedPaths(git, worktreePath, 'all'),
  ]);
  const stats = parseNumstat(numstat);
  const statuses = parseNameStatus(nameStatus);
  const files: FileStat[] = [...stats.entries()].map(([path, s]) => ({
    path,
    status: statuses.get(path) ?? 'M',
    additions: s.additions,
    deletions: s.deletions,
  }));
  const untracked = changes.untracked.slice(0, UNTRACKED_FILES_LIMIT);
  for (const path of untracked) {
    files.push({ path, status: '?', additions: await countLines(join(worktreePath, path)), deletions: 0 });
  }
  files.sort((a, b) => a.path.localeCompare(b.path));

  let patch = await git.run(worktreePath, ['diff', '-p', ...DIFF_FLAGS, from, '--']);
  for (const path of untracked) {
    if (patch.length > PATCH_LIMIT) break;
    // `--no-index` exits 1 when the files differ, which they always do here.
    const r = await git.exec(worktreePath, ['diff', '--no-index', ...DIFF_FLAGS, '--', '/dev/null', path]);
    patch += r.stdout;
  }
  const patchTruncated = patch.length > PATCH_LIMIT;
  return {
    base,
    ahead: ahead ?? 0,
    behind: behind ?? 0,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    files,
    uncommitted: changes.tracked.length + changes.untracked.length,
    patch: patchTruncated ? patch.slice(0, PATCH_LIMIT) : patch,
    patchTruncated,
  };
}
