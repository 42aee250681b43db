import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FrameClient } from '../../src/shared/client';
import { connectWsChannel, wsUrlFromServeUrl } from '../../src/main/transports/websocket/ws-channel';
import { stopTerminalHosts } from './terminal-host';

export const repoRoot = resolve(__dirname, '../..');

export interface ServeProcess {
  url: string;
  origin: string;
  token: string;
  home: string;
  port: number;
  child: ChildProcess;
  /** Everything the host wrote to stderr so far (its warnings and errors). */
  stderr(): string;
  /** A typed client over the WebSocket transport. */
  client(): Promise<FrameClient>;
  /** Stops serve (its programs keep running in the terminal host, as for a user quitting). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Stops serve and the terminal host with every program in it (test teardown); removes the data dir when it made it. */
  stopAll(): Promise<void>;
}

/** Starts the built browser-mode host (`out/main/serve.js`) on a free port and a temp data dir. */
export async function startServeProcess(
  opts: { home?: string; env?: Record<string, string>; args?: string[] } = {},
): Promise<ServeProcess> {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'ms-home-'));
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'out/main/serve.js'), '--port', '0', '--home', home, '--quiet', ...(opts.args ?? [])],
    {
      cwd: repoRoot,
      // The host checks its own outputs, error codes and events against the contract (off in production).
      env: { ...process.env, MULTISESSION_CONTRACT_CHECKS: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start in time:\n${out}\n${stderr}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /Open (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}\n${stderr}`));
    });
  });
  const u = new URL(url);
  const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<number | null>((r) => {
      // Already gone (exited, or killed by a signal: then exitCode stays null and 'exit' has fired).
      if (child.exitCode !== null || child.signalCode !== null) return r(child.exitCode);
      child.once('exit', (code) => r(code));
      child.kill(signal);
    });
  return {
    url,
    origin: u.origin,
    token: new URLSearchParams(u.hash.slice(1)).get('token') ?? '',
    home,
    port: Number(u.port),
    child,
    stderr: () => stderr,
    client: async () => new FrameClient(await connectWsChannel(wsUrlFromServeUrl(url))),
    stop,
    stopAll: async () => {
      await stop('SIGTERM');
      await stopTerminalHosts(home);
      // A data dir made here is this host's alone (a caller's own stays: it may start the next host there).
      if (!opts.home) rmSync(home, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
