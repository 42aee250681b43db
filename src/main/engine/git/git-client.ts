import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../core/logger';
import { GitCommandError } from './git-command-error';
import { gitFailureToAppError } from './git-errors';

export { GitCommandError } from './git-command-error';

/** What a git process left behind; `exitCode` is git's own. */
export interface GitRunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface GitExecOptions {
  /** Background work (the worktree pool): lowest CPU priority, which also lowers its I/O class. */
  background?: boolean;
  /** Kill git after this long and fail with TIMEOUT (a stuck filesystem must not hang a caller). */
  timeoutMs?: number;
  /** Extra git variables for this call; only the keys in `CALL_ENV_KEYS` are accepted. */
  env?: Record<string, string>;
}

// Variables a caller may set for one git call, each needed by an operation that must not touch the
// user's own state: a private index to snapshot a worktree, a fixed identity for synthetic commits.
const CALL_ENV_KEYS = new Set([
  'GIT_INDEX_FILE',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_COMMITTER_DATE',
]);

export interface GitClientOptions {
  /** The git executable; default `git` from PATH. */
  binary?: string;
  /** Most git processes alive at once across the whole engine (avoids process storms); default 6. */
  maxConcurrent?: number;
  log?: Logger;
}

/** Niceness of background git processes (the worktree pool): they must never compete with the user. */
const BACKGROUND_NICENESS = 19;

// Variables we set ourselves.
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
 * non-interactive environment, a global cap on concurrent git processes, optional background
 * priority and timeout, and failures turned into typed `AppError`s. A plain `spawn` — a git
 * process costs exactly what git costs (no wrapper waiting for output that never comes).
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

  /**
   * The same client (same process cap) with `defaults` applied to every call that does not set
   * them itself — e.g. the removal check's time limit, so a hung git answers "cannot tell".
   */
  withDefaults(defaults: GitExecOptions): GitClient {
    const view = Object.create(this) as GitClient;
    view.run = (cwd, args, opts = {}) => this.run(cwd, args, { ...defaults, ...opts });
    view.exec = (cwd, args, opts = {}) => this.exec(cwd, args, { ...defaults, ...opts });
    view.withDefaults = (more) => this.withDefaults({ ...defaults, ...more });
    return view;
  }

  /** Runs git in `cwd` and returns stdout; a non-zero exit throws a mapped `AppError`. */
  async run(cwd: string, args: readonly string[], opts: GitExecOptions = {}): Promise<string> {
    const result = await this.exec(cwd, args, opts);
    if (result.exitCode !== 0) {
      throw gitFailureToAppError(new GitCommandError(args, cwd, result.exitCode, result.stdout, result.stderr));
    }
    return result.stdout;
  }

  /**
   * Runs git and reports the exit code instead of throwing on it (for commands whose exit code is
   * the answer: `rev-parse --verify --quiet`, `diff --quiet`, `check-ref-format`). Throws only
   * when git could not run at all (or timed out).
   */
  async exec(cwd: string | null, args: readonly string[], opts: GitExecOptions = {}): Promise<GitRunResult> {
    const dir = cwd ?? tmpdir();
    for (const key of Object.keys(opts.env ?? {})) {
      if (!CALL_ENV_KEYS.has(key)) throw new AppError('INTERNAL', `git variable ${key} cannot be set per call.`);
    }
    if (!isDirectory(dir)) {
      throw new AppError('NOT_A_DIRECTORY', `\`${dir}\` is not a folder — pick an existing folder.`, { path: dir });
    }
    await this.acquire();
    try {
      return await this.spawnGit(dir, args, opts);
    } finally {
      this.release();
    }
  }

  private spawnGit(cwd: string, args: readonly string[], opts: GitExecOptions): Promise<GitRunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, [...args], {
        cwd,
        env: opts.env ? { ...this.env, ...opts.env } : this.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (opts.background && child.pid !== undefined) {
        try {
          setPriority(child.pid, BACKGROUND_NICENESS);
        } catch {
          // Gone already, or not permitted here: it runs at normal priority.
        }
      }
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      let timedOut = false;
      const timer =
        opts.timeoutMs !== undefined
          ? setTimeout(() => {
              timedOut = true;
              child.kill('SIGKILL');
              // A child git started (a hook, a filesystem monitor) may hold the pipes open: stop
              // reading so the timeout answers now, not when that child ends.
              child.stdout.destroy();
              child.stderr.destroy();
            }, opts.timeoutMs)
          : null;
      child.once('error', (e: NodeJS.ErrnoException) => {
        if (timer) clearTimeout(timer);
        this.log?.error('git', `git ${args[0] ?? ''} could not run in ${cwd}`, e);
        reject(
          e.code === 'ENOENT'
            ? new AppError('GIT_ERROR', 'git is not installed or not on PATH — install git and restart.', {
                binary: this.binary,
              })
            : new AppError('GIT_ERROR', `git ${args[0] ?? ''} could not run: ${e.message}`, { args: [...args], cwd }),
        );
      });
      child.once('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        if (timedOut) {
          reject(
            new AppError('TIMEOUT', `git ${args[0] ?? ''} did not finish within ${opts.timeoutMs} ms in ${cwd}.`, {
              args: [...args],
              cwd,
            }),
          );
          return;
        }
        resolve({
          exitCode: code ?? (signal ? 128 : 1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      });
    });
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
