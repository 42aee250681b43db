import { spawnChild } from '../lib/children';
import { size, type BenchContext } from '../lib/context';
import { withHost } from '../lib/host';
import { cpuPercentOver } from '../lib/proc';
import { ratioOf, round, type Figure } from '../lib/report';
import { STREAMER } from '../lib/sessions';
import { nowMs, percentile, sleep } from '../lib/stats';

/** Host CPU and event-loop lag while 50 sessions stream ~20 KB/s each to an attached, acking client. */
export async function streaming(ctx: BenchContext): Promise<Figure[]> {
  const n = size(ctx, 50, 20);
  const windowMs = size(ctx, 30_000, 8_000);
  let cpu = 0;
  let lagP99 = 0;
  let rttP99 = 0;
  let received = 0;
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
    for (const s of sessions) await tap.attach(s.id, (d) => (received += d.length));
    await sleep(3000);
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
    cpu = await cpuPercentOver(host.pid, windowMs);
    const lag = await host.lagStop();
    probing = false;
    await probe;
    lagP99 = lag.p99;
    rttP99 = percentile(rtts, 99);
    ctx.log(
      `stream: host cpu ${cpu.toFixed(1)} %, lag p99 ${lag.p99.toFixed(1)} ms (max ${lag.max.toFixed(1)}), app.info rtt p99 ${rttP99.toFixed(1)} ms, ${(received / 1024 / (windowMs / 1000)).toFixed(0)} KB/s delivered`,
    );
  });

  const raw = await spawnChild('raw');
  let rawCpu: number;
  let rawLag: number;
  try {
    await raw.call('spawn', { n, file: STREAMER.program, args: STREAMER.args, cwd: ctx.root });
    await sleep(3000);
    await raw.lagStart();
    rawCpu = await cpuPercentOver(raw.pid, windowMs);
    rawLag = (await raw.lagStop()).p99;
  } finally {
    await raw.stop();
  }
  ctx.log(`stream raw: cpu ${rawCpu.toFixed(1)} %, lag p99 ${rawLag.toFixed(1)} ms`);
  const extra = { sessions: n, window_s: windowMs / 1000 };
  const baselineWhat = 'raw node-pty process reading the same streamers';
  return [
    {
      name: 'stream_cpu_pct_50',
      value: round(cpu, 1),
      unit: '% of a core',
      baseline: round(rawCpu, 1),
      ratio: ratioOf(cpu, rawCpu, 0.05),
      runs: 1,
      target: '≤ 20 %',
      met: cpu <= 20,
      extra: { ...extra, delivered_kb_s: round(received / 1024 / (windowMs / 1000), 0) },
      baselineWhat,
    },
    {
      name: 'stream_lag_p99_ms_50',
      value: round(lagP99, 1),
      unit: 'ms',
      baseline: round(rawLag, 1),
      ratio: ratioOf(lagP99, rawLag, 0.05),
      runs: 1,
      target: '≤ 20 ms',
      met: lagP99 <= 20,
      extra: { ...extra, app_info_rtt_p99_ms: round(rttP99, 1) },
      baselineWhat,
    },
  ];
}
