import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitClient } from './git-client';

/** The file other tools share (Claude Code, Codex, Conductor…): gitignore-style patterns of ignored files to copy. */
export const WORKTREE_INCLUDE = '.worktreeinclude';
/** A pattern that reaches into a dependency tree would copy file by file; past this the rest is left out. */
export const MAX_INCLUDED = 5000;

export interface WorktreeIncludeFiles {
  /** The `.worktreeinclude` that was read. */
  file: string;
  /** Repository-relative files it selects: they match a pattern and git ignores them. */
  paths: string[];
  /** More files matched than MAX_INCLUDED. */
  truncated: boolean;
}

function nulList(out: string): string[] {
  return out.split('\0').filter(Boolean);
}

/**
 * The files a repository's `.worktreeinclude` asks to carry into new worktrees. `content` is the
 * file's text as the user trusted it (it is matched from a private copy, so a file changed since
 * cannot slip in). Git itself matches the patterns (the full gitignore syntax: `!`, anchors, `**`),
 * and only files git ignores are taken — a tracked file, or an untracked one the user has not
 * ignored, is never copied this way.
 */
export async function worktreeIncludeFiles(
  git: GitClient,
  repoRoot: string,
  content: string,
): Promise<WorktreeIncludeFiles> {
  const file = join(repoRoot, WORKTREE_INCLUDE);
  const dir = await mkdtemp(join(tmpdir(), 'ms-include-'));
  const copy = join(dir, 'worktreeinclude');
  try {
    await writeFile(copy, content, { mode: 0o600 });
    const [matched, ignored] = await Promise.all([
      git.run(repoRoot, ['ls-files', '-z', '--others', '--ignored', `--exclude-from=${copy}`]),
      // Ignored entries with whole ignored folders collapsed to "dir/" (git does not walk into them).
      git.run(repoRoot, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory']),
    ]);
    const ignoredFiles = new Set<string>();
    const ignoredDirs: string[] = [];
    for (const e of nulList(ignored)) {
      if (e.endsWith('/')) ignoredDirs.push(e);
      else ignoredFiles.add(e);
    }
    const isIgnored = (p: string) => ignoredFiles.has(p) || ignoredDirs.some((d) => p.startsWith(d));
    const paths = nulList(matched).filter(isIgnored);
    return { file, paths: paths.slice(0, MAX_INCLUDED), truncated: paths.length > MAX_INCLUDED };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
