import * as nodePty from 'node-pty';
import { HeadlessScreen } from '../../src/main/engine/terminals/headless-screen';
import type { TerminalFlowStats } from '../../src/main/engine/terminals/terminal-service';
import { size, type BenchContext } from '../lib/context';
import { withHost } from '../lib/host';
import { makeFigure } from '../lib/figures';
import { round, type Figure } from '../lib/report';
import { createRunning, readFlood, terminate } from '../lib/sessions';
import { median, nowMs } from '../lib/stats';

const HIGH_WATERMARK = 100_000;

function floodScript(bytes: number): string {
  return `head -c ${bytes} /dev/zero | base64`;
}

/**
 * Raw node-pty in this process: MB/s of onData for the same flood. With `headless`, also what the
 * design requires of the host (§3): each chunk parsed into a headless xterm with 5 000 lines of
 * scrollback, with the host's own back-pressure (pause above 1 000 000 unparsed chars, resume
 * under 250 000) — a reference for how much of the gap is the terminal state itself.
 */
function rawFlood(bytes: number, cwd: string, headless = false): Promise<{ mbps: number; chars: number }> {
  return new Promise((resolve) => {
    const screen = headless ? new HeadlessScreen(120, 32, 5000) : null;
    let unparsed = 0;
    let paused = false;
    let chars = 0;
    let last = 0;
    const t0 = nowMs();
    const pty = nodePty.spawn('bash', ['--noprofile', '--norc', '-c', floodScript(bytes)], {
      name: 'xterm-256color',
      cols: 120,
      rows: 32,
      cwd,
      env: process.env as Record<string, string>,
      encoding: 'utf8',
    });
    pty.onData((d) => {
      chars += d.length;
      last = nowMs();
      if (!screen) return;
      unparsed += d.length;
      screen.write(d, () => {
        unparsed -= d.length;
        if (paused && unparsed < 250_000) {
          paused = false;
          pty.resume();
        }
      });
      if (!paused && unparsed > 1_000_000) {
        paused = true;
        pty.pause();
      }
    });
    pty.onExit(() =>
      setTimeout(() => {
        screen?.dispose();
        resolve({ mbps: chars / 1e6 / ((last - t0) / 1000), chars });
      }, 300),
    );
  });
}

/** A flooding program's output delivered over the WebSocket to a client that acks like the renderer. */
export async function ptyFlood(ctx: BenchContext): Promise<Figure[]> {
  const bytes = size(ctx, 30_000_000, 8_000_000);
  const warmups = 1;
  const runs = size(ctx, 3, 2);
  const product: number[] = [];
  const raw: number[] = [];
  const rawHeadless: number[] = [];
  const oneHop: number[] = [];
  let maxUnacked = 0;
  let pauses = 0;
  let lost = 0;
  await withHost(ctx, 'pty_flood', async ({ host, client, watch, tap }) => {
    for (let i = 0; i < warmups + runs; i++) {
      const [s] = await createRunning(client, watch, {
        name: `flood ${i}`,
        repoPath: ctx.repo1k,
        program: 'bash',
        args: ['--noprofile', '--norc', '-c', `read x; ${floodScript(bytes)}`],
      });
      const { chars, ms } = await readFlood(client, tap, s.id);
      const mbps = chars / 1e6 / (ms / 1000);
      const flow = await host.call<TerminalFlowStats | null>('flow', { sessionId: s.id });
      await tap.detach(s.id);
      await terminate(client, s.id);
      // The same flood read inside the UI host: what a client reading the terminal host directly
      // (one hop instead of two) could reach on this machine.
      const [h] = await createRunning(client, watch, {
        name: `flood here ${i}`,
        repoPath: ctx.repo1k,
        program: 'bash',
        args: ['--noprofile', '--norc', '-c', `read x; ${floodScript(bytes)}`],
      });
      const here = await host.call<{ chars: number; ms: number }>('floodHere', { sessionId: h.id });
      await terminate(client, h.id);
      const hereMbps = here.chars / 1e6 / (here.ms / 1000);
      const r = await rawFlood(bytes, ctx.root);
      const rh = await rawFlood(bytes, ctx.root, true);
      // base64 lines of 76 chars, each ending \r\n on the terminal; plus the echoed Enter.
      const expected = Math.ceil((bytes * 4) / 3) + Math.ceil((bytes * 4) / 3 / 76) * 2;
      ctx.log(
        `pty_flood run ${i}: ${mbps.toFixed(1)} MB/s (${chars} chars of ~${expected}), raw ${r.mbps.toFixed(1)} MB/s (${r.chars}), raw+headless ${rh.mbps.toFixed(1)} MB/s, one hop ${hereMbps.toFixed(1)} MB/s (${here.chars}), max unacked ${flow?.maxUnacked}, pauses ${flow?.pauses}`,
      );
      if (i >= warmups) {
        product.push(mbps);
        raw.push(r.mbps);
        rawHeadless.push(rh.mbps);
        oneHop.push(hereMbps);
        maxUnacked = Math.max(maxUnacked, flow?.maxUnacked ?? 0);
        pauses += flow?.pauses ?? 0;
        lost = Math.max(lost, expected - chars);
      }
    }
  });
  return [
    makeFigure({
      name: 'pty_flood_mbps',
      unit: 'MB/s',
      product,
      baseline: raw,
      target: {
        text: `ratio ≥ 0.9, unacked ≤ ${HIGH_WATERMARK}`,
        test: ({ ratio }) => ratio !== null && ratio >= 0.9 && maxUnacked <= HIGH_WATERMARK,
      },
      extra: {
        max_unacked: maxUnacked,
        pauses,
        missing_chars: Math.max(0, lost),
        raw_plus_headless_mbps: round(median(rawHeadless), 1),
        one_hop_mbps: round(median(oneHop), 1),
        one_hop_ratio: round(median(oneHop) / median(raw), 2),
      },
      baselineWhat: 'raw node-pty onData in one process',
      digits: 1,
    }),
  ];
}
