import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The benchmark's git must not pick up a hook's GIT_DIR or the user's signing and editor setup. */
export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toUpperCase().startsWith('GIT_')) env[k] = v;
  return { ...env, GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };
}

export async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, env: gitEnv(), maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** A fresh temp folder (real path) that the benchmark deletes at the end. */
export function tempDir(root: string, prefix: string): string {
  return realpathSync(mkdtempSync(join(root, prefix)));
}

export function benchRoot(): string {
  return tempDir(tmpdir(), 'ms-bench-');
}

/**
 * A repository with `files` tracked files spread over folders of 100 (a source tree, not one huge
 * directory), committed on `main`.
 */
export async function makeSyntheticRepo(parent: string, files: number): Promise<string> {
  const repo = join(parent, `repo-${files}`);
  mkdirSync(repo, { recursive: true });
  await git(repo, ['init', '--quiet', '-b', 'main']);
  await git(repo, ['config', 'user.name', 'Multisession Bench']);
  await git(repo, ['config', 'user.email', 'bench@multisession.invalid']);
  await git(repo, ['config', 'commit.gpgsign', 'false']);
  for (let i = 0; i < files; i++) {
    const dir = join(repo, 'src', `pkg-${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `module-${i}.ts`),
      `// synthetic module ${i}\nexport const value${i} = ${i};\nexport function f${i}(x: number): number {\n  return x + ${i};\n}\n`,
    );
  }
  writeFileSync(join(repo, 'README.md'), `# synthetic repository with ${files} files\n`);
  await git(repo, ['add', '--all']);
  await git(repo, ['commit', '--quiet', '-m', `synthetic tree of ${files} files`]);
  return repo;
}

/** Forgets worktrees whose folders are gone and deletes every branch but main, so runs start alike. */
export async function resetRepo(repo: string): Promise<void> {
  await git(repo, ['worktree', 'prune']);
  const branches = (await git(repo, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/']))
    .split('\n')
    .map((b) => b.trim())
    .filter((b) => b && b !== 'main');
  for (let i = 0; i < branches.length; i += 200) {
    await git(repo, ['branch', '-D', '--quiet', ...branches.slice(i, i + 200)]);
  }
}

export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true, maxRetries: 3 });
}
