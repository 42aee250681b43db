import { FrameClient } from '../../shared/client';
import type { RequestOutput } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { silentLogger, type Logger } from '../engine/core/logger';
import { readLock } from '../host/host-lock';
import { HostBusyError, startHost, type Host } from '../host/start-host';
import { connectSocketChannel } from '../transports/socket/socket-channel';
import { resolveDataDir } from './data-dir';
import { createInProcessChannel } from '../transports/in-process/in-process-channel';
import { createMultisessionClient, type MultisessionClient } from './multisession-client';

export type AppInfo = RequestOutput<'app.info'>;

export interface ConnectOptions {
  /** Data dir; default MULTISESSION_HOME, else the platform's app-data folder. */
  home?: string;
  /** Open the data dir in this process when no host owns it (default true). */
  allowOwn?: boolean;
  /** How long to wait for an owner that is starting up or busy handing over (default 30 s). */
  waitMs?: number;
  /** Where the in-process engine logs when this process becomes the owner (default: nowhere). */
  log?: Logger;
}

const HANDSHAKE_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Connects to the data dir's owner over its local socket, or — when nobody owns it — becomes the
 * owner in this process (the engine then also serves the socket, so concurrent clients reach it).
 * Concurrent callers never fail because another one is running: whoever loses the race for the
 * lock connects to the winner.
 */
export async function connect(opts: ConnectOptions = {}): Promise<MultisessionClient> {
  const dataDir = resolveDataDir(opts.home);
  const deadline = Date.now() + (opts.waitMs ?? 30_000);
  const allowOwn = opts.allowOwn ?? true;
  let lastProblem: string;
  for (let attempt = 0; ; attempt++) {
    const owner = readLock(dataDir);
    if (owner) {
      const remote = await tryRemote(dataDir, owner.socketPath);
      if (remote.client) return remote.client;
      lastProblem = `pid ${owner.pid} (${owner.mode}) does not answer on ${owner.socketPath}: ${remote.problem}`;
    } else if (!allowOwn) {
      throw new AppError(
        'INVALID_STATE',
        `No Multisession host is running for ${dataDir} — start the app or \`multisession serve\` first.`,
      );
    } else {
      try {
        const host = await startHost({ dataDir, mode: 'cli', log: opts.log ?? silentLogger });
        return await ownedClient(host, dataDir, opts.log ?? silentLogger);
      } catch (e) {
        if (!(e instanceof HostBusyError)) throw e;
        lastProblem = e.message;
      }
    }
    if (Date.now() > deadline) {
      throw new AppError('BUSY', `Could not reach the owner of ${dataDir}: ${lastProblem}`);
    }
    await sleep(Math.min(500, 50 * (attempt + 1)));
  }
}

/**
 * A socket connection counts only once the owner has answered app.info: an owner that is closing
 * may accept a connection it never serves, and app.info is safe to ask again elsewhere.
 */
async function tryRemote(
  dataDir: string,
  socketPath: string,
): Promise<{ client: MultisessionClient; problem?: undefined } | { client?: undefined; problem: string }> {
  let channel;
  try {
    channel = await connectSocketChannel(socketPath);
  } catch (e) {
    return { problem: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
  const frames = new FrameClient(channel);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((r) => {
    timer = setTimeout(() => r(null), HANDSHAKE_MS);
  });
  const info = await Promise.race([frames.request('app.info', {}), timeout]);
  clearTimeout(timer);
  if (!info || !info.ok) {
    frames.close();
    return { problem: info ? info.error.message : 'no answer' };
  }
  return {
    client: createMultisessionClient({
      frames,
      channel,
      dataDir,
      info: info.value,
      ownsDataDir: false,
      close: async () => frames.close(),
    }),
  };
}

async function ownedClient(host: Host, dataDir: string, log: Logger): Promise<MultisessionClient> {
  const channel = createInProcessChannel(host.engine, log);
  const frames = new FrameClient(channel);
  let info: AppInfo;
  try {
    info = await frames.call('app.info', {});
  } catch (e) {
    frames.close();
    await host.close();
    throw e;
  }
  return createMultisessionClient({
    frames,
    channel,
    dataDir,
    info,
    ownsDataDir: true,
    host,
    close: async () => {
      frames.close();
      // Other clients that reached this engine through its socket finish before it stops.
      await waitForPeers(host);
      await host.close();
    },
  });
}

async function waitForPeers(host: Host): Promise<void> {
  while (host.engine.hub.peerCount() > 0) await sleep(50);
}
