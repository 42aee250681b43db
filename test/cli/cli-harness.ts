import { stopTerminalHosts } from '../support/terminal-host';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { parseJson } from '../../src/shared/json';

/** The repository root: tests run the real built CLI from here. */
export const ROOT = resolve(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'multisession.js');
export const SERVE = join(ROOT, 'out', 'main', 'serve.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/multisession.js …args` with MULTISESSION_HOME=home and collects its output. */
export function runCli(
  home: string,
  args: string[],
  opts: { cwd?: string; input?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, MULTISESSION_HOME: home, MULTISESSION_DEBUG: '', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** What `--json` prints for a failed command. */
export const cliErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/**
 * Runs the CLI with --json and parses the one JSON document it must print with `schema` — the
 * contract's own output schema, so the test also proves the CLI prints what the contract says.
 */
export async function runJson<S extends z.ZodType>(
  schema: S,
  home: string,
  args: string[],
): Promise<{ result: CliResult; value: z.output<S> }> {
  const result = await runCli(home, [...args, '--json']);
  const parsed = parseJson(schema, result.stdout);
  if (!parsed.ok) {
    throw new Error(
      `stdout of \`multisession ${args.join(' ')} --json\` is not the expected JSON document (${parsed.error}):\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
  return { result, value: parsed.value };
}

export interface ServeHost {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a real browser-mode host (`node out/main/serve.js --port 0 --home home`) and waits for its URL. */
export function startServe(home: string, env: Record<string, string> = {}): Promise<ServeHost> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [SERVE, '--port', '0', '--home', home, '--quiet'], {
      cwd: ROOT,
      env: { ...process.env, MULTISESSION_HOME: home, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /Open (http\S+)/.exec(out);
      if (m) {
        resolvePromise({
          url: m[1],
          child,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
            // Sessions outlive serve; a test's must not outlive the test.
            await stopTerminalHosts(home);
          },
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before it was ready:\n${out}\n${err}`)));
  });
}

/** Worktree folders under a data dir's default worktree root. */
export function worktreeDirs(home: string): string[] {
  const root = join(home, 'worktrees');
  if (!existsSync(root)) return [];
  // Dot-files are Multisession's ownership markers, not worktrees.
  const visible = (dir: string) => readdirSync(dir).filter((e) => !e.startsWith('.'));
  return visible(root).flatMap((repoDir) => visible(join(root, repoDir)).map((d) => join(root, repoDir, d)));
}

export function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) {
    throw new Error('out/main/cli.js is missing — run `npm run build` before the CLI tests.');
  }
}
