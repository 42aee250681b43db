import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { simpleGit, type SimpleGit } from 'simple-git';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../core/logger';
import { gitFailureToAppError } from './git-errors';

/** What a git process left behind; `exitCode` is git's own, never a simple-git placeholder. */
export interface GitRunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A git process that exited non-zero; mapped to an `AppError` before it leaves the client. */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly cwd: string,
    readonly exitCode: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(stderr.trim() || stdout.trim() || `git exited with code ${exitCode}`);
    this.name = 'GitCommandError';
  }
}

export interface GitClientOptions {
  /** The git executable; default `git` from PATH. */
  binary?: string;
  /** Most git processes alive at once across the whole engine (avoids process storms); default 6. */
  maxConcurrent?: number;
  log?: Logger;
}

// Variables we set ourselves; simple-git refuses guarded (GIT_*, EDITOR…) keys unless allow-listed.
const OWN_ENV: Record<string, string> = {
  // Never wait on a credential prompt or an editor: there is no terminal behind this process.
  GIT_TERMINAL_PROMPT: '0',
  GIT_EDITOR: 'true',
  GIT_SEQUENCE_EDITOR: 'true',
  GIT_MERGE_AUTOEDIT: 'no',
  GIT_PAGER: 'cat',
  // Error messages are matched in English.
  LC_ALL: 'C',
  LANGUAGE: 'C',
};

// Ambient variables that would redirect git (GIT_DIR from a hook, GIT_INDEX_FILE…) or run programs.
const AMBIENT_BLOCKED = new Set(['editor', 'visual', 'pager', 'prefix', 'ssh_askpass', 'lc_all', 'language']);

function gitEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    const lower = key.toLowerCase();
    if (lower.startsWith('git') || AMBIENT_BLOCKED.has(lower)) continue;
    env[key] = value;
  }
  return { ...env, ...OWN_ENV };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The one way the engine runs git: argv arrays only (no shell ever sees them), a fixed
 * non-interactive environment, a global cap on concurrent git processes, and failures turned
 * into typed `AppError`s.
 */
export class GitClient {
  private readonly binary: string;
  private readonly maxConcurrent: number;
  private readonly log: Logger | undefined;
  private readonly env = gitEnvironment();
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(opts: GitClientOptions = {}) {
    this.binary = opts.binary ?? 'git';
    this.maxConcurrent = Math.max(1, opts.maxConcurrent ?? 6);
    this.log = opts.log;
  }

  /** Runs git in `cwd` and returns stdout; a non-zero exit throws a mapped `AppError`. */
  async run(cwd: string, args: readonly string[]): Promise<string> {
    const result = await this.exec(cwd, args);
    if (result.exitCode !== 0) {
      throw gitFailureToAppError(new GitCommandError(args, cwd, result.exitCode, result.stdout, result.stderr));
    }
    return result.stdout;
  }

  /**
   * Runs git and reports the exit code instead of throwing on it (for commands whose exit code is
   * the answer: `rev-parse --verify --quiet`, `diff --quiet`, `check-ref-format`). Throws only
   * when git could not run at all.
   */
  async exec(cwd: string | null, args: readonly string[]): Promise<GitRunResult> {
    const dir = cwd ?? tmpdir();
    if (!isDirectory(dir)) {
      throw new AppError('NOT_A_DIRECTORY', `\`${dir}\` is not a folder — pick an existing folder.`, { path: dir });
    }
    await this.acquire();
    try {
      return await this.spawn(dir, args);
    } finally {
      this.release();
    }
  }

  private async spawn(cwd: string, args: readonly string[]): Promise<GitRunResult> {
    let failure: GitCommandError | null = null;
    const git: SimpleGit = simpleGit({
      baseDir: cwd,
      binary: this.binary,
      maxConcurrentProcesses: 1,
      trimmed: false,
      allowEnvironment: Object.keys(OWN_ENV),
      unsafe: { allowUnsafeEditor: true, allowUnsafePager: true },
      // Every non-zero exit is a failure, even with empty stderr (simple-git's default lets those pass).
      errors: (error, result) => {
        if (result.exitCode === 0) return error;
        failure = new GitCommandError(
          args,
          cwd,
          result.exitCode,
          Buffer.concat(result.stdOut).toString('utf8'),
          Buffer.concat(result.stdErr).toString('utf8'),
        );
        return failure;
      },
    }).env(this.env);
    try {
      const stdout = await git.raw([...args]);
      return { exitCode: 0, stdout, stderr: '' };
    } catch (e) {
      if (failure) {
        const f: GitCommandError = failure;
        return { exitCode: f.exitCode, stdout: f.stdout, stderr: f.stderr };
      }
      const message = e instanceof Error ? e.message : String(e);
      this.log?.error('git', `git ${args[0] ?? ''} could not run in ${cwd}`, e);
      if (/ENOENT/.test(message)) {
        throw new AppError('GIT_ERROR', 'git is not installed or not on PATH — install git and restart.', {
          binary: this.binary,
        });
      }
      throw new AppError('GIT_ERROR', `git ${args[0] ?? ''} could not run: ${message}`, { args: [...args], cwd });
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.maxConcurrent) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // Hand the slot straight to the next waiter so `active` stays accurate.
    if (next) next();
    else this.active--;
  }
}
