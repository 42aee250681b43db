import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createConsoleLogger } from '../engine/core/logger';
import { acquireLockFile } from '../host/lock-file';
import { listenLocalSocket } from '../transports/socket/socket-listener';
import pkg from '../../../package.json';
import {
  currentBootId,
  effectiveProtocol,
  terminalHostLockPath,
  terminalHostSocketPath,
  terminalHostLockSchema,
} from './terminal-host-paths';
import { msSinceAnyScreenWrite, onScreenDormant } from '../engine/terminals/headless-screen';
import { MemoryRelease } from './memory-release';
import { TerminalHostServer } from './terminal-host-server';
import { RememberedView } from '../engine/terminals/viewer-memory';

/** How long no terminal must have had output before memory is trimmed (see MemoryRelease). */
const QUIET_BEFORE_TRIM_MS = 1000;
/** How often the host checks that its data dir still exists. */
const DATA_DIR_CHECK_MS = 5000;
/** How long a host with nothing to keep it up waits before exiting (a client may be on its way). */
const DEFAULT_IDLE_MS = 30_000;

/**
 * The terminal host process: one per data dir and protocol, detached from whoever started it.
 * Takes the lock, serves the terminals on its socket, and exits once nothing keeps it up.
 */
export async function runTerminalHost(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { home: { type: 'string' } }, strict: true });
  if (!values.home) {
    process.stderr.write('usage: terminal-host --home DIR\n');
    return 2;
  }
  const dataDir = resolve(values.home);
  const protocol = effectiveProtocol();
  const appVersion = process.env.MULTISESSION_TERMINAL_HOST_APP_VERSION || pkg.version;
  const log = createConsoleLogger();
  const socketPath = terminalHostSocketPath(dataDir, protocol);
  const startedAt = Date.now();
  const bootId = currentBootId();
  const lock = acquireLockFile(terminalHostLockSchema, terminalHostLockPath(dataDir, protocol), {
    protocol,
    appVersion,
    socketPath,
    startedAt,
    bootId,
  });
  if (!lock) {
    log.info('terminal-host', `another terminal host already serves ${dataDir} (protocol ${protocol})`);
    return 0;
  }
  const idleMs = Number(process.env.MULTISESSION_TERMINAL_HOST_IDLE_MS) || DEFAULT_IDLE_MS;
  let idleTimer: NodeJS.Timeout | null = null;
  let exiting = false;
  let listener: Awaited<ReturnType<typeof listenLocalSocket>> | null = null;
  const exit = async (code: number, why: string) => {
    if (exiting) return;
    exiting = true;
    log.info('terminal-host', `exiting: ${why}`);
    // Output still waiting to be coalesced goes out before the sockets close.
    server.flushAll();
    await listener?.close().catch(() => undefined);
    lock.release();
    process.exit(code);
  };
  // Screens that went dormant give their memory back (see MemoryRelease).
  const memory = new MemoryRelease(undefined, () => msSinceAnyScreenWrite() >= QUIET_BEFORE_TRIM_MS);
  onScreenDormant(() => memory.screensWentDormant());
  const server = new TerminalHostServer({
    log,
    protocol,
    appVersion,
    bootId,
    startedAt,
    terminals: {
      colours: new RememberedView(dataDir, log),
    },
    onIdleChange: (idle) => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = idle ? setTimeout(() => void exit(0, `idle for ${idleMs} ms`), idleMs) : null;
    },
    onShutdown: () => void exit(0, 'asked to shut down'),
  });
  try {
    listener = await listenLocalSocket(socketPath, (conn) => server.accept(conn), log);
  } catch (e) {
    lock.release();
    throw e;
  }
  const stopEverything = (why: string) => {
    void server.stopAll().finally(() => exit(0, `${why}: programs stopped`));
  };
  // A data dir that was deleted has nobody left to serve (its records and worktrees are gone).
  setInterval(() => {
    if (!existsSync(dataDir)) stopEverything('the data dir was deleted');
  }, DATA_DIR_CHECK_MS).unref();
  process.on('SIGTERM', () => stopEverything('SIGTERM'));
  process.on('SIGINT', () => stopEverything('SIGINT'));
  // Detached and without a terminal, but a stray hangup must not take every session with it.
  process.on('SIGHUP', () => log.warn('terminal-host', 'ignored SIGHUP'));
  // A bug in one terminal must not end every session: log it and keep serving the others.
  process.on('uncaughtException', (e) => log.error('terminal-host', 'uncaught exception', e));
  process.on('unhandledRejection', (e) => log.error('terminal-host', 'unhandled rejection', e));
  log.info(
    'terminal-host',
    `pid ${process.pid} serves ${dataDir} on ${socketPath} (protocol ${protocol}, Multisession ${appVersion})`,
  );
  return new Promise<number>(() => undefined);
}

if (require.main === module) {
  runTerminalHost(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`terminal host failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
