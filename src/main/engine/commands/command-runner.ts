import type { ChildProcess } from 'node:child_process';
import { killTree } from '../process/process-tree';
import { buildPtyEnv } from '../terminals/pty-env';
import { resolveProgram } from '../terminals/program-resolver';
import { behindScope } from '../limits/systemd-scope';
import { spawnIsolated, type SpawnRecord } from '../process/isolated-spawn';
import { TailBuffer } from './output-tail';
import { shellJoin } from '../../../shared/command-line';

export interface RunCommandOptions {
  cwd: string;
  command: string;
  args: string[];
  /** Run `command` and the quoted `args` through /bin/sh -c. Only when the user asked for a shell. */
  shell: boolean;
  /** The session's own variables, on top of the allow-listed host environment. */
  env: Record<string, string>;
  timeoutMs: number | null;
  /** Per stream; the tail is kept. Default 1 MB. */
  maxOutputBytes?: number;
  signal?: AbortSignal;
  /** cgroup.procs files the command joins before it execs (its session's kernel limits). */
  cgroupProcs?: string[];
  /** `systemd-run --user --scope … --` to start the command behind (cgroup v2 through systemd). */
  scope?: readonly string[];
  /** Host variables passed through on top of the allow-list. */
  passEnv?: readonly string[];
  /** Told the pid at its spawn (the process ledger); the program runs once it is recorded. */
  onSpawn?: (pid: number) => SpawnRecord;
}

function missingProgram(file: string, cwd: string, path: string | undefined): string | null {
  try {
    resolveProgram(file, cwd, path);
    return null;
  } catch (e) {
    return `ENOENT: ${(e as Error).message}`;
  }
}

export interface RunCommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  durationMs: number;
  timedOut: boolean;
  /** Stopped through the abort signal. */
  cancelled: boolean;
  /** Why the program could not be started (`ENOENT: …`), else null. */
  spawnError: string | null;
  /** errno code of a spawn failure (`ENOENT`, `EACCES`), else null. */
  spawnErrorCode: string | null;
}

const DEFAULT_MAX_OUTPUT = 1024 * 1024;
/** After the program exits, how long a leftover background child may hold our pipes open. */
const STDIO_DRAIN_MS = 300;

/** The argv actually spawned: the program itself, or /bin/sh -c with the arguments quoted. */
export function commandArgv(command: string, args: string[], shell: boolean): [string, string[]] {
  if (!shell) return [command, args];
  const script = [command, shellJoin(args)].filter(Boolean).join(' ');
  return ['/bin/sh', ['-c', script]];
}

/**
 * Runs one non-interactive program (no stdin, no shell unless asked) in its own process group,
 * so that a timeout or an abort kills the whole tree it started, and collects bounded output.
 * Never rejects: spawn failures, timeouts and cancellation are reported in the result.
 */
export function runCommand(opts: RunCommandOptions): Promise<RunCommandResult> {
  const started = performance.now();
  const maxBytes = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const out = new TailBuffer(maxBytes);
  const err = new TailBuffer(maxBytes);
  const elapsed = () => Math.round(performance.now() - started);
  const result = (partial: Partial<RunCommandResult> & Pick<RunCommandResult, 'exitCode'>): RunCommandResult => ({
    stdout: out.text(),
    stderr: err.text(),
    truncated: out.truncated || err.truncated,
    durationMs: elapsed(),
    timedOut: false,
    cancelled: false,
    spawnError: null,
    spawnErrorCode: null,
    ...partial,
  });

  if (opts.signal?.aborted) return Promise.resolve(result({ exitCode: null, cancelled: true }));

  const [file, argv] = commandArgv(opts.command, opts.args, opts.shell);
  const env = buildPtyEnv(opts.env, process.env, opts.passEnv);
  // The wrapper execs the program itself, so a missing one is found here, as spawn would have.
  const missing = missingProgram(file, opts.cwd, env.PATH);
  if (missing) return Promise.resolve(result({ exitCode: null, spawnError: missing, spawnErrorCode: 'ENOENT' }));
  const placed = behindScope(opts.scope ?? [], file, argv);
  let child: ChildProcess;
  try {
    child = spawnIsolated(
      placed.file,
      placed.args,
      { cwd: opts.cwd, env, detached: true, windowsHide: true },
      { cgroupProcs: opts.cgroupProcs, onSpawn: opts.onSpawn },
    );
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EINVAL';
    return Promise.resolve(
      result({ exitCode: null, spawnError: `${code}: ${(e as Error).message}`, spawnErrorCode: code }),
    );
  }

  return new Promise<RunCommandResult>((resolve) => {
    let settled = false;
    let timedOut = false;
    let cancelled = false;
    let exitCode: number | null = null;
    let killing: Promise<unknown> | null = null;
    let drainTimer: NodeJS.Timeout | null = null;

    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));

    const stop = () => {
      if (!killing && child.pid !== undefined) killing = killTree(child.pid, { graceMs: 1500 });
      return killing ?? Promise.resolve();
    };
    const timer =
      opts.timeoutMs !== null
        ? setTimeout(() => {
            timedOut = true;
            void stop();
          }, opts.timeoutMs)
        : null;
    const onAbort = () => {
      cancelled = true;
      void stop();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (partial: Partial<RunCommandResult>) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (drainTimer) clearTimeout(drainTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      void (killing ?? Promise.resolve()).then(() => resolve(result({ exitCode, timedOut, cancelled, ...partial })));
    };

    child.on('error', (e: NodeJS.ErrnoException) => {
      // Spawn failures have no pid; errors of a running child (rare: kill EPERM) are not fatal.
      if (child.pid === undefined) {
        const code = e.code ?? 'UNKNOWN';
        finish({ exitCode: null, spawnError: `${code}: ${e.message}`, spawnErrorCode: code });
      }
    });
    child.on('exit', (code) => {
      exitCode = code;
      // A background grandchild may keep stdout open forever; do not wait for it past a short drain.
      drainTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish({});
      }, STDIO_DRAIN_MS);
    });
    child.on('close', (code) => {
      if (code !== null) exitCode = code;
      finish({});
    });
  });
}
