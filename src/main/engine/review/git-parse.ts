import type { ChangedFile, CommitInfo, ConflictFile, FileStat } from '../../../shared/review';

/**
 * Parses the NUL-separated fields of `--raw --numstat -z` (from `git diff` or one commit of
 * `git log`): raw entries give each file's status letter and paths, numstat entries its counts.
 * Both come in the same order; renames and copies carry the old and the new path.
 */
export function parseRawNumstat(fields: readonly string[]): FileStat[] {
  const files: FileStat[] = [];
  const byPath = new Map<string, FileStat>();
  let i = 0;
  while (i < fields.length) {
    // `git log` puts a newline between a commit's header and its first file entry.
    const f = fields[i].replace(/^\n/, '');
    if (f === '') {
      i++;
      continue;
    }
    if (f.startsWith(':')) {
      // ":100644 100644 <sha> <sha> M" then one path, or two for R/C.
      const status = f.split(' ').pop() ?? 'M';
      const letter = status.charAt(0);
      if (letter === 'R' || letter === 'C') {
        const stat: FileStat = {
          path: fields[i + 2] ?? '',
          oldPath: fields[i + 1] ?? null,
          status: letter,
          additions: 0,
          deletions: 0,
          binary: false,
        };
        files.push(stat);
        byPath.set(stat.path, stat);
        i += 3;
      } else {
        const stat: FileStat = {
          path: fields[i + 1] ?? '',
          oldPath: null,
          status: letter,
          additions: 0,
          deletions: 0,
          binary: false,
        };
        files.push(stat);
        byPath.set(stat.path, stat);
        i += 2;
      }
      continue;
    }
    const m = /^(-|\d+)\t(-|\d+)\t([\s\S]*)$/.exec(f);
    if (!m) {
      i++;
      continue;
    }
    let path = m[3];
    if (path === '') {
      // Rename: "a\td\t" then old path, new path.
      path = fields[i + 2] ?? '';
      i += 3;
    } else {
      i++;
    }
    const stat = byPath.get(path);
    if (!stat) continue;
    stat.binary = m[1] === '-';
    stat.additions = m[1] === '-' ? 0 : Number(m[1]);
    stat.deletions = m[2] === '-' ? 0 : Number(m[2]);
  }
  return files;
}

/** The pretty format `parseLog` reads: fields split by US (0x1f), the header ended by GS (0x1d). */
export const LOG_FORMAT = '%x1e%H%x1f%h%x1f%P%x1f%an%x1f%ae%x1f%at%x1f%s%x1f%b%x1d';

/** Parses `git log -z --raw --numstat --format=LOG_FORMAT`. */
export function parseLog(out: string): CommitInfo[] {
  const commits: CommitInfo[] = [];
  for (const record of out.split('\x1e')) {
    if (!record.trim()) continue;
    const end = record.indexOf('\x1d');
    if (end < 0) continue;
    const [
      sha = '',
      shortSha = '',
      parents = '',
      authorName = '',
      authorEmail = '',
      at = '0',
      subject = '',
      body = '',
    ] = record.slice(0, end).split('\x1f');
    const rest = record.slice(end + 1).split('\0');
    commits.push({
      sha,
      shortSha,
      parents: parents.split(' ').filter(Boolean),
      authorName,
      authorEmail,
      authoredAt: Number(at) * 1000,
      subject,
      body: body.trim(),
      files: parseRawNumstat(rest),
    });
  }
  return commits;
}

/** Parses `git diff --numstat -z` without renames: path → counts. */
export function parseNumstat(out: string): Map<string, { additions: number; deletions: number; binary: boolean }> {
  const stats = new Map<string, { additions: number; deletions: number; binary: boolean }>();
  for (const field of out.split('\0')) {
    const m = /^(-|\d+)\t(-|\d+)\t([\s\S]+)$/.exec(field);
    if (!m) continue;
    stats.set(m[3], {
      additions: m[1] === '-' ? 0 : Number(m[1]),
      deletions: m[2] === '-' ? 0 : Number(m[2]),
      binary: m[1] === '-',
    });
  }
  return stats;
}

/** One entry of `git status --porcelain=v2 -z --no-renames`. */
export interface StatusEntry {
  path: string;
  x: string;
  y: string;
  untracked: boolean;
  conflicted: boolean;
}

/** Parses `git status --porcelain=v2 -z` (renames appear only without --no-renames; both forms are read). */
export function parseStatusV2(out: string): StatusEntry[] {
  const entries: StatusEntry[] = [];
  const fields = out.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (!f) continue;
    const kind = f.charAt(0);
    if (kind === '?') {
      entries.push({ path: f.slice(2), x: '?', y: '?', untracked: true, conflicted: false });
    } else if (kind === '1') {
      // 1 XY sub mH mI mW hH hI path
      const parts = f.split(' ');
      entries.push({
        path: parts.slice(8).join(' '),
        x: parts[1].charAt(0),
        y: parts[1].charAt(1),
        untracked: false,
        conflicted: false,
      });
    } else if (kind === '2') {
      // 2 XY sub mH mI mW hH hI Xscore path, then the original path as its own field.
      const parts = f.split(' ');
      entries.push({
        path: parts.slice(9).join(' '),
        x: parts[1].charAt(0),
        y: parts[1].charAt(1),
        untracked: false,
        conflicted: false,
      });
      i++;
    } else if (kind === 'u') {
      // u XY sub m1 m2 m3 mW h1 h2 h3 path
      const parts = f.split(' ');
      entries.push({
        path: parts.slice(10).join(' '),
        x: parts[1].charAt(0),
        y: parts[1].charAt(1),
        untracked: false,
        conflicted: true,
      });
    }
  }
  return entries;
}

/** git's own path order (bytewise), so lists read the same as `git status`. */
export function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Turns status entries and line counts into the review's list of changed files. */
export function toChangedFiles(
  entries: readonly StatusEntry[],
  counts: (path: string) => { additions: number; deletions: number },
): ChangedFile[] {
  return entries
    .map((e) => ({
      path: e.path,
      oldPath: null,
      staged: e.untracked ? '?' : e.conflicted ? 'U' : e.x,
      unstaged: e.untracked ? '?' : e.conflicted ? 'U' : e.y,
      untracked: e.untracked,
      conflicted: e.conflicted,
      ...counts(e.path),
    }))
    .sort((a, b) => byPath(a.path, b.path));
}

/**
 * Names an unmerged path's conflict from the session's point of view. In a rebase git's "ours" is
 * the base being replayed onto and "theirs" the session's commit; in a merge of the base into the
 * session branch it is the other way round.
 */
export function conflictKind(x: string, y: string, op: 'rebase' | 'merge'): ConflictFile['kind'] {
  const us = op === 'rebase' ? 'base' : 'session';
  const them = op === 'rebase' ? 'session' : 'base';
  switch (`${x}${y}`) {
    case 'UU':
      return 'both-modified';
    case 'AA':
      return 'both-added';
    case 'DD':
      return 'both-deleted';
    case 'AU':
      return `added-by-${us}`;
    case 'UA':
      return `added-by-${them}`;
    case 'DU':
      return `deleted-by-${us}`;
    case 'UD':
      return `deleted-by-${them}`;
    default:
      return 'conflict';
  }
}

/** Parses `git merge-tree --write-tree --name-only -z --no-messages`: the tree and the conflicted paths. */
export function parseMergeTree(out: string): { tree: string; conflicts: string[] } {
  const fields = out.split('\0');
  const tree = (fields[0] ?? '').trim();
  const conflicts: string[] = [];
  for (let i = 1; i < fields.length; i++) {
    if (fields[i] === '') break;
    if (!conflicts.includes(fields[i])) conflicts.push(fields[i]);
  }
  return { tree, conflicts };
}

/**
 * Splits a multi-file unified diff into one chunk per file, in git's order (which is the order of
 * the same command's `--raw` listing).
 */
export function splitPatch(patch: string): string[] {
  // Content lines start with ' ', '+' or '-', so a line starting "diff --git " is always a header.
  const starts: number[] = patch.startsWith('diff --git ') ? [0] : [];
  for (let i = patch.indexOf('\ndiff --git '); i >= 0; i = patch.indexOf('\ndiff --git ', i + 1)) starts.push(i + 1);
  return starts.map((s, k) => patch.slice(s, starts[k + 1] ?? patch.length));
}
