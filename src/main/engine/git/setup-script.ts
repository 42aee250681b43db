import { StringDecoder } from 'node:string_decoder';
import { AppError } from '../../../shared/errors';
import { spawnIsolated, type SpawnRecord } from '../process/isolated-spawn';
import { buildPtyEnv } from '../terminals/pty-env';

const TAIL_CHARS = 4000;

/** Splits a byte stream into whole UTF-8 lines; a line cut at a chunk boundary waits for its end. */
function lineSplitter(onLine: (line: string) => void): { write(chunk: Buffer): void; end(): void } {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  const emit = (text: string) => {
    const lines = (partial + text).split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  };
  return {
    write: (chunk) => emit(decoder.write(chunk)),
    end: () => {
      emit(decoder.end());
      if (partial) onLine(partial);
      partial = '';
    },
  };
}

/**
 * Runs the user's setup script in a new worktree through the system shell (this is the one place a
 * shell is wanted: the user wrote a script). Output is reported line by line; a non-zero exit
 * throws BAD_INPUT with the exit code and the last lines, so the caller can roll back.
 */
export async function runSetupScript(opts: {
  cwd: string;
  script: string;
  env?: Record<string, string>;
  /** Host variables this session also passes through (its own allow-list extension). */
  passEnv?: string[];
  cgroupProcs?: string[];
  onLine?: (line: string) => void;
  /** Told the script's pid at its spawn (the process ledger); the script runs once it is recorded. */
  onSpawn?: (pid: number) => SpawnRecord;
}): Promise<void> {
  const isWindows = process.platform === 'win32';
  const shell = isWindows ? (process.env.ComSpec ?? 'cmd.exe') : '/bin/sh';
  const args = isWindows ? ['/d', '/s', '/c', opts.script] : ['-c', opts.script];
  let tail = '';
  const record = (line: string) => {
    tail = (tail + line + '\n').slice(-TAIL_CHARS);
    opts.onLine?.(line);
  };
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    // Like a session's program: the allow-listed environment (never the host's tokens) and no
    // inherited file descriptor but its own stdio.
    // Nobody can answer a prompt: stdin is closed (spawnIsolated), so a script asking for input
    // fails instead of hanging.
    const child = spawnIsolated(
      shell,
      args,
      {
        cwd: opts.cwd,
        env: buildPtyEnv(opts.env ?? {}, process.env, opts.passEnv),
        // Its own process group: whatever it starts can be stopped with it (also after a crash).
        detached: !isWindows,
        windowsHide: true,
      },
      { cgroupProcs: opts.cgroupProcs, onSpawn: opts.onSpawn },
    );
    const out = lineSplitter(record);
    const err = lineSplitter(record);
    child.stdout?.on('data', (c: Buffer) => out.write(c));
    child.stderr?.on('data', (c: Buffer) => err.write(c));
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('close', (code, signal) => {
      out.end();
      err.end();
      resolve({ code, signal });
    });
  });
  if (exit.code === 0) return;
  const why = exit.error
    ? `could not start (${exit.error.message})`
    : exit.signal
      ? `was killed by ${exit.signal}`
      : `exited with code ${exit.code}`;
  const lastLine = tail.trimEnd().split('\n').pop() ?? '';
  throw new AppError(
    'BAD_INPUT',
    `The setup script ${why}${lastLine ? ` — last output: ${lastLine}` : ''}. Fix the script — in the wizard's Workspace step, or under Settings → Repositories when it is this repository's default — and try again.`,
    { exitCode: exit.code, signal: exit.signal, outputTail: tail },
  );
}
