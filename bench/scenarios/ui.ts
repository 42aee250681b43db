import type { Page } from '@playwright/test';
import type { Session } from '../../src/shared/domain';
import { startBareTerminalPage } from '../lib/bare-terminal';
import {
  clickFrames,
  frameIntervals,
  installClickProbe,
  installKeyProbe,
  installSocketTap,
  launchChromium,
  typeAndProbe,
  type KeyRound,
} from '../lib/browser';
import { profiled, traceClicks, type ClickCpu } from '../lib/browser-profile';
import { size, type BenchContext } from '../lib/context';
import { makeFigure, targets, type Target } from '../lib/figures';
import { withHost } from '../lib/host';
import { round, type Figure } from '../lib/report';
import { STREAMER } from '../lib/sessions';
import { median, nowMs, percentile, sleep } from '../lib/stats';

const p = (xs: number[], q: number) => (xs.length ? percentile(xs, q).toFixed(1) : '–');

const STREAMING_TABS = 10;
/** The DOM renderer in both pages: its rows can be watched, and the figures were taken with it. */
const DOM_RENDERER = () => localStorage.setItem('multisession.terminalRenderer', 'dom');

/** Opens the app and a session's tab; returns the selector of that terminal's rows. */
async function openTab(page: Page, sessionId: string): Promise<string> {
  await page.getByTestId(`sidebar-session-${sessionId}`).click();
  const rows = `[data-testid="terminal-${sessionId}"] .xterm-rows`;
  await page.waitForSelector(rows, { state: 'visible', timeout: 60_000 });
  return rows;
}

/**
 * Keystroke → glyph drawn, in the real renderer in Chromium with 10 streaming tabs open, against a
 * bare xterm.js page fed by raw node-pty over a WebSocket (with 10 streaming terminals of its own),
 * in the same run, measured by the same in-page probe. Rounds of keys alternate between the two.
 */
export async function keystrokeToPixels(ctx: BenchContext): Promise<Figure[]> {
  const rounds = size(ctx, 3, 2);
  const keys = size(ctx, 100, 40);
  const warmups = 5;
  const app: KeyRound[] = [];
  const bare: KeyRound[] = [];
  const browser = await launchChromium();
  const barePage = await startBareTerminalPage({ streamers: STREAMING_TABS, cwd: ctx.root });
  try {
    await withHost(ctx, 'keystroke', async ({ host, client, watch }) => {
      const streamers = await client.call('sessions.create', {
        name: 'streamer',
        repoPath: ctx.repo1k,
        program: STREAMER.program,
        args: STREAMER.args,
        copies: STREAMING_TABS,
        autoStart: true,
      });
      const [shell] = await client.call('sessions.create', {
        name: 'typing',
        repoPath: ctx.repo1k,
        program: 'bash',
        args: ['--noprofile', '--norc'],
        env: { PS1: '$ ' },
        autoStart: true,
      });
      await watch.settle([...streamers, shell]);
      const appPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await appPage.addInitScript(DOM_RENDERER);
      await appPage.addInitScript(installSocketTap);
      await appPage.goto(host.url);
      for (const s of streamers) await openTab(appPage, s.id);
      const rows = await openTab(appPage, shell.id);
      await appPage.click(`[data-testid="terminal-${shell.id}"] .xterm`);
      await installKeyProbe(appPage, rows, {
        send: ['terminals.input', shell.id],
        message: ['terminals.data', shell.id],
      });

      const rawPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await rawPage.addInitScript(installSocketTap);
      await rawPage.goto(barePage.url);
      await rawPage.waitForSelector('#t0 .xterm-rows');
      await rawPage.click('#t0 .xterm');
      await installKeyProbe(rawPage, '#t0 .xterm-rows', { url: '/ws?i=0' });
      await sleep(1000);

      for (let r = 0; r < rounds; r++) {
        // Alternate which page goes first; only the measured page is in front.
        const order: Array<[Page, KeyRound[]]> =
          r % 2 === 0
            ? [
                [appPage, app],
                [rawPage, bare],
              ]
            : [
                [rawPage, bare],
                [appPage, app],
              ];
        for (const [page, into] of order) {
          await page.bringToFront();
          const label = `keystroke-${page === appPage ? 'app' : 'bare'}-${r}`;
          into.push(await profiled(ctx.profileDir, page, label, ctx.log, () => typeAndProbe(page, keys, warmups)));
        }
        const legs = (k: KeyRound) =>
          `p50 ${p(k.drawn, 50)} / p99 ${p(k.drawn, 99)} ms (sent ${p(k.sent, 50)}, echo frame ${p(k.echo, 50)} ms at p50)`;
        ctx.log(`keystroke round ${r}: app ${legs(app[r])}; bare ${legs(bare[r])}`);
      }
    });
  } finally {
    await browser.close();
    await barePage.close();
  }
  // Where the time goes (medians over rounds of each round's p50): key → input frame sent, key →
  // echo frame arrived; the rest of `drawn` is parsing and painting in the page.
  const leg = (rs: KeyRound[], k: 'sent' | 'echo') => round(median(rs.map((x) => percentile(x[k], 50))), 1);
  const common = {
    unit: 'ms',
    runs: rounds,
    baselineWhat: 'bare xterm.js page fed by raw node-pty over a WebSocket (10 streaming terminals too)',
    extra: {
      keys_per_round: keys,
      streaming_tabs: STREAMING_TABS,
      renderer: 'dom',
      app_echo_frame_p50_ms: leg(app, 'echo'),
      bare_echo_frame_p50_ms: leg(bare, 'echo'),
    },
  };
  const p99Target: Target = {
    text: 'within 4 ms of the bare page',
    test: ({ value, baseline }) => baseline !== null && value - baseline <= 4,
  };
  return [
    makeFigure({
      name: 'keystroke_p50_ms',
      product: app.map((x) => percentile(x.drawn, 50)),
      baseline: bare.map((x) => percentile(x.drawn, 50)),
      target: targets.ratioAtMost(1.5),
      ...common,
    }),
    makeFigure({
      name: 'keystroke_p99_ms',
      product: app.map((x) => percentile(x.drawn, 99)),
      baseline: bare.map((x) => percentile(x.drawn, 99)),
      target: p99Target,
      ...common,
    }),
  ];
}

/** A session that keeps changing: a line, then quiet, so it flips busy ⇄ idle and its metrics move. */
const TICKER = { program: 'bash', args: ['--noprofile', '--norc', '-c', 'while :; do echo tick; read -t 2; done'] };

/**
 * With 100 sessions in the sidebar, updating (status flips, metric samples): the renderer's frame
 * intervals (p99 per window) against the same app with no sessions; the time to switch to a
 * session's tab that is not open yet (click → its screen drawn), against switching to an open one;
 * and how long each of those clicks blocks the page (click → next frame, measured in the page)
 * against a plain button's click in the same page.
 */
export async function rendererAtScale(ctx: BenchContext): Promise<Figure[]> {
  const n = size(ctx, 100, 30);
  const windows = size(ctx, 3, 2);
  const windowMs = size(ctx, 5_000, 3_000);
  const switches = size(ctx, 10, 4);
  const busy: number[] = [];
  const empty: number[] = [];
  const longFrames: number[] = [];
  const coldSwitch: number[] = [];
  const warmSwitch: number[] = [];
  // Click → next frame in the page: opening a tab, switching to an open one, a plain button.
  let openFrame: number[] = [];
  let switchFrame: number[] = [];
  let rawFrame: number[] = [];
  // The same clicks' main-thread CPU time from a trace (what load hardly moves).
  let clickCpu: ClickCpu = new Map();
  const browser = await launchChromium();
  try {
    await withHost(ctx, 'renderer', async ({ host, client, watch }) => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.addInitScript(DOM_RENDERER);
      await page.goto(host.url);
      await page.waitForSelector('[data-testid="toolbar-new-session"], button:has-text("New session")');
      for (let w = 0; w < windows; w++) {
        const f = await frameIntervals(page, windowMs);
        empty.push(percentile(f, 99));
      }
      const sessions: Session[] = [];
      for (let left = n; left > 0; left -= 50) {
        sessions.push(
          ...(await client.call('sessions.create', {
            name: 'ticker',
            repoPath: ctx.repo1k,
            ...TICKER,
            copies: Math.min(50, left),
            autoStart: true,
          })),
        );
      }
      await watch.settle(sessions);
      await page.waitForSelector(`[data-testid="sidebar-session-${sessions[n - 1].id}"]`, { timeout: 60_000 });
      await sleep(3000);
      for (let w = 0; w < windows; w++) {
        const f = await frameIntervals(page, windowMs);
        busy.push(percentile(f, 99));
        longFrames.push(f.filter((x) => x > 50).length);
      }
      // Tab switches: to a session whose tab is not open (snapshot + new xterm), then back to an open one.
      await installClickProbe(page);
      for (let i = 0; i < 10; i++) await page.click('#bench-raw-click');
      rawFrame = await clickFrames(page, 'raw', 10);
      let previous: string | null = null;
      clickCpu = await traceClicks(ctx.profileDir, page, `renderer-tabs-${n}`, ctx.log, async () => {
        for (let i = 0; i < switches; i++) {
          const s = sessions[(i * 7) % n];
          const t0 = nowMs();
          await openTab(page, s.id);
          await page.waitForFunction(
            (sel) => (document.querySelector(sel)?.textContent ?? '').includes('tick'),
            `[data-testid="terminal-${s.id}"] .xterm-rows`,
          );
          coldSwitch.push(nowMs() - t0);
          if (previous) {
            const t1 = nowMs();
            await page.getByTestId(`terminal-tab-${previous}`).getByRole('tab').click();
            await page.waitForSelector(`[data-testid="terminal-${previous}"]`, { state: 'visible' });
            warmSwitch.push(nowMs() - t1);
          }
          previous = s.id;
        }
      });
      openFrame = await clickFrames(page, 'row', switches);
      switchFrame = await clickFrames(page, 'tab', switches - 1);
      ctx.log(
        `renderer ${n}: frame p99 ${busy.map((x) => x.toFixed(1)).join('/')} ms (empty ${empty.map((x) => x.toFixed(1)).join('/')}), tab switch ${percentile(coldSwitch, 50).toFixed(0)} ms cold / ${percentile(warmSwitch, 50).toFixed(0)} ms open, page blocked p95 ${percentile(openFrame, 95).toFixed(1)} ms opening / ${percentile(switchFrame, 95).toFixed(1)} ms switching (plain button ${percentile(rawFrame, 50).toFixed(1)} ms)`,
      );
    });
  } finally {
    await browser.close();
  }
  return [
    makeFigure({
      name: `frame_p99_ms_${n}`,
      unit: 'ms',
      product: busy,
      baseline: empty,
      target: targets.valueAtMost(50, 'ms'),
      extra: { sessions: n, window_s: windowMs / 1000, long_frames_max: Math.max(...longFrames) },
      baselineWhat: 'the same app with no sessions',
      digits: 1,
    }),
    makeFigure({
      name: `tab_open_ms_${n}`,
      unit: 'ms',
      product: coldSwitch,
      baseline: warmSwitch,
      target: targets.valueAtMost(50, 'ms'),
      extra: { sessions: n },
      baselineWhat: 'switching to a tab that is already open',
      digits: 0,
    }),
    // One p95 over all clicks (not a median of per-click runs: single clicks vary by more than 2×).
    ...(
      [
        ['tab_open_frame_ms', openFrame, 'row'],
        ['tab_switch_frame_ms', switchFrame, 'tab'],
      ] as const
    ).map(([name, xs, kind]) =>
      makeFigure({
        name: `${name}_${n}`,
        unit: 'ms',
        product: [percentile(xs, 95)],
        baseline: [percentile(rawFrame, 50)],
        runs: xs.length,
        target: { text: '≤ 50 ms (p95)', test: ({ value }) => value <= 50 },
        extra: {
          sessions: n,
          median_ms: round(percentile(xs, 50), 1),
          max_ms: round(Math.max(...xs), 1),
          ...cpuExtra(clickCpu.get(kind)),
        },
        baselineWhat: 'a plain button toggling a class, same page (median)',
        digits: 1,
      }),
    ),
  ];
}

/** Median main-thread CPU of the clicks: until the frame that shows them, and in the 200 ms after it. */
function cpuExtra(c: { frame: number[]; after: number[] } | undefined): Record<string, number> {
  if (!c || c.frame.length === 0) return {};
  return { cpu_to_paint_ms: round(median(c.frame), 1), cpu_after_paint_ms: round(median(c.after), 1) };
}
