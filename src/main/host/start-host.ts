import { createEngine, type Engine } from '../engine/engine';
import type { Logger } from '../engine/core/logger';
import { startSocketServer } from '../transports/socket/socket-server';
import { readLock, socketPathFor, tryAcquireLock, type LockInfo } from './host-lock';
import pkg from '../../../package.json';
import { openRemoteTerminals } from '../terminal-host/open-remote-terminals';

export const APP_VERSION: string = pkg.version;

export interface Host {
  engine: Engine;
  socketPath: string;
  /** Record extra facts about this owner (e.g. the browser-mode URL) for CLIs to find. */
  advertise(patch: Partial<LockInfo>): void;
  /**
   * Stops serving and closes the engine. Programs keep running in the terminal host unless
   * `stopPrograms` — by default a CLI command never stops them, and the app and browser mode stop
   * them only when the "keep sessions running" setting is off.
   */
  close(opts?: { stopPrograms?: boolean }): Promise<void>;
}

export class HostBusyError extends Error {
  constructor(readonly owner: LockInfo | null) {
    super(
      owner
        ? `Another Multisession (pid ${owner.pid}, ${owner.mode}) already owns this data dir${owner.url ? ` — it serves ${owner.url}` : ''}.`
        : 'Another Multisession already owns this data dir.',
    );
  }
}

/**
 * Becomes the one owner of a data dir: takes the lock, opens the engine and answers the CLI on
 * the local socket. Throws HostBusyError when a live process already owns it.
 */
export async function startHost(opts: {
  dataDir: string;
  mode: 'electron' | 'browser' | 'cli';
  log: Logger;
  metricsIntervalMs?: number;
  /** A CLI owns a data dir only for one command: wait this long for it to finish (default 0). */
  waitForCliMs?: number;
  /**
   * Where the programs run: the detached terminal host (default — they outlive this process) or
   * this process (they stop with it).
   */
  terminals?: 'terminal-host' | 'in-process';
}): Promise<Host> {
  const socketPath = socketPathFor(opts.dataDir);
  const deadline = Date.now() + (opts.waitForCliMs ?? 0);
  let lock = tryAcquireLock(opts.dataDir, { socketPath, mode: opts.mode, startedAt: Date.now() });
  while (!lock && readLock(opts.dataDir)?.mode === 'cli' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    lock = tryAcquireLock(opts.dataDir, { socketPath, mode: opts.mode, startedAt: Date.now() });
  }
  if (!lock) throw new HostBusyError(readLock(opts.dataDir));
  let engine: Engine | null = null;
  try {
    engine = await createEngine({
      dataDir: opts.dataDir,
      log: opts.log,
      mode: opts.mode,
      version: APP_VERSION,
      metricsIntervalMs: opts.metricsIntervalMs,
      terminals:
        opts.terminals === 'in-process'
          ? undefined
          : (hub) => openRemoteTerminals({ dataDir: opts.dataDir, appVersion: APP_VERSION, hub, log: opts.log }),
    });
    const socket = await startSocketServer(engine, socketPath, opts.log);
    const e = engine;
    let closed: Promise<void> | null = null;
    return {
      engine: e,
      socketPath,
      advertise: (patch) => lock.update(patch),
      close: (closeOpts = {}) =>
        (closed ??= (async () => {
          const stopPrograms =
            closeOpts.stopPrograms ?? (opts.mode === 'cli' ? false : !(await e.settings.get()).keepSessionsRunning);
          await socket.close();
          await e.close({ stopPrograms });
          lock.release();
        })()),
    };
  } catch (err) {
    // Programs the engine re-adopted are the user's: a failed start must not stop them.
    await engine?.close({ stopPrograms: false }).catch(() => undefined);
    lock.release();
    throw err;
  }
}
