import { spawn, type IPty } from 'node-pty';
import { BIN, ROOT } from './cli-harness';

/** The CLI running in a real pseudo-terminal, for verbs that need a TTY (attach). */
export interface PtyRun {
  pty: IPty;
  output(): string;
  /** Resolves once the output so far matches. */
  waitFor(pattern: RegExp): Promise<string>;
  exited: Promise<number>;
}

export function runCliInPty(home: string, args: string[]): PtyRun {
  const pty = spawn(process.execPath, [BIN, ...args], {
    cols: 100,
    rows: 30,
    cwd: ROOT,
    env: { ...process.env, MULTISESSION_HOME: home, MULTISESSION_DEBUG: '' } as Record<string, string>,
  });
  let out = '';
  const waiters: Array<{ pattern: RegExp; resolve: (s: string) => void }> = [];
  pty.onData((d) => {
    out += d;
    for (const w of [...waiters]) {
      if (w.pattern.test(out)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(out);
      }
    }
  });
  const exited = new Promise<number>((resolve) => pty.onExit((e) => resolve(e.exitCode)));
  return {
    pty,
    output: () => out,
    waitFor: (pattern) =>
      pattern.test(out) ? Promise.resolve(out) : new Promise((resolve) => waiters.push({ pattern, resolve })),
    exited,
  };
}
