import type { Logger } from '../engine/core/logger';
import { startHost, type Host } from '../host/start-host';
import { loadOrCreateToken } from './access-token';
import { startBrowserHost, type BrowserHost, type BrowserHostOptions } from './browser-host';

export interface ServeHostOptions extends Omit<BrowserHostOptions, 'engine' | 'log'> {
  dataDir: string;
  log: Logger;
  metricsIntervalMs?: number;
  /** Wait this long for a CLI that owns the data dir for one command (default 0). */
  waitForCliMs?: number;
}

export interface ServeHost {
  host: Host;
  browser: BrowserHost;
  /** See Host.close: programs keep running unless `stopPrograms` (or the setting says so). */
  close(opts?: { stopPrograms?: boolean }): Promise<void>;
}

/**
 * Browser mode as one unit: owns the data dir (lock, engine, local socket), serves the renderer
 * and the WebSocket, and advertises its URL for CLIs. The `serve` entry, the in-process test
 * host and the benchmark's host child all compose it here, so they run the same thing.
 */
export async function startServeHost(opts: ServeHostOptions): Promise<ServeHost> {
  const { dataDir, log, metricsIntervalMs, waitForCliMs, ...web } = opts;
  const host = await startHost({ dataDir, mode: 'browser', log, metricsIntervalMs, waitForCliMs });
  let browser: BrowserHost;
  try {
    // The data dir's stable token: a restarted host keeps its URL, so open pages reconnect.
    browser = await startBrowserHost({
      ...web,
      token: web.token ?? loadOrCreateToken(dataDir),
      engine: host.engine,
      log,
    });
  } catch (e) {
    await host.close();
    throw e;
  }
  host.advertise({ url: browser.url });
  let closed: Promise<void> | null = null;
  return {
    host,
    browser,
    close: (closeOpts) =>
      (closed ??= (async () => {
        await browser.close();
        await host.close(closeOpts);
      })()),
  };
}
