import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { rendererDir } from './paths';
import * as nodePty from 'node-pty';
import { HeadlessScreen } from '../../src/main/engine/terminals/headless-screen';
import { createConsoleLogger } from '../../src/main/engine/core/logger';
import { startServeHost } from '../../src/main/server/serve-host';
import { RemoteTerminals } from '../../src/main/terminal-host/remote-terminals';
import { createInProcessChannel } from '../../src/main/transports/in-process/in-process-channel';
import { FrameClient } from '../../src/shared/client';
import { readFlood, TerminalTap } from './sessions';
import type { ChildReply, ChildRequest, LagStats } from './child-protocol';

type Handler = (args: Record<string, unknown>) => unknown;

/** Event-loop delay of this process, sampled only between lagStart and lagStop. */
function lagProbe(): Record<string, Handler> {
  let h: IntervalHistogram | null = null;
  return {
    lagStart: () => {
      h?.disable();
      h = monitorEventLoopDelay({ resolution: 10 });
      h.enable();
      return true;
    },
    lagStop: (): LagStats => {
      if (!h) throw new Error('lagStart was not called');
      h.disable();
      const ms = (ns: number) => ns / 1e6;
      // The histogram counts the timer's own period too: subtract it to get the delay beyond it.
      const stats = {
        p50: Math.max(0, ms(h.percentile(50)) - 10),
        p99: Math.max(0, ms(h.percentile(99)) - 10),
        max: Math.max(0, ms(h.max) - 10),
        samples: h.count,
      };
      h = null;
      return stats;
    },
    gc: () => {
      const g = (globalThis as { gc?: () => void }).gc;
      if (g) {
        g();
        g();
      }
      return Boolean(g);
    },
  };
}

function serve(handlers: Record<string, Handler>): void {
  process.on('message', (raw) => {
    const m = raw as ChildRequest;
    const reply = (r: ChildReply) => process.send?.(r);
    const h = handlers[m.cmd];
    if (!h) {
      reply({ id: m.id, ok: false, error: `unknown command ${m.cmd}` });
      return;
    }
    void Promise.resolve()
      .then(() => h(m.args ?? {}))
      .then(
        (value) => reply({ id: m.id, ok: true, value }),
        (e: unknown) => reply({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}

/**
 * The product's browser-mode host exactly as `serve` composes it (startServeHost),
 * plus an out-of-band probe on the Node IPC channel for what the contract does not expose: the
 * terminal flow-control counters and the host's event-loop delay. The probe is idle unless asked.
 */
async function runHostChild(home: string): Promise<void> {
  const log = createConsoleLogger({ quiet: true });
  const served = await startServeHost({
    dataDir: home,
    log,
    host: '127.0.0.1',
    port: 0,
    staticDir: rendererDir,
  });
  const { host, browser } = served;
  serve({
    ...lagProbe(),
    flow: (a) => host.engine.terminals.flowStats(String(a.sessionId)),
    // A flood read by a viewer in this process (the in-process transport, acking like the
    // renderer): one hop from the terminal host, as a client reading it directly would be.
    floodHere: async (a) => {
      const sessionId = String(a.sessionId);
      const frames = new FrameClient(createInProcessChannel(host.engine, log));
      const tap = new TerminalTap(frames);
      try {
        const read = await readFlood(frames, tap, sessionId);
        await tap.detach(sessionId);
        return read;
      } finally {
        tap.dispose();
        frames.close();
      }
    },
    // The terminal host's own cost (a Node process with no terminal) is fixed, not per session:
    // the idle curve's baseline starts it first, so memory per session counts only sessions.
    startTerminals: async () => {
      const t = host.engine.terminals;
      if (t instanceof RemoteTerminals) await t.start();
      return t instanceof RemoteTerminals;
    },
    stop: async () => {
      await served.close({ stopPrograms: true });
      setTimeout(() => process.exit(0), 10);
      return true;
    },
  });
  process.send?.({ type: 'ready', url: browser.url, pid: process.pid });
}

/**
 * The raw baseline: node-pty and nothing else, reading and discarding the output. With
 * `headless` (lines of scrollback), each PTY's output is also parsed into the host's own headless
 * screen class, in this process: the floor of any design that keeps every session's screen.
 */
function runRawChild(): void {
  const ptys: nodePty.IPty[] = [];
  const screens: HeadlessScreen[] = [];
  let chars = 0;
  serve({
    ...lagProbe(),
    spawn: (a) => {
      const n = Number(a.n);
      const file = String(a.file);
      const args = (a.args as string[]) ?? [];
      const cwd = typeof a.cwd === 'string' ? a.cwd : process.cwd();
      const scrollback = typeof a.headless === 'number' ? a.headless : null;
      for (let i = 0; i < n; i++) {
        const p = nodePty.spawn(file, args, {
          name: 'xterm-256color',
          cols: 120,
          rows: 32,
          cwd,
          env: process.env as Record<string, string>,
          encoding: 'utf8',
        });
        const screen = scrollback === null ? null : new HeadlessScreen(120, 32, scrollback);
        if (screen) screens.push(screen);
        p.onData((d) => {
          chars += d.length;
          screen?.write(d);
        });
        ptys.push(p);
      }
      return ptys.length;
    },
    chars: () => chars,
    stop: () => {
      for (const p of ptys) {
        try {
          p.kill('SIGKILL');
        } catch {
          // Already gone.
        }
      }
      for (const s of screens) s.dispose();
      setTimeout(() => process.exit(0), 50);
      return true;
    },
  });
  process.send?.({ type: 'ready', url: '', pid: process.pid });
}

/** Entry of `bench.js --child host|raw`. */
export async function childMain(kind: string, home: string): Promise<void> {
  if (kind === 'host') await runHostChild(home);
  else if (kind === 'raw') runRawChild();
  else throw new Error(`unknown child kind ${kind}`);
}
