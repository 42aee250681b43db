import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ContractFrameClient, type FrameChannel } from '../../shared/client';
import { AppError } from '../../shared/errors';
import type { HelloReply, TerminalHostEvents, TerminalHostRequests } from '../../shared/terminal-host-contract';
import type { Logger } from '../engine/core/logger';
import { isAlive } from '../engine/process/process-tree';
import { readLockFile } from '../host/lock-file';
import { connectSocketChannel } from '../transports/socket/socket-channel';
import { ACK_LINES_ON, isRelayLine } from './relay-line';
import {
  terminalHostLockPath,
  terminalHostLockProtocols,
  terminalHostLogPath,
  terminalHostLockSchema,
  type TerminalHostLock,
} from './terminal-host-paths';

export type TerminalHostClient = ContractFrameClient<TerminalHostRequests, TerminalHostEvents>;

export interface TerminalHostConnection {
  client: TerminalHostClient;
  hello: HelloReply;
  /** Resolves with the reason once the connection is gone. */
  closed: Promise<string>;
  /** Where the host's relay lines go (connections that asked for them in their hello). */
  onRelay(listener: (line: string) => void): void;
  /** The host said it reads ack lines (relay-line.ts) on this connection. */
  readonly readsAckLines: boolean;
  /** Sends one line as it is (an ack line). */
  sendLine(line: string): void;
}

/** How long a starting host gets to answer before the start counts as failed. */
const START_TIMEOUT_MS = 15_000;
const HELLO_TIMEOUT_MS = 5_000;
/** The host's log is started afresh past this size (the previous one is kept as .1). */
const MAX_LOG_BYTES = 5 * 1024 * 1024;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The built entry of the terminal host (`out/main/terminal-host.js`), wherever this code was bundled to. */
export function terminalHostEntry(): string {
  const override = process.env.MULTISESSION_TERMINAL_HOST_ENTRY;
  if (override) return override;
  const candidates = [join(__dirname, 'terminal-host.js'), join(__dirname, '..', 'terminal-host.js')];
  // Running from sources (tests): walk up to the repository's build output.
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    candidates.push(join(dir, 'out', 'main', 'terminal-host.js'));
  }
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new AppError(
      'INTERNAL',
      `The terminal host is not built (looked for terminal-host.js near ${__dirname}) — run \`npm run build\`.`,
    );
  }
  return resolve(found);
}

/** Whether `pid` runs a terminal host (a live pid in a lock after a reboot may be anyone). */
function looksLikeTerminalHost(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('terminal-host');
  } catch {
    // No /proc (macOS): trust the live pid; the socket check decides.
    return process.platform !== 'linux' && isAlive(pid);
  }
}

/** Connects and says hello; null when nothing answers on the socket. */
async function tryConnect(
  socketPath: string,
  protocol: number,
  appVersion: string,
  relay = false,
): Promise<TerminalHostConnection | null> {
  let socket: FrameChannel;
  try {
    socket = await connectSocketChannel(socketPath);
  } catch {
    return null;
  }
  // Relay lines are not frames of the contract: they go to their own listener, unparsed.
  let relayListener: (line: string) => void = () => undefined;
  let readsAckLines = false;
  const channel: FrameChannel = {
    ...socket,
    onFrame: (l) =>
      socket.onFrame((line) => {
        if (isRelayLine(line)) relayListener(line);
        else if (line === ACK_LINES_ON) readsAckLines = true;
        else l(line);
      }),
  };
  const client: TerminalHostClient = new ContractFrameClient(channel);
  const closed = new Promise<string>((r) => channel.onClose(r));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((r) => {
    timer = setTimeout(() => r(null), HELLO_TIMEOUT_MS);
  });
  const hello = await Promise.race([
    client.request('hello', relay ? { protocol, appVersion, relay } : { protocol, appVersion }),
    timeout,
  ]);
  clearTimeout(timer);
  if (!hello || !hello.ok) {
    client.close();
    return null;
  }
  return {
    client,
    hello: hello.value,
    closed,
    onRelay: (l) => {
      relayListener = l;
    },
    get readsAckLines() {
      return readsAckLines;
    },
    sendLine: (line) => socket.send(line),
  };
}

function openLog(dataDir: string): number {
  const path = terminalHostLogPath(dataDir);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    if (statSync(path).size > MAX_LOG_BYTES) renameSync(path, `${path}.1`);
  } catch {
    /* no log yet */
  }
  return openSync(path, 'a', 0o600);
}

/** Starts a detached terminal host for the data dir; it outlives this process. */
function spawnTerminalHost(dataDir: string, protocol: number, log: Logger): void {
  const entry = terminalHostEntry();
  const out = openLog(dataDir);
  try {
    const child = spawn(process.execPath, [entry, '--home', dataDir], {
      detached: true,
      stdio: ['ignore', out, out],
      cwd: dataDir,
      env: {
        ...process.env,
        // In Electron, run its binary as plain Node: one install serves the app and the host.
        ELECTRON_RUN_AS_NODE: '1',
        MULTISESSION_TERMINAL_HOST_PROTOCOL: String(protocol),
      },
    });
    child.unref();
    log.info('terminal-host', `started terminal host pid ${child.pid} for ${dataDir}`);
  } finally {
    closeSync(out);
  }
}

/**
 * Connects to the data dir's terminal host of `protocol`, starting one when none runs and
 * `spawnIfMissing` is set (null otherwise). Concurrent starters race for the host's lock; the
 * losers' hosts exit and everyone connects to the winner.
 */
export async function connectTerminalHost(opts: {
  dataDir: string;
  protocol: number;
  appVersion: string;
  spawnIfMissing: boolean;
  /** Take viewer events as relay lines (see relay-line.ts); the UI host forwards them as they are. */
  relay?: boolean;
  log: Logger;
}): Promise<TerminalHostConnection | null> {
  const lockPath = terminalHostLockPath(opts.dataDir, opts.protocol);
  const deadline = Date.now() + START_TIMEOUT_MS;
  let spawned = false;
  for (let attempt = 0; ; attempt++) {
    const lock = readLockFile(terminalHostLockSchema, lockPath);
    if (lock) {
      const c = await tryConnect(lock.socketPath, opts.protocol, opts.appVersion, opts.relay);
      if (c) return c;
    }
    const starting = lock !== null && looksLikeTerminalHost(lock.pid);
    if (!starting && !spawned) {
      if (!opts.spawnIfMissing) return null;
      spawnTerminalHost(opts.dataDir, opts.protocol, opts.log);
      spawned = true;
    }
    if (Date.now() > deadline) {
      throw new AppError(
        'INTERNAL',
        `The terminal host for ${opts.dataDir} did not answer within ${START_TIMEOUT_MS / 1000} s — see ${terminalHostLogPath(opts.dataDir)}.`,
      );
    }
    await sleep(Math.min(200, 20 * (attempt + 1)));
  }
}

/** Live terminal hosts of other protocol versions in this data dir, with what they still run. */
export async function findOtherHosts(
  dataDir: string,
  protocol: number,
  appVersion: string,
): Promise<Array<{ lock: TerminalHostLock; hello: HelloReply; connection: TerminalHostConnection }>> {
  const out = [];
  for (const p of terminalHostLockProtocols(dataDir)) {
    if (p === protocol) continue;
    const lock = readLockFile(terminalHostLockSchema, terminalHostLockPath(dataDir, p));
    if (!lock) continue;
    // Say hello with our own protocol: the frozen reply tells us what it runs either way.
    const c = await tryConnect(lock.socketPath, protocol, appVersion);
    if (c) out.push({ lock, hello: c.hello, connection: c });
  }
  return out;
}
