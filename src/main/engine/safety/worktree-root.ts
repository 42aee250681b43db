import { lstat, mkdir, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, parse, resolve } from 'node:path';
import { AppError } from '../../../shared/errors';
import { expandPath } from '../git/repo-inspection';
import { isInside } from '../git/worktree-paths';

/** The file that marks a folder as a worktree root Multisession created or adopted. */
export const ROOT_MARKER = '.multisession-root';

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** The real path of `path`, resolving symlinks of the part that exists (the rest is appended). */
async function realish(path: string): Promise<string> {
  let head = resolve(path);
  const tail: string[] = [];
  for (;;) {
    const r = await realpath(head).catch(() => null);
    if (r !== null) return tail.length ? join(r, ...tail.reverse()) : r;
    const parent = dirname(head);
    if (parent === head) return resolve(path);
    tail.push(basename(head));
    head = parent;
  }
}

/** The repository whose working tree holds `path` (a `.git` entry in it or a parent), or null. */
async function enclosingRepository(path: string): Promise<string | null> {
  let dir = path;
  for (;;) {
    if (await exists(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

const unsafe = (path: string, why: string) =>
  new AppError(
    'UNSAFE_PATH',
    `The worktree folder cannot be \`${path}\`: ${why}. Choose an empty folder or a new one.`,
    {
      path,
    },
  );

/**
 * Checks a worktree-root setting and returns it expanded (`~` → home, absolute). Refused with
 * UNSAFE_PATH: `/` (or a drive root), the home folder or any folder containing it, a folder inside
 * a git repository, a file, and an existing non-empty folder the app did not create (no root
 * marker). `trusted` (the default root inside the data dir) may be non-empty without a marker.
 */
export async function validateWorktreeRoot(raw: string, opts: { trusted?: string } = {}): Promise<string> {
  const path = expandPath(raw);
  const real = await realish(path);
  if (real === parse(real).root) throw unsafe(raw, 'it is the root of the disk');
  const home = await realish(homedir());
  if (real === home) throw unsafe(raw, 'it is your home folder');
  if (isInside(real, home)) throw unsafe(raw, 'it contains your home folder');
  const repo = await enclosingRepository(real);
  if (repo) throw unsafe(raw, `it is inside the git repository ${repo} (worktrees there would show up as its files)`);
  const info = await stat(real).catch(() => null);
  if (info && !info.isDirectory()) throw unsafe(raw, 'it is a file');
  if (info) {
    const entries = await readdir(real);
    const marked = entries.includes(ROOT_MARKER);
    const trusted = opts.trusted !== undefined && (await realish(opts.trusted)) === real;
    if (entries.length > 0 && !marked && !trusted) {
      throw unsafe(raw, `it already holds ${entries.length} item(s) Multisession did not create`);
    }
  }
  return path;
}

/**
 * Makes sure the worktree root is usable: validated, created if missing, and marked. Called
 * when the setting changes and before each worktree is created.
 */
export async function ensureWorktreeRoot(raw: string, opts: { trusted?: string } = {}): Promise<string> {
  const path = await validateWorktreeRoot(raw, opts);
  await mkdir(path, { recursive: true });
  const marker = join(path, ROOT_MARKER);
  if (!(await exists(marker))) {
    await writeFile(marker, `${JSON.stringify({ app: 'multisession', createdAt: Date.now() })}\n`, { mode: 0o600 });
  }
  return path;
}
