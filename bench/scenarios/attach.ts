import xtermHeadless from '@xterm/headless';
import type { FrameClient } from '../../src/shared/client';
import { size, type BenchContext } from '../lib/context';
import { withHost } from '../lib/host';
import { makeFigure } from '../lib/figures';
import type { Figure } from '../lib/report';
import { createRunning, SLEEPER } from '../lib/sessions';
import { median, nowMs } from '../lib/stats';

const LINES = 5000;
const COLS = 120;
const ROWS = 32;

/**
 * A session with a full scrollback: 5 000 lines of 120 columns with colours and bold on every
 * line (what an agent's or a build's output looks like), then it waits. printf is a builtin: no fork per line.
 */
const FILLER = {
  program: 'bash',
  args: [
    '--noprofile',
    '--norc',
    '-c',
    `pad=$(printf '%0.s-' $(seq 80)); for i in $(seq ${LINES}); do ` +
      `printf '\\e[32mline %05d\\e[0m %s \\e[1;31mERR\\e[0m \\e[38;5;%dmtail\\e[0m\\n' $i "$pad" $((i % 256)); ` +
      `done; printf 'FILLED\\n'; exec sleep 600`,
  ],
};

async function attachOnce(client: FrameClient, sessionId: string): Promise<{ ms: number; snapshot: string }> {
  const t0 = nowMs();
  const r = await client.call('terminals.attach', { sessionId, cols: COLS, rows: ROWS });
  const ms = nowMs() - t0;
  await client.call('terminals.detach', { sessionId });
  return { ms, snapshot: r.snapshot };
}

/** What the renderer does with a snapshot: parse it into a fresh terminal of the same size. */
function replayMs(snapshot: string): Promise<number> {
  const term = new xtermHeadless.Terminal({ cols: COLS, rows: ROWS, scrollback: 10_000, allowProposedApi: true });
  const t0 = nowMs();
  return new Promise((resolve) =>
    term.write(snapshot, () => {
      const ms = nowMs() - t0;
      term.dispose();
      resolve(ms);
    }),
  );
}

/**
 * Opening a tab on a session with 5 000 lines of scrollback: `terminals.attach` (snapshot of the
 * host's headless terminal + subscription) over the WebSocket, against the same attach to a
 * session with an empty screen — the difference is what the scrollback costs.
 */
export async function attachSnapshot(ctx: BenchContext): Promise<Figure[]> {
  const warmups = 3;
  const runs = size(ctx, 20, 8);
  const product: number[] = [];
  const empty: number[] = [];
  const replays: number[] = [];
  let chars = 0;
  await withHost(ctx, 'attach', async ({ client, watch }) => {
    const [full] = await createRunning(client, watch, { name: 'full', repoPath: ctx.repo1k, ...FILLER });
    const [blank] = await createRunning(client, watch, { name: 'blank', repoPath: ctx.repo1k, ...SLEEPER });
    // Wait for the filler to finish: its snapshot ends with FILLED.
    const deadline = Date.now() + 120_000;
    while (!(await attachOnce(client, full.id)).snapshot.includes('FILLED')) {
      if (Date.now() > deadline) throw new Error('the filler session did not print its 5 000 lines within 120 s');
    }
    for (let i = 0; i < warmups + runs; i++) {
      // Alternate which runs first, so a noisy moment hits both series alike.
      const order = i % 2 === 0 ? [full.id, blank.id] : [blank.id, full.id];
      const times: Record<string, number> = {};
      for (const id of order) {
        const r = await attachOnce(client, id);
        times[id] = r.ms;
        if (id === full.id) chars = r.snapshot.length;
        if (id === full.id && i >= warmups && i % 4 === 0) replays.push(await replayMs(r.snapshot));
      }
      if (i >= warmups) {
        product.push(times[full.id]);
        empty.push(times[blank.id]);
      }
    }
  });
  ctx.log(
    `attach_5000_lines: ${median(product).toFixed(1)} ms vs empty ${median(empty).toFixed(1)} ms; ` +
      `snapshot ${Math.round(chars / 1000)} k chars, replay ${median(replays).toFixed(1)} ms`,
  );
  return [
    makeFigure({
      name: 'attach_5000_lines_ms',
      unit: 'ms',
      product,
      baseline: empty,
      target: { text: '≤ 50 ms', test: ({ value }) => value <= 50 },
      extra: {
        snapshot_kchars: Math.round(chars / 1000),
        client_replay_ms: Math.round(median(replays) * 10) / 10,
      },
      baselineWhat: 'the same attach to a session with an empty screen',
    }),
  ];
}
