import { spawnChild } from '../lib/children';
import { size, type BenchContext } from '../lib/context';
import { makeFigure, targets } from '../lib/figures';
import { withHost } from '../lib/host';
import { cpuPercentEach, cpuPercentOver, waitGitQuiet } from '../lib/proc';
import type { Figure } from '../lib/report';
import { STREAMER } from '../lib/sessions';
import { median, nowMs, percentile, sleep } from '../lib/stats';

/**
 * CPU of every product process (the UI host and, when terminals live there, the terminal host) and
 * the host's event-loop lag while 50 sessions stream ~20 KB/s each to an attached, acking client;
 * against a raw node-pty process reading the same streamers. Several windows give the spread.
 */
export async function streaming(ctx: BenchContext): Promise<Figure[]> {
  const n = size(ctx, 50, 20);
  const windows = size(ctx, 3, 2);
  const windowMs = size(ctx, 10_000, 5_000);
  const cpu: number[] = [];
  const lag: number[] = [];
  const rtt: number[] = [];
  const kbs: number[] = [];
  const uiCpu: number[] = [];
  await withHost(ctx, 'stream', async ({ host, client, watch, tap }) => {
    const sessions = [];
    for (let left = n; left > 0; left -= 50) {
      sessions.push(
        ...(await client.call('sessions.create', {
          name: 'stream',
          repoPath: ctx.repo1k,
          program: STREAMER.program,
          args: STREAMER.args,
          copies: Math.min(50, left),
          autoStart: true,
        })),
      );
    }
    const { failed } = await watch.settle(sessions);
    if (failed > 0) throw new Error(`${failed} streaming sessions failed to start`);
    let received = 0;
    for (const s of sessions) await tap.attach(s.id, (d) => (received += d.length));
    await sleep(3000);
    // The engine's one-off scan of each new worktree (git snapshots, diff stats) ends before measuring.
    const waited = await waitGitQuiet(() => host.pids());
    ctx.log(`stream: waited ${(waited / 1000).toFixed(1)} s for the host's git processes to end`);
    for (let w = 0; w < windows; w++) {
      received = 0;
      await host.lagStart();
      // A cheap request's round trip, as the UI would feel it (client side, for comparison).
      const rtts: number[] = [];
      let probing = true;
      const probe = (async () => {
        while (probing) {
          const t0 = nowMs();
          await client.call('app.info', {});
          rtts.push(nowMs() - t0);
          await sleep(200);
        }
      })();
      // The split between the UI host (first pid) and the terminal host: where streaming costs.
      const each = await cpuPercentEach(host.pids(), windowMs);
      cpu.push(each.reduce((a, b) => a + b, 0));
      uiCpu.push(each[0]);
      const l = await host.lagStop();
      probing = false;
      await probe;
      lag.push(l.p99);
      rtt.push(percentile(rtts, 99));
      kbs.push(received / 1024 / (windowMs / 1000));
      ctx.log(
        `stream window ${w}: cpu ${cpu[w].toFixed(1)} % (${host.pids().length} processes; UI host ${uiCpu[w].toFixed(1)} %), lag p99 ${l.p99.toFixed(1)} ms, rtt p99 ${rtt[w].toFixed(1)} ms, ${kbs[w].toFixed(0)} KB/s`,
      );
    }
  });

  const { cpu: rawCpu, lag: rawLag } = await rawStreaming(ctx, n, windows, windowMs, null);
  // The floor of any design that keeps a parsed screen of every session: raw node-pty with each
  // output also parsed into the host's headless screen class (5 000 lines, the host's default),
  // in one process — no delivery to any client.
  const { cpu: floorCpu } = await rawStreaming(ctx, n, windows, windowMs, 5000);
  ctx.log(
    `stream raw: cpu ${rawCpu.map((x) => x.toFixed(1)).join('/')} %; raw + headless parse: ${floorCpu.map((x) => x.toFixed(1)).join('/')} %`,
  );
  const extra = { sessions: n, window_s: windowMs / 1000 };
  const baselineWhat = 'raw node-pty process reading the same streamers';
  return [
    makeFigure({
      name: `stream_cpu_pct_${n}`,
      unit: '% of a core',
      product: cpu,
      baseline: rawCpu,
      target: targets.ratioAtMost(2),
      extra: {
        ...extra,
        delivered_kb_s: Math.round(Math.min(...kbs)),
        ui_host_pct: Math.round(median(uiCpu) * 10) / 10,
        raw_plus_headless_pct: Math.round(median(floorCpu) * 10) / 10,
        floor_ratio: Math.round((median(floorCpu) / median(rawCpu)) * 100) / 100,
      },
      baselineWhat,
      digits: 1,
    }),
    makeFigure({
      name: `stream_lag_p99_ms_${n}`,
      unit: 'ms',
      product: lag,
      baseline: rawLag,
      target: targets.valueAtMost(20, 'ms'),
      extra: { ...extra, app_info_rtt_p99_ms: Math.round(Math.max(...rtt) * 10) / 10 },
      baselineWhat,
      digits: 1,
    }),
  ];
}

/** CPU and event-loop lag of a raw node-pty process reading `n` streamers (and parsing them, with `headless`). */
async function rawStreaming(
  ctx: BenchContext,
  n: number,
  windows: number,
  windowMs: number,
  headless: number | null,
): Promise<{ cpu: number[]; lag: number[] }> {
  const raw = await spawnChild('raw');
  const cpu: number[] = [];
  const lag: number[] = [];
  try {
    await raw.call('spawn', { n, file: STREAMER.program, args: STREAMER.args, cwd: ctx.root, headless });
    await sleep(3000);
    for (let w = 0; w < windows; w++) {
      await raw.lagStart();
      cpu.push(await cpuPercentOver(raw.pid, windowMs));
      lag.push((await raw.lagStop()).p99);
    }
  } finally {
    await raw.stop();
  }
  return { cpu, lag };
}
