import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  EventName,
  EventPayload,
  RequestInput,
  RequestName,
  RequestOutput,
  RequestResult,
} from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import { silentLogger } from '../../src/main/engine/core/logger';
import { createEngine, type Engine, type EngineOptions } from '../../src/main/engine/engine';
import type { Peer } from '../../src/main/engine/rpc/peer';
import type { AgentDetector } from '../../src/main/engine/agents/agent-detection';
import type { UsageEnv } from '../../src/main/engine/usage/usage-types';
import { openRemoteTerminals } from '../../src/main/terminal-host/open-remote-terminals';

export interface Harness {
  engine: Engine;
  home: string;
  peer: Peer & { events: Array<{ name: string; payload: unknown }> };
  /** A request through the router — schemas and all — as any transport would send it. */
  request<K extends RequestName>(name: K, input: RequestInput<K>): Promise<RequestResult<K>>;
  call<K extends RequestName>(name: K, input: RequestInput<K>): Promise<RequestOutput<K>>;
  /**
   * Closes the engine; by default every program is stopped (the terminal host then exits).
   * `stopPrograms: false` leaves them running in the terminal host, as quitting the app does.
   */
  close(opts?: { stopPrograms?: boolean }): Promise<void>;
}

/** Data dirs this test process made; removed when it exits (a test may reopen one after closing). */
const madeHomes = new Set<string>();

function madeHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'ms-engine-'));
  madeHomes.add(home);
  return home;
}

// Vitest evaluates this module once per test file: after the file's last test nothing needs them.
afterAll(() => {
  for (const h of madeHomes) rmSync(h, { recursive: true, force: true, maxRetries: 2 });
  madeHomes.clear();
});

/**
 * Opens a real engine (real SQLite, git, PTYs) on a temp data dir, driven through its router. Its
 * programs run in the real detached terminal host, as in the app, unless `terminals: 'in-process'`.
 */
export async function openEngine(
  opts: {
    home?: string;
    metricsIntervalMs?: number;
    agentDetector?: AgentDetector;
    /** Where agents keep usage records; default an empty folder, never the real HOME. */
    usageEnv?: UsageEnv;
    /** The warm worktree pool's timing; without it the pool is off (see below). */
    pool?: { idleMs?: number; refreshMs?: number };
    /** A git executable (a missing one, for fail-closed tests). */
    gitBinary?: string;
    removalCheckTimeoutMs?: number;
    terminals?: 'terminal-host' | 'in-process';
    /** The memory-pressure policy's start grace and system reading (engine option of the same name). */
    memoryPressure?: EngineOptions['memoryPressure'];
  } = {},
): Promise<Harness> {
  const home = opts.home ?? madeHome();
  const engine = await createEngine({
    dataDir: home,
    log: silentLogger,
    mode: 'cli',
    version: 'test',
    metricsIntervalMs: opts.metricsIntervalMs,
    agentDetector: opts.agentDetector,
    usageEnv: opts.usageEnv ?? { home: join(home, 'no-user-home'), env: {} },
    pool: opts.pool,
    gitBinary: opts.gitBinary,
    removalCheckTimeoutMs: opts.removalCheckTimeoutMs,
    memoryPressure: opts.memoryPressure,
    terminals:
      opts.terminals === 'in-process'
        ? undefined
        : (hub) => openRemoteTerminals({ dataDir: home, appVersion: 'test', hub, log: silentLogger }),
  });
  // The warm pool prepares worktrees of recently used repositories in the background; a test that
  // counts a repository's worktrees would count those too. Only tests of the pool turn it on.
  if (!opts.pool) {
    const settings = await engine.settings.get();
    if (settings.pool.enabled) await engine.settings.update({ pool: { ...settings.pool, enabled: false } });
  }
  const events: Array<{ name: string; payload: unknown }> = [];
  const closeListeners: Array<() => void> = [];
  let open = true;
  const peer = {
    id: 'test-peer',
    kind: 'local' as const,
    events,
    send<K extends EventName>(name: K, payload: EventPayload<K>) {
      events.push({ name, payload });
      if (name === 'terminals.data') {
        const p = payload as EventPayload<'terminals.data'>;
        // Acknowledge like a client whose terminal consumed the data.
        void engine.router.dispatch('terminals.ack', { sessionId: p.sessionId, chars: p.data.length }, peer);
      }
    },
    onClose: (l: () => void) => void closeListeners.push(l),
    isOpen: () => open,
  };
  engine.hub.addPeer(peer);
  const request = <K extends RequestName>(name: K, input: RequestInput<K>) =>
    engine.router.dispatch(name, input, peer) as Promise<RequestResult<K>>;
  return {
    engine,
    home,
    peer,
    request,
    call: async (name, input) => {
      const r = await request(name, input);
      if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
      return r.value;
    },
    close: async (closeOpts = {}) => {
      open = false;
      for (const l of closeListeners) l();
      await engine.close({ stopPrograms: closeOpts.stopPrograms ?? true });
    },
  };
}
