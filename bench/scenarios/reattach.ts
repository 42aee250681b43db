import type { FrameClient } from '../../src/shared/client';
import type { Session } from '../../src/shared/domain';
import { terminalHostPids } from '../lib/children';
import { size, type BenchContext } from '../lib/context';
import { makeFigure } from '../lib/figures';
import type { Figure } from '../lib/report';
import { removeDir } from '../lib/repos';
import { startServeChild } from '../lib/serve-child';
import { nowMs, sleep } from '../lib/stats';

const running = new Set(['active', 'busy', 'idle', 'waiting']);

/** Each session has a screenful of history and sits in an interactive shell. */
const FILLED = {
  program: 'bash',
  args: ['--noprofile', '--norc', '-c', 'seq 2000; exec bash --noprofile --norc'],
};

/** Polls the list until `n` sessions run (what a user waits for after opening the app). */
async function untilRunning(client: FrameClient, n: number, timeoutMs: number): Promise<Session[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await client.call('sessions.list', {});
    const live = list.filter((s) => running.has(s.status));
    if (live.length >= n) return live;
    if (Date.now() > deadline) throw new Error(`${live.length} of ${n} sessions running after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/**
 * Reattach after the app quit (issue #13: under a second for 100 sessions): 100 sessions run in the
 * terminal host; the UI host is killed (SIGKILL: nothing orderly) and started again on the same data
 * dir; the figure is spawn → every session listed as running AND every terminal attached (its
 * snapshot of scrollback and screen received). Baseline: the same start on an empty data dir.
 */
export async function reattach(ctx: BenchContext): Promise<Figure[]> {
  const n = size(ctx, 100, 20);
  const runs = size(ctx, 3, 2);
  const home = ctx.newHome('reattach');
  const empty = ctx.newHome('reattach-empty');
  const product: number[] = [];
  const baseline: number[] = [];
  const snapshotChars: number[] = [];
  let served = await startServeChild(home);
  try {
    await served.client.call('settings.update', { maxRunning: 500 });
    for (let left = n; left > 0; left -= 50) {
      await served.client.call('sessions.create', {
        name: 'live',
        repoPath: ctx.repo1k,
        program: FILLED.program,
        args: FILLED.args,
        copies: Math.min(50, left),
        autoStart: true,
      });
    }
    const first = await untilRunning(served.client, n, 180_000);
    const pidsBefore = new Map(first.map((s) => [s.id, s.pid]));
    for (let i = 0; i < runs; i++) {
      await served.kill('SIGKILL');
      if (terminalHostPids(home).length === 0) throw new Error('no terminal host holds the sessions');
      const t0 = nowMs();
      served = await startServeChild(home);
      const live = await untilRunning(served.client, n, 60_000);
      const snaps = await Promise.all(
        live.map((s) => served.client.call('terminals.attach', { sessionId: s.id, cols: 120, rows: 32 })),
      );
      product.push(nowMs() - t0);
      snapshotChars.push(snaps.reduce((a, s) => a + s.snapshot.length, 0));
      const moved = live.filter((s) => pidsBefore.get(s.id) !== s.pid).length;
      if (moved > 0) throw new Error(`${moved} sessions came back with another program (restarted, not reattached)`);
      ctx.log(`reattach ${n}: ${product.at(-1)?.toFixed(0)} ms (${snapshotChars.at(-1)} snapshot chars)`);

      const tb = nowMs();
      const bare = await startServeChild(empty);
      await bare.client.call('sessions.list', {});
      baseline.push(nowMs() - tb);
      await bare.kill('SIGTERM');
    }
  } finally {
    // Stop every program, then the UI host; the terminal host exits once it holds none.
    const list = await served.client.call('sessions.list', {}).catch(() => []);
    await Promise.all(list.map((s) => served.client.call('sessions.stop', { sessionId: s.id }).catch(() => null)));
    await served.kill('SIGTERM');
    for (const pid of terminalHostPids(home)) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    await removeDir(home);
    await removeDir(empty);
  }
  return [
    makeFigure({
      name: `reattach_ms_${n}`,
      unit: 'ms',
      product,
      baseline,
      target: { text: '≤ 1000 ms (issue #13)', test: ({ value }) => value <= 1000 },
      baselineWhat: 'the same start on an empty data dir',
      extra: {
        sessions: n,
        snapshot_chars: Math.round(snapshotChars.reduce((a, b) => a + b, 0) / Math.max(1, snapshotChars.length)),
      },
    }),
  ];
}
