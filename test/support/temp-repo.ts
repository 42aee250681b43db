import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface TempDir {
  /** Real path (symlinks resolved, e.g. /private/var/… on macOS) so it compares equal to what git prints. */
  path: string;
  cleanup(): Promise<void>;
}

export interface TempRepoOptions {
  /** Files of the first commit: a count (`file-1.txt` …) or path → content. Default: a README.md. */
  files?: number | Record<string, string>;
  /** Extra local branches created at the last commit of `main`. */
  branches?: string[];
  /** Number of commits on `main` (default 1); commits after the first change `history.txt`. */
  commits?: number;
  /** Leave a modified tracked file (the first file) uncommitted. */
  dirty?: boolean;
  /** Return a bare clone (with the commits) instead of a working repository. */
  bare?: boolean;
  /** `git init` only: no commits, no files. */
  empty?: boolean;
  /** Local config set after the commits (a working repository only), e.g. `STRIP_OUTPUTS_FILTER`. */
  config?: Record<string, string>;
}

/**
 * A clean filter `strip` that drops lines starting with OUTPUT (as nbstripout drops a notebook's
 * outputs): pair it with `*.ipynb filter=strip` in `.gitattributes`. What it drops is never in git.
 */
export const STRIP_OUTPUTS_FILTER: Record<string, string> = {
  'filter.strip.clean': "sed '/^OUTPUT/d'",
  'filter.strip.smudge': 'cat',
};

// Test repos must not inherit a hook's GIT_DIR or the developer's editor and signing setup.
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toUpperCase().startsWith('GIT_')) env[k] = v;
  return {
    ...env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_EDITOR: 'true',
    GIT_CONFIG_NOSYSTEM: '1',
    LC_ALL: 'C',
  };
}

/** Runs git with argv in `cwd` for test setup and assertions; returns stdout. */
export async function runGit(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** A fresh empty temporary directory. */
export async function makeTempDir(prefix = 'ms-test-'): Promise<TempDir> {
  const path = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  return { path, cleanup: () => rm(path, { recursive: true, force: true, maxRetries: 3 }) };
}

async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const full = join(root, rel);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  }
}

async function initRepo(path: string): Promise<void> {
  await runGit(path, ['init', '--quiet', '-b', 'main']);
  await runGit(path, ['config', 'user.name', 'Multisession Test']);
  await runGit(path, ['config', 'user.email', 'test@multisession.invalid']);
  await runGit(path, ['config', 'commit.gpgsign', 'false']);
}

/**
 * A real git repository in a temporary directory: `main` with commits, optional branches, an
 * optional uncommitted change; or an empty or bare one. `cleanup()` deletes everything.
 */
export async function makeTempRepo(opts: TempRepoOptions = {}): Promise<TempDir> {
  const dir = await makeTempDir('ms-repo-');
  const work = opts.bare ? join(dir.path, 'work') : join(dir.path, 'repo');
  await mkdir(work);
  await initRepo(work);
  if (opts.empty) {
    if (opts.bare) {
      const bare = join(dir.path, 'repo.git');
      await runGit(dir.path, ['init', '--quiet', '--bare', '-b', 'main', bare]);
      return { path: bare, cleanup: dir.cleanup };
    }
    return { path: work, cleanup: dir.cleanup };
  }

  const files: Record<string, string> =
    typeof opts.files === 'number'
      ? Object.fromEntries(
          Array.from({ length: opts.files }, (_, i) => [`file-${i + 1}.txt`, `line of file ${i + 1}\n`]),
        )
      : (opts.files ?? { 'README.md': '# test repository\n' });
  await writeFiles(work, files);
  await runGit(work, ['add', '--all']);
  await runGit(work, ['commit', '--quiet', '--allow-empty', '-m', 'initial commit']);
  const commits = Math.max(1, opts.commits ?? 1);
  for (let i = 2; i <= commits; i++) {
    await writeFiles(work, { 'history.txt': `commit ${i}\n` });
    await runGit(work, ['add', '--all']);
    await runGit(work, ['commit', '--quiet', '-m', `commit ${i}`]);
  }
  for (const branch of opts.branches ?? []) await runGit(work, ['branch', branch]);

  if (opts.bare) {
    const bare = join(dir.path, 'repo.git');
    await runGit(dir.path, ['clone', '--quiet', '--bare', work, bare]);
    return { path: bare, cleanup: dir.cleanup };
  }
  if (opts.dirty) {
    const first = Object.keys(files)[0];
    await writeFiles(work, { [first ?? 'README.md']: 'changed but not committed\n' });
  }
  for (const [key, value] of Object.entries(opts.config ?? {})) await runGit(work, ['config', key, value]);
  return { path: work, cleanup: dir.cleanup };
}
