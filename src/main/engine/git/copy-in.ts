import type { Dirent } from 'node:fs';
import { cp, lstat, mkdir, readdir, readlink, realpath, symlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, sep } from 'node:path';

export interface CopyInResult {
  /** Relative paths copied into the worktree. */
  copied: string[];
  /** Matches or patterns left out, with why (outside the repository, already present, …). */
  skipped: { path: string; reason: string }[];
}

// Matching never looks inside these: git's own data, and trees too big to walk for a config file.
const NEVER_WALK = new Set(['.git', 'node_modules']);
const MAX_MATCHES = 5000;

function hasGlob(segment: string): boolean {
  return /[*?]/.test(segment);
}

function segmentRegex(segment: string): RegExp {
  const body = segment
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

async function entries(dir: string): Promise<Dirent[]> {
  return readdir(dir, { withFileTypes: true }).catch(() => []);
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Expands one pattern (`*`, `?` within a segment, `**` for any depth) to relative paths that exist. */
async function expand(root: string, segments: string[], rel: string, out: Set<string>): Promise<void> {
  if (out.size >= MAX_MATCHES) return;
  if (segments.length === 0) {
    if (rel) out.add(rel);
    return;
  }
  const [segment, ...rest] = segments;
  const dir = join(root, rel);
  if (segment === '**') {
    await expand(root, rest, rel, out);
    for (const e of await entries(dir)) {
      if (e.isDirectory() && !NEVER_WALK.has(e.name)) await expand(root, segments, join(rel, e.name), out);
    }
    return;
  }
  if (!hasGlob(segment)) {
    const exists = await lstat(join(dir, segment)).then(
      () => true,
      () => false,
    );
    if (exists) await expand(root, rest, join(rel, segment), out);
    return;
  }
  const re = segmentRegex(segment);
  // Like a shell, a wildcard does not match a leading dot unless the pattern starts with one.
  const dotOk = segment.startsWith('.');
  for (const e of await entries(dir)) {
    if (NEVER_WALK.has(e.name) || (!dotOk && e.name.startsWith('.'))) continue;
    if (re.test(e.name)) await expand(root, rest, join(rel, e.name), out);
  }
}

/** Whether a symlink (or a path through one) stays inside `realRoot` once resolved. */
async function resolvesInside(realRoot: string, path: string): Promise<boolean> {
  const real = await realpath(path).catch(() => null);
  return real !== null && inside(realRoot, real);
}

/**
 * Copies untracked files matching `patterns` (e.g. `.env`, `config/*.local.json`) — and the
 * repository-relative `paths` chosen elsewhere (the `.worktreeinclude` selection) — from the
 * repository into a fresh worktree. Missing matches are skipped; nothing already present in the
 * worktree is overwritten (tracked files are there already); no symlink is followed out of the
 * repository, and nothing is written through a symlink out of the worktree.
 */
export async function copyIn(
  repoRoot: string,
  worktreePath: string,
  patterns: string[],
  paths: readonly string[] = [],
): Promise<CopyInResult> {
  const result: CopyInResult = { copied: [], skipped: [] };
  const realRoot = await realpath(repoRoot);
  const realWorktree = await realpath(worktreePath);
  const matches = new Set<string>();
  for (const p of paths) {
    const segments = p.split('/').filter(Boolean);
    if (isAbsolute(p) || segments.includes('..') || segments.includes('.git') || segments.length === 0) {
      result.skipped.push({ path: p, reason: 'paths must be inside the repository' });
      continue;
    }
    matches.add(segments.join(sep));
  }
  for (const raw of patterns) {
    const pattern = raw.trim().replace(/\\/g, '/');
    if (!pattern || pattern.startsWith('#')) continue;
    const segments = pattern.split('/').filter((s) => s.length > 0 && s !== '.');
    if (isAbsolute(pattern) || segments.includes('..') || segments.length === 0) {
      result.skipped.push({ path: raw, reason: 'patterns must be relative to the repository, without ..' });
      continue;
    }
    await expand(realRoot, segments, '', matches);
  }

  for (const rel of [...matches].sort()) {
    const src = join(realRoot, rel);
    const dest = join(realWorktree, rel);
    if (!(await resolvesInside(realRoot, src))) {
      result.skipped.push({ path: rel, reason: 'points outside the repository' });
      continue;
    }
    if (
      await lstat(dest).then(
        () => true,
        () => false,
      )
    ) {
      result.skipped.push({ path: rel, reason: 'already present in the worktree' });
      continue;
    }
    await mkdir(dirname(dest), { recursive: true });
    if (!(await resolvesInside(realWorktree, dirname(dest)))) {
      result.skipped.push({ path: rel, reason: 'its folder in the worktree points outside the worktree' });
      continue;
    }
    const info = await lstat(src);
    if (info.isSymbolicLink()) {
      await symlink(await readlink(src), dest);
    } else {
      await cp(src, dest, {
        recursive: true,
        force: false,
        errorOnExist: false,
        verbatimSymlinks: true,
        // Inside a copied folder, leave out git data and links that lead out of the repository.
        filter: async (from) => {
          if (from.slice(realRoot.length).split(sep).includes('.git')) return false;
          const st = await lstat(from);
          return !st.isSymbolicLink() || resolvesInside(realRoot, from);
        },
      });
    }
    result.copied.push(rel);
  }
  return result;
}
