import { spawn } from 'node:child_process';
import { serveEntry } from '../lib/paths';
import { FrameClient } from '../../src/shared/client';
import { connectWsChannel, wsUrlFromServeUrl } from '../../src/main/transports/websocket/ws-channel';
import { spawnChild } from '../lib/children';
import { size, type BenchContext } from '../lib/context';
import { withHost } from '../lib/host';
import { cpuPercentOver, rssMb, waitQuiet } from '../lib/proc';
import { ratioOf, round, type Figure } from '../lib/report';
import { removeDir, resetRepo } from '../lib/repos';
import { median, nowMs, sleep } from '../lib/stats';

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
  const child = spawn(process.execPath, [serveEntry, '--port', '0', '--home', home, '--quiet'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}\n${stderr}`)), 60_000);
      child.stdout.on('data', (d) => {
        out += String(d);
        const m = /Open (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
    });
    const client = new FrameClient(await connectWsChannel(wsUrlFromServeUrl(url)));
    const list = await client.call('sessions.list', {});
    const t = nowMs() - t0;
    client.close();
    if (list.length < expected) throw new Error(`serve listed ${list.length} sessions, expected ${expected}`);
    return t;
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

/**
 * Memory per idle session and idle CPU, 100 shells with 2 000 lines of scrollback each; then the
 * host is stopped and restarted on the same data dir to time startup with them persisted.
 */
export async function idleSessions(ctx: BenchContext): Promise<Figure[]> {
  const n = size(ctx, 100, 20);
  const windowMs = size(ctx, 30_000, 8_000);
  const startupRuns = size(ctx, 3, 1);
  let perSession = 0;
  let idleCpu = 0;
  let home = '';
  await withHost(
    ctx,
    'idle',
    async ({ host, client, watch, home: hostHome }) => {
      home = hostHome;
      await client.call('sessions.list', {});
      await host.call('gc');
      await sleep(500);
      const rss0 = rssMb(host.pid);
      const sessions = [];
      for (let left = n; left > 0; left -= 50) {
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
      await waitQuiet(host.pid, 3, 1000, 120_000);
      // Past the activity detector's busy window, so every session is reported idle.
      await sleep(3000);
      await host.call('gc');
      await sleep(500);
      const rss1 = rssMb(host.pid);
      perSession = (rss1 - rss0) / n;
      idleCpu = await cpuPercentOver(host.pid, windowMs);
      ctx.log(
        `idle: host rss ${rss0.toFixed(0)} → ${rss1.toFixed(0)} MB for ${n} sessions; cpu ${idleCpu.toFixed(2)} %`,
      );
    },
    { keepHome: true },
  );

  const raw = await spawnChild('raw');
  let rawPerSession: number;
  let rawCpu: number;
  try {
    await raw.call('gc');
    await sleep(500);
    const rss0 = rssMb(raw.pid);
    await raw.call('spawn', { n, file: FILLED_SHELL.program, args: FILLED_SHELL.args, cwd: ctx.root });
    await waitQuiet(raw.pid, 3, 1000, 120_000);
    await sleep(3000);
    await raw.call('gc');
    await sleep(500);
    rawPerSession = (rssMb(raw.pid) - rss0) / n;
    rawCpu = await cpuPercentOver(raw.pid, windowMs);
  } finally {
    await raw.stop();
  }

  const startup: number[] = [];
  const empty: number[] = [];
  const emptyHome = ctx.newHome('empty');
  try {
    await timeStartup(home, n);
    await timeStartup(emptyHome, 0);
    for (let i = 0; i < startupRuns; i++) {
      startup.push(await timeStartup(home, n));
      empty.push(await timeStartup(emptyHome, 0));
    }
  } finally {
    await removeDir(home);
    await removeDir(emptyHome);
    await resetRepo(ctx.repo1k);
  }
  const st = median(startup);
  const st0 = median(empty);
  ctx.log(`startup: ${st.toFixed(0)} ms with ${n} sessions, ${st0.toFixed(0)} ms empty`);
  return [
    {
      name: 'idle_session_mb',
      value: round(perSession, 2),
      unit: 'MB/session',
      baseline: round(rawPerSession, 2),
      ratio: ratioOf(perSession, rawPerSession, 0.05),
      runs: 1,
      target: '≤ 5 MB',
      met: perSession <= 5,
      extra: { sessions: n, scrollback_lines: LINES },
      baselineWhat: 'raw node-pty process holding the same shells',
    },
    {
      name: 'idle_cpu_pct_100',
      value: round(idleCpu, 2),
      unit: '% of a core',
      baseline: round(rawCpu, 2),
      ratio: ratioOf(idleCpu, rawCpu, 0.05),
      runs: 1,
      target: '≤ 1 %',
      met: idleCpu <= 1,
      extra: { sessions: n, window_s: windowMs / 1000 },
      baselineWhat: 'raw node-pty process holding the same shells',
    },
    {
      name: 'startup_ms_100',
      value: round(st, 0),
      unit: 'ms',
      baseline: round(st0, 0),
      ratio: ratioOf(st, st0),
      runs: startupRuns,
      target: '≤ 500 ms',
      met: st <= 500,
      extra: { sessions: n },
      baselineWhat: 'same host start with an empty data dir',
    },
  ];
}
