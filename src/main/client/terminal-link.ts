import type { EventPayload } from '../../shared/contract';
import { unwrap } from '../../shared/client';
import { AppError } from '../../shared/errors';
import { terminalHostEvents } from '../../shared/terminal-host-contract';
import { silentLogger } from '../engine/core/logger';
import { APP_VERSION } from '../host/start-host';
import { connectTerminalHost } from '../terminal-host/terminal-host-launcher';
import { effectiveProtocol } from '../terminal-host/terminal-host-paths';

type Size = { cols: number; rows: number };

/** One viewer of one session's terminal, straight at the terminal host. */
export interface TerminalLink {
  attach(size: Size): Promise<{ snapshot: string; cols: number; rows: number; running: boolean }>;
  input(data: string): void;
  resize(size: Size): void;
  /** Characters the viewer has shown (flow control). */
  ack(chars: number): void;
  onData(listener: (data: string) => void): void;
  onExit(listener: (exit: EventPayload<'terminals.exit'>) => void): void;
  onDisconnect(listener: (reason: string) => void): void;
  close(): Promise<void>;
}

/**
 * Opens a viewer of a session's terminal directly in the data dir's terminal host — what `attach`
 * uses, so it works whether or not the app runs and never holds the data dir while attached (the
 * app can start meanwhile). Exits seen here are recorded by the next engine that opens the data dir.
 */
export async function openTerminalLink(dataDir: string, sessionId: string): Promise<TerminalLink> {
  const c = await connectTerminalHost({
    dataDir,
    protocol: effectiveProtocol(),
    appVersion: APP_VERSION,
    spawnIfMissing: false,
    log: silentLogger,
  });
  if (!c) {
    throw new AppError(
      'INVALID_STATE',
      'No session program is running: the terminal host of this data dir is not running.',
    );
  }
  const viewerId = `cli-attach-${process.pid}`;
  const dataListeners: Array<(data: string) => void> = [];
  const exitListeners: Array<(exit: EventPayload<'terminals.exit'>) => void> = [];
  c.client.on('viewer', (raw) => {
    const e = terminalHostEvents.viewer.safeParse(raw);
    if (!e.success || e.data.viewerId !== viewerId || e.data.name !== 'terminals.data') return;
    const p = e.data.payload as { sessionId?: unknown; data?: unknown };
    if (p.sessionId === sessionId && typeof p.data === 'string') for (const l of dataListeners) l(p.data);
  });
  c.client.on('hub', (raw) => {
    const e = terminalHostEvents.hub.safeParse(raw);
    if (!e.success || e.data.name !== 'terminals.exit') return;
    const p = e.data.payload as EventPayload<'terminals.exit'>;
    if (p?.sessionId === sessionId) for (const l of exitListeners) l(p);
  });
  const fire = (p: Promise<unknown>) => void p.catch(() => undefined);
  return {
    attach: async (size) => unwrap(await c.client.request('attach', { sessionId, viewerId, ...size })),
    input: (data) => fire(c.client.request('input', { sessionId, data, viewerId })),
    resize: (size) => fire(c.client.request('resize', { sessionId, viewerId, ...size })),
    ack: (chars) => fire(c.client.request('ack', { sessionId, viewerId, chars })),
    onData: (l) => void dataListeners.push(l),
    onExit: (l) => void exitListeners.push(l),
    onDisconnect: (l) => void c.closed.then(l),
    close: async () => {
      await c.client.request('detach', { sessionId, viewerId }).catch(() => undefined);
      c.client.close();
    },
  };
}
