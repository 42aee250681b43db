import * as nodePty from 'node-pty';
import { size, type BenchContext } from '../lib/context';
import { withHost } from '../lib/host';
import { makeFigure, targets } from '../lib/figures';
import type { Figure } from '../lib/report';
import { STREAMER } from '../lib/sessions';
import { nowMs, percentile, sleep } from '../lib/stats';

const STREAMERS = 10;
const KEYS = 'abcdefghijklmnopqrstuvwxyz';

interface EchoTarget {
  send(data: string): void;
  /** Resolves with the next output containing `ch`. */
  onNext(listener: (data: string) => void): void;
}

/** Types one key at a time and times it until the echo comes back; Enter every 40 keys (not timed). */
async function typeAndTime(target: EchoTarget, keys: number, warmups: number): Promise<number[]> {
  const times: number[] = [];
  let listener: ((d: string) => void) | null = null;
  target.onNext((d) => listener?.(d));
  for (let i = 0; i < warmups + keys; i++) {
    const ch = KEYS[i % KEYS.length];
    const t = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no echo of ${ch} within 5 s`)), 5000);
      listener = (d) => {
        if (!d.includes(ch)) return;
        clearTimeout(timer);
        listener = null;
        resolve(nowMs() - t0);
      };
      const t0 = nowMs();
      target.send(ch);
    });
    if (i >= warmups) times.push(t);
    if (i % 40 === 39) {
      target.send('\r');
      await sleep(50);
    }
    await sleep(10 + Math.random() * 20);
  }
  return times;
}

function rawPty(file: string, args: string[], cwd: string): nodePty.IPty {
  return nodePty.spawn(file, args, {
    name: 'xterm-256color',
    cols: 120,
    rows: 32,
    cwd,
    env: process.env as Record<string, string>,
    encoding: 'utf8',
  });
}

/** Keystroke to echo through the WebSocket while 10 other sessions stream ~20 KB/s each. */
export async function echoLatency(ctx: BenchContext): Promise<Figure[]> {
  const keys = size(ctx, 300, 80);
  const warmups = 10;
  let product: number[] = [];
  await withHost(ctx, 'echo', async ({ client, watch, tap }) => {
    const streamers = await client.call('sessions.create', {
      name: 'streamer',
      repoPath: ctx.repo1k,
      program: STREAMER.program,
      args: STREAMER.args,
      copies: STREAMERS,
      autoStart: true,
    });
    const [echo] = await client.call('sessions.create', {
      name: 'echo',
      repoPath: ctx.repo1k,
      program: 'cat',
      args: [],
      autoStart: true,
    });
    const { failed } = await watch.settle([...streamers, echo]);
    if (failed > 0) throw new Error(`${failed} echo-scenario sessions failed to start`);
    // Like a window with every tab open: all streams are delivered and acknowledged.
    for (const s of streamers) await tap.attach(s.id);
    let onEcho: (d: string) => void = () => undefined;
    await tap.attach(echo.id, (d) => onEcho(d));
    await sleep(1000);
    product = await typeAndTime(
      {
        send: (data) => void client.request('terminals.input', { sessionId: echo.id, data }),
        onNext: (l) => (onEcho = l),
      },
      keys,
      warmups,
    );
  });

  const streams = Array.from({ length: STREAMERS }, () => rawPty(STREAMER.program, STREAMER.args, ctx.root));
  for (const s of streams) s.onData(() => undefined);
  const cat = rawPty('cat', [], ctx.root);
  await sleep(1000);
  let rawListener: (d: string) => void = () => undefined;
  cat.onData((d) => rawListener(d));
  const raw = await typeAndTime({ send: (d) => cat.write(d), onNext: (l) => (rawListener = l) }, keys, warmups);
  for (const p of [...streams, cat]) p.kill('SIGKILL');

  // Rounds of keys in turn: the spread is between rounds, each summarised by its percentiles.
  const rounds = size(ctx, 3, 2);
  const per = Math.floor(keys / rounds);
  const slices = (xs: number[]) => Array.from({ length: rounds }, (_, r) => xs.slice(r * per, (r + 1) * per));
  const pr = slices(product);
  const rr = slices(raw);
  ctx.log(
    `echo: p50 ${percentile(product, 50).toFixed(2)} / p99 ${percentile(product, 99).toFixed(2)} / max ${Math.max(...product).toFixed(1)} ms; raw p50 ${percentile(raw, 50).toFixed(2)} / p99 ${percentile(raw, 99).toFixed(2)} ms`,
  );
  const common = {
    unit: 'ms',
    runs: rounds,
    baselineWhat: 'raw node-pty echo with 10 raw streamers',
    extra: { keys_per_round: per },
  };
  return [
    makeFigure({
      name: 'echo_p50_ms',
      product: pr.map((x) => percentile(x, 50)),
      baseline: rr.map((x) => percentile(x, 50)),
      ...common,
    }),
    makeFigure({
      name: 'echo_p99_ms',
      product: pr.map((x) => percentile(x, 99)),
      baseline: rr.map((x) => percentile(x, 99)),
      target: targets.valueAtMost(10, 'ms'),
      ...common,
    }),
  ];
}
