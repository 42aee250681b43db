import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LossItem } from '../../../shared/removal';
import type { GitClient } from '../git/git-client';
import { contentHash } from './content-hash';

/** Files the app put in a worktree when creating it: relative path → content hash at that time. */
export type PlacedFiles = ReadonlyMap<string, string>;

/**
 * Ignored folders that hold build output or downloaded dependencies, never work: an ignored `.env`
 * inside them is not looked for.
 */
export const BUILD_OUTPUT_DIRS = [
  'node_modules',
  'dist',
  'build',
  'out',
  'target',
  '.next',
  '.nuxt',
  '.cache',
  'coverage',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.gradle',
  '.turbo',
  '.parcel-cache',
];

/** Ignored files that are work by default (listed by name when they are new or edited). */
export const DEFAULT_KEEP_IGNORED = ['.env*'];

/** Nested submodules are followed this deep. */
const MAX_SUBMODULE_DEPTH = 3;

interface StatusEntry {
  kind: 'tracked' | 'untracked' | 'submodule';
  path: string;
  /** Two-letter XY code (tracked) or the submodule flags `S<c><m><u>`. */
  code: string;
  from?: string;
}

/** Parses `git status --porcelain=v2 -z` (ordinary, renamed, unmerged and untracked entries). */
export function parseStatusV2(out: string): StatusEntry[] {
  const fields = out.split('\0');
  const entries: StatusEntry[] = [];
  // Fields before the path: ordinary 8, renamed 9 (then the source path), unmerged 10.
  const before: Record<string, number> = { '1': 8, '2': 9, u: 10 };
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (!f) continue;
    const type = f[0];
    if (type === '?') {
      entries.push({ kind: 'untracked', path: f.slice(2), code: '??' });
      continue;
    }
    const count = before[type];
    if (count === undefined) continue;
    const parts = f.split(' ');
    const path = parts.slice(count).join(' ');
    const xy = parts[1] ?? '..';
    const sub = parts[2] ?? 'N...';
    const from = type === '2' ? fields[++i] : undefined;
    if (sub.startsWith('S')) entries.push({ kind: 'submodule', path, code: sub });
    else entries.push({ kind: 'tracked', path, code: type === 'u' ? 'UU' : xy, from });
  }
  return entries;
}

function describeTracked(e: StatusEntry): string {
  if (e.code === 'UU') return `${e.path} (unresolved merge conflict)`;
  if (e.from) return `${e.path} (renamed from ${e.from}, not committed)`;
  const c = e.code.replace(/\./g, '');
  if (c.includes('D')) return `${e.path} (deleted, not committed)`;
  if (c.includes('A')) return `${e.path} (added, not committed)`;
  return `${e.path} (changed, not committed)`;
}

/** `.env*` → `:(glob)**\/.env*`; a pattern with a slash is anchored at the worktree's top. */
function keepPathspec(pattern: string): string {
  const p = pattern.trim().replace(/^\/+/, '');
  return p.includes('/') ? `:(glob)${p}` : `:(glob)**/${p}`;
}

async function placedUnchanged(placed: PlacedFiles, root: string, path: string, hash?: string): Promise<boolean> {
  const at = placed.get(path);
  if (at === undefined) return false;
  return at === (hash ?? (await contentHash(join(root, path))));
}

/**
 * What in a worktree's folder is work its removal would destroy: uncommitted changes (tracked),
 * untracked files, ignored files matching the keep patterns outside build-output folders, and
 * submodules with changes or commits their remotes do not have. Files the app placed at creation
 * and nobody edited since are not work. Any git failure throws (the caller answers "cannot tell").
 */
export async function workInWorktree(
  git: GitClient,
  worktree: string,
  opts: { placed: PlacedFiles; keepIgnoredPatterns: readonly string[]; depth?: number },
): Promise<LossItem[]> {
  const items: LossItem[] = [];
  const status = await git.run(worktree, [
    'status',
    '--porcelain=v2',
    '-z',
    '--untracked-files=all',
    '--ignore-submodules=none',
  ]);
  const entries = parseStatusV2(status);
  for (const e of entries) {
    if (e.kind === 'submodule') continue;
    const hash = await contentHash(join(worktree, e.path));
    if (await placedUnchanged(opts.placed, worktree, e.path, hash)) continue;
    if (e.kind === 'untracked') {
      items.push({
        kind: 'untracked',
        subject: e.path,
        detail: `${e.path} (untracked file)`,
        key: `u:${e.path}:${hash}`,
      });
    } else {
      items.push({
        kind: 'uncommitted',
        subject: e.path,
        detail: describeTracked(e),
        key: `c:${e.path}:${e.code}:${hash}`,
      });
    }
  }
  const subs = await submodules(
    git,
    worktree,
    entries.filter((e) => e.kind === 'submodule'),
  );
  for (const [rel, code] of subs) {
    const item = await submoduleWork(git, worktree, rel, code, opts.depth ?? 0);
    if (item) items.push(item);
  }
  if (opts.keepIgnoredPatterns.length > 0) {
    const specs = [
      ...opts.keepIgnoredPatterns.filter((p) => p.trim()).map(keepPathspec),
      ...BUILD_OUTPUT_DIRS.map((d) => `:(exclude,glob)**/${d}/**`),
    ];
    const out = await git.run(worktree, [
      'ls-files',
      '-z',
      '--others',
      '--ignored',
      '--exclude-standard',
      '--',
      ...specs,
    ]);
    for (const path of out.split('\0').filter(Boolean)) {
      const hash = await contentHash(join(worktree, path));
      if (await placedUnchanged(opts.placed, worktree, path, hash)) continue;
      items.push({
        kind: 'ignored-work',
        subject: path,
        detail: `${path} (ignored by git, but new or edited — e.g. local settings or secrets)`,
        key: `i:${path}:${hash}`,
      });
    }
  }
  return items;
}

/** Submodules of the worktree: those `git status` reports plus every checked-in gitlink. */
async function submodules(git: GitClient, worktree: string, fromStatus: StatusEntry[]): Promise<Map<string, string>> {
  const subs = new Map(fromStatus.map((e) => [e.path, e.code]));
  if (!existsSync(join(worktree, '.gitmodules'))) return subs;
  const out = await git.run(worktree, ['ls-files', '-z', '--stage']);
  for (const line of out.split('\0')) {
    if (!line.startsWith('160000 ')) continue;
    const path = line.slice(line.indexOf('\t') + 1);
    if (!subs.has(path)) subs.set(path, 'S...');
  }
  return subs;
}

/**
 * A submodule with changes, a moved commit, or commits none of its remotes has. Its git data
 * lives inside the worktree's own git folder, so removing the worktree takes those commits along.
 */
async function submoduleWork(
  git: GitClient,
  worktree: string,
  rel: string,
  code: string,
  depth: number,
): Promise<LossItem | null> {
  const path = join(worktree, rel);
  const [, commitMoved, tracked, untracked] = code;
  const what: string[] = [];
  if (commitMoved === 'C') what.push('is at a different commit than recorded');
  if (tracked === 'M') what.push('has uncommitted changes');
  if (untracked === 'U') what.push('has untracked files');
  let identity = code;
  if (existsSync(join(path, '.git'))) {
    const head = (await git.run(path, ['rev-parse', 'HEAD'])).trim();
    const unpushed = (await git.run(path, ['rev-list', '--all', '--not', '--remotes'])).split('\n').filter(Boolean);
    if (unpushed.length > 0) what.push(`has ${unpushed.length} commit(s) that none of its remotes has`);
    identity += `:${head}:${unpushed.join(',')}`;
    if (depth < MAX_SUBMODULE_DEPTH && (tracked === 'M' || untracked === 'U')) {
      const inner = await workInWorktree(git, path, { placed: new Map(), keepIgnoredPatterns: [], depth: depth + 1 });
      identity += `:${inner.map((i) => i.key).join('|')}`;
    }
  }
  if (what.length === 0) return null;
  return {
    kind: 'submodule',
    subject: rel,
    detail: `submodule ${rel} ${what.join(', ')}`,
    key: `s:${rel}:${identity}`,
  };
}
