import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/main/engine/core/logger';
import type { Host } from '../../src/main/host/start-host';
import type { BrowserHost } from '../../src/main/server/browser-host';
import { startServeHost } from '../../src/main/server/serve-host';
import { connectWsChannel, wsUrlFromServeUrl } from '../../src/main/transports/websocket/ws-channel';
import { FrameClient } from '../../src/shared/client';
import { stopTerminalHosts } from './terminal-host';

export interface InProcessHost {
  host: Host;
  browser: BrowserHost;
  home: string;
  /** A typed client over a new WebSocket connection. */
  connect(): Promise<FrameClient>;
  /** Closes the host and stops every program in its terminal host. */
  close(): Promise<void>;
}

/** A real host (lock, engine, local socket) with browser mode on a free port, in this process. */
export async function startInProcessHost(prefix = 'ms-host-'): Promise<InProcessHost> {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const served = await startServeHost({
    dataDir: home,
    log: silentLogger,
    host: '127.0.0.1',
    port: 0,
    staticDir: join(home, 'no-renderer'),
  });
  const { host, browser } = served;
  return {
    host,
    browser,
    home,
    connect: async () => new FrameClient(await connectWsChannel(wsUrlFromServeUrl(browser.url))),
    close: async () => {
      await served.close({ stopPrograms: true });
      await stopTerminalHosts(home);
    },
  };
}
