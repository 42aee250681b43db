import { SCREEN_DORMANT_AFTER_MS } from '../../src/main/engine/terminals/headless-screen';
import { spawnChild } from '../lib/children';
import { size, type BenchContext } from '../lib/context';
import { withHost } from '../lib/host';
import { cpuPercentOver, rssMbOf, rssSplitMb, waitQuiet } from '../lib/proc';
import { makeFigure, targets } from '../lib/figures';
import type { Figure } from '../lib/report';
import { removeDir, resetRepo } from '../lib/repos';
import { startServeChild } from '../lib/serve-child';
import { nowMs, sleep } from '../lib/stats';

const LINES = 2000;
/** Fills 2 000 lines of scrollback, then leaves an interactive shell waiting for input. */
const FILLED_SHELL = {
  program: 'bash',
  args: [
    '--noprofile',
    '--norc',
    '-c',
    `for i in $(seq ${LINES}); do echo "scrollback line $i: lorem ipsum dolor sit amet, consectetur adipiscing elit"; done; exec bash --noprofile --norc`,
  ],
};

/**
 * Time from spawning the real `serve` entry (out/main/serve.js) until `sessions.list` answers over
 * the WebSocket with all persisted sessions.
 */
async function timeStartup(home: string, expected: number): Promise<number> {
  const t0 = nowMs();
  const served = await startServeChild(home);
  try {
    const list = await served.client.call('sessions.list', {});
    const t = nowMs() - t0;
    if (list.length < expected) throw new Error(`serve listed ${list.length} sessions, expected ${expected}`);
    return t;
  } finally {
    await served.kill('SIGTERM');
  }
}

/** One point of the curve: memory added per session and CPU, sampled `samples` times. */
interface CurvePoint {
  n: number;
  /** Total RSS of the product's processes (or the raw process), MB, one per sample. */
  rss: number[];
  cpu: number[];
}

/** Session counts of the memory/CPU curve. */
const CURVE_FULL = [10, 50, 100, 200];
const CURVE_QUICK = [10, 20];

/**
 * Grows a set of idle sessions (each with 2 000 lines of scrollback, then an interactive shell)
 * through the curve's counts; at each count, after the processes went quiet and a GC, samples the
 * RSS and the CPU over a window several times. `grow(k)` adds k sessions and waits for them.
 */
async function measureCurve(
  counts: number[],
  samples: number,
  windowMs: number,
  pids: () => number[],
  gc: () => Promise<unknown>,
  grow: (k: number) => Promise<void>,
  quietMs: number,
  log?: (line: string) => void,
): Promise<{ base: number[]; points: CurvePoint[] }> {
  const sampleRss = async () => {
    await gc();
    await sleep(500);
    const ps = pids();
    // Which process holds what (UI host first): where a session's memory is, not only how much.
    log?.(
      ps
        .map((p, i) => {
          const s = rssSplitMb(p);
          return `${i === 0 ? 'UI host' : 'terminal host'} ${p}: malloc heap ${s.brk.toFixed(0)} + anon ${s.anon.toFixed(0)} + files ${s.file.toFixed(0)} MB`;
        })
        .join('; '),
    );
    return rssMbOf(ps);
  };
  // The baseline settles like every point below: quiet, then the same spell (a freshly started
  // host shrinks its heap over it — sampled at once, the UI host read ~20 MB more than it holds).
  await waitQuiet(pids(), 3, 1000, 180_000);
  await sleep(quietMs);
  const base: number[] = [];
  for (let i = 0; i < samples; i++) base.push(await sampleRss());
  const points: CurvePoint[] = [];
  let have = 0;
  for (const n of counts) {
    await grow(n - have);
    have = n;
    await waitQuiet(pids(), 3, 1000, 180_000);
    // Past the activity detector's busy window, so every session is reported idle, and (product)
    // past the quiet spell after which an idle terminal's screen goes dormant: the steady state of
    // an idle session.
    await sleep(quietMs);
    const point: CurvePoint = { n, rss: [], cpu: [] };
    for (let i = 0; i < samples; i++) {
      point.rss.push(await sampleRss());
      point.cpu.push(await cpuPercentOver(pids(), windowMs));
    }
    points.push(point);
  }
  return { base, points };
}

/**
 * Idle cost as a curve (host memory and CPU at 10, 50, 100 and 200 idle sessions, against a raw
 * node-pty process holding the same shells), the per-session memory and idle CPU at 100, and the
 * host's startup with 100 persisted sessions. Every process of the product counts (the UI host and,
 * when terminals live in a terminal host, that one too).
 */
export async function idleSessions(ctx: BenchContext): Promise<Figure[]> {
  const counts = size(ctx, CURVE_FULL, CURVE_QUICK);
  const at = size(ctx, 100, 20);
  const samples = size(ctx, 3, 2);
  const windowMs = size(ctx, 10_000, 4_000);
  const startupRuns = size(ctx, 3, 1);
  let home = '';
  let product: { base: number[]; points: CurvePoint[] } = { base: [], points: [] };
  await withHost(
    ctx,
    'idle',
    async ({ host, client, watch, home: hostHome }) => {
      home = hostHome;
      await client.call('sessions.list', {});
      // The baseline is the product with no session: the UI host and an empty terminal host.
      await host.call('startTerminals');
      product = await measureCurve(
        counts,
        samples,
        windowMs,
        () => host.pids(),
        () => host.call('gc'),
        async (k) => {
          const sessions = [];
          for (let left = k; left > 0; left -= 50) {
            sessions.push(
              ...(await client.call('sessions.create', {
                name: 'idle',
                repoPath: ctx.repo1k,
                program: FILLED_SHELL.program,
                args: FILLED_SHELL.args,
                copies: Math.min(50, left),
                autoStart: true,
              })),
            );
          }
          const { failed } = await watch.settle(sessions);
          if (failed > 0) throw new Error(`${failed} idle sessions failed to start`);
        },
        Math.max(3000, SCREEN_DORMANT_AFTER_MS + 3000),
        (line) => ctx.log(`idle rss split: ${line}`),
      );
      for (const p of product.points) {
        ctx.log(
          `idle ${p.n}: product rss ${p.rss.map((x) => x.toFixed(0)).join('/')} MB, cpu ${p.cpu.map((x) => x.toFixed(2)).join('/')} %`,
        );
      }
    },
    { keepHome: true },
  );

  const raw = await spawnChild('raw');
  let rawCurve: { base: number[]; points: CurvePoint[] };
  try {
    rawCurve = await measureCurve(
      counts,
      samples,
      windowMs,
      () => [raw.pid],
      () => raw.call('gc'),
      async (k) => {
        await raw.call('spawn', { n: k, file: FILLED_SHELL.program, args: FILLED_SHELL.args, cwd: ctx.root });
      },
      3000,
    );
  } finally {
    await raw.stop();
  }

  const startup: number[] = [];
  const empty: number[] = [];
  const emptyHome = ctx.newHome('empty');
  try {
    await timeStartup(home, at);
    await timeStartup(emptyHome, 0);
    for (let i = 0; i < startupRuns; i++) {
      startup.push(await timeStartup(home, at));
      empty.push(await timeStartup(emptyHome, 0));
    }
  } finally {
    await removeDir(home);
    await removeDir(emptyHome);
    await resetRepo(ctx.repo1k);
  }

  const figures: Figure[] = [];
  const baseOf = (c: { base: number[] }) => Math.min(...c.base);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const slopeOf = (ps: CurvePoint[]) =>
    ps.length < 2 ? 0 : (median(ps[ps.length - 1].rss) - median(ps[0].rss)) / (ps[ps.length - 1].n - ps[0].n);
  const curveWhat = 'raw node-pty process holding the same shells';
  for (let i = 0; i < counts.length; i++) {
    const p = product.points[i];
    const r = rawCurve.points[i];
    figures.push(
      makeFigure({
        name: `host_rss_mb_${p.n}`,
        unit: 'MB',
        product: p.rss,
        baseline: r.rss,
        extra: { sessions: p.n, scrollback_lines: LINES },
        baselineWhat: curveWhat,
        digits: 0,
      }),
      makeFigure({
        name: `host_cpu_pct_${p.n}`,
        unit: '% of a core',
        product: p.cpu,
        baseline: r.cpu,
        extra: { sessions: p.n, window_s: windowMs / 1000 },
        baselineWhat: curveWhat,
      }),
    );
  }
  const atProduct = product.points.find((p) => p.n === at);
  const atRaw = rawCurve.points.find((p) => p.n === at);
  if (atProduct && atRaw) {
    figures.push(
      makeFigure({
        name: `idle_session_mb`,
        unit: 'MB/session',
        product: atProduct.rss.map((x) => (x - baseOf(product)) / at),
        baseline: atRaw.rss.map((x) => (x - baseOf(rawCurve)) / at),
        target: targets.valueAtMost(2, 'MB'),
        extra: {
          sessions: at,
          scrollback_lines: LINES,
          // What the product costs with no session (UI host + empty terminal host), and the curve's
          // slope between its first and last points: the marginal cost of one more idle session.
          empty_mb: Math.round(baseOf(product)),
          slope_mb: Math.round(slopeOf(product.points) * 100) / 100,
        },
        baselineWhat: curveWhat,
      }),
      makeFigure({
        name: `idle_cpu_pct_${at}`,
        unit: '% of a core',
        product: atProduct.cpu,
        baseline: atRaw.cpu,
        target: targets.valueAtMost(1, '%'),
        extra: { sessions: at, window_s: windowMs / 1000 },
        baselineWhat: curveWhat,
      }),
    );
  }
  figures.push(
    makeFigure({
      name: `startup_ms_${at}`,
      unit: 'ms',
      product: startup,
      baseline: empty,
      target: targets.valueAtMost(500, 'ms'),
      extra: { sessions: at },
      baselineWhat: 'same host start with an empty data dir',
      digits: 0,
    }),
  );
  return figures;
}
