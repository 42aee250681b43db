import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from '@playwright/test';

/** Debian's Chromium (or CHROMIUM_PATH), started as the e2e tests start it. */
export async function launchChromium(): Promise<Browser> {
  const executablePath =
    process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  if (!executablePath) throw new Error('No Chromium found (install Debian’s chromium or set CHROMIUM_PATH).');
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // Pages measured in turn must not be throttled while the other one is in front.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
    ],
  });
}

/**
 * Taps every WebSocket of the page (install with addInitScript, before the page's own scripts):
 * the keystroke probe uses it to split a keystroke's latency into its legs.
 */
export function installSocketTap(): void {
  const w = window as unknown as {
    __wsTap: { send: (url: string, data: unknown) => void; message: (url: string, data: unknown) => void };
  };
  w.__wsTap = { send: () => undefined, message: () => undefined };
  const Native = window.WebSocket;
  class Tapped extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      const where = String(url);
      // Before the page's own listener (added later), so the time is the message's arrival.
      this.addEventListener('message', (e) => w.__wsTap.message(where, e.data));
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      w.__wsTap.send(this.url, data);
      super.send(data);
    }
  }
  window.WebSocket = Tapped;
}

/** Which socket traffic belongs to the typing terminal: its input frames and its echo frames. */
export interface EchoFilter {
  /** Only sockets whose URL contains this (the bare page has one socket per terminal). */
  url?: string;
  /** Every one of these must be in a sent frame (the app sends `terminals.input` with the session id). */
  send?: string[];
  /** Every one of these must be in a received frame (`terminals.data` and the session id). */
  message?: string[];
}

/**
 * In-page probe of keystroke → glyph: a keydown listener (capture, on the window) notes the time
 * and how often the key's character appears in the terminal's rows; a MutationObserver on the rows
 * notes the time the count grows — the DOM renderer writes rows in the frame that paints them.
 * With the socket tap installed it also notes when the input left (`sent`) and when the frame
 * carrying the echo arrived (`echo`), so a sample splits into key → sent → echo → drawn.
 * Both the app and the bare page are measured by this same code.
 */
export async function installKeyProbe(page: Page, rowsSelector: string, filter: EchoFilter = {}): Promise<void> {
  await page.evaluate(
    ({ selector, filter }) => {
      type Leg = { sent: number; echo: number };
      const w = window as unknown as {
        __keyProbe: { samples: number[]; legs: Leg[]; armed: boolean };
        __wsTap?: { send: (url: string, data: unknown) => void; message: (url: string, data: unknown) => void };
      };
      const probe = { samples: [] as number[], legs: [] as Leg[], armed: false };
      w.__keyProbe = probe;
      const rows = document.querySelector(selector);
      if (!rows) throw new Error(`no terminal rows at ${selector}`);
      const count = (ch: string) => (rows.textContent ?? '').split(ch).length - 1;
      let pending: { ch: string; t: number; before: number; sent: number; echo: number } | null = null;
      const matches = (url: string, data: unknown, parts: string[] | undefined) =>
        typeof data === 'string' &&
        (!filter.url || url.includes(filter.url)) &&
        (parts ?? []).every((p) => data.includes(p));
      if (w.__wsTap) {
        w.__wsTap.send = (url, data) => {
          if (pending && pending.sent < 0 && matches(url, data, filter.send)) pending.sent = performance.now();
        };
        w.__wsTap.message = (url, data) => {
          if (!pending || pending.sent < 0 || pending.echo >= 0) return;
          if (matches(url, data, filter.message) && (data as string).includes(pending.ch))
            pending.echo = performance.now();
        };
      }
      window.addEventListener(
        'keydown',
        (e) => {
          if (!probe.armed || e.key.length !== 1) return;
          pending = { ch: e.key, t: performance.now(), before: count(e.key), sent: -1, echo: -1 };
        },
        true,
      );
      new MutationObserver(() => {
        if (!pending) return;
        if (count(pending.ch) > pending.before) {
          const now = performance.now();
          probe.samples.push(now - pending.t);
          probe.legs.push({
            sent: pending.sent < 0 ? -1 : pending.sent - pending.t,
            echo: pending.echo < 0 ? -1 : pending.echo - pending.t,
          });
          pending = null;
        }
      }).observe(rows, { childList: true, subtree: true, characterData: true });
    },
    { selector: rowsSelector, filter },
  );
}

/** One round of the keystroke probe: key → glyph drawn, and its legs key → input sent, key → echo frame arrived (ms). */
export interface KeyRound {
  drawn: number[];
  sent: number[];
  echo: number[];
}

type ProbeWindow = {
  __keyProbe: { samples: number[]; legs: { sent: number; echo: number }[]; armed: boolean };
};

/** Types `keys` characters one at a time (10–30 ms apart), Enter every 40 (not timed); returns this round's samples. */
export async function typeAndProbe(page: Page, keys: number, warmups: number): Promise<KeyRound> {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const arm = (armed: boolean) =>
    page.evaluate((a) => {
      (window as unknown as ProbeWindow).__keyProbe.armed = a;
    }, armed);
  // The probe keeps every round's samples: this round's start after the ones already there.
  const first = await page.evaluate(() => (window as unknown as ProbeWindow).__keyProbe.samples.length);
  await arm(true);
  for (let i = 0; i < warmups + keys; i++) {
    const before = await page.evaluate(() => (window as unknown as ProbeWindow).__keyProbe.samples.length);
    await page.keyboard.press(letters[i % letters.length]);
    await page.waitForFunction((n) => (window as unknown as ProbeWindow).__keyProbe.samples.length > n, before, {
      timeout: 10_000,
    });
    if (i % 40 === 39) {
      await arm(false);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(100);
      await arm(true);
    }
    await page.waitForTimeout(10 + Math.random() * 20);
  }
  const { samples, legs } = await page.evaluate(() => (window as unknown as ProbeWindow).__keyProbe);
  const from = first + warmups;
  const kept = legs.slice(from);
  return {
    drawn: samples.slice(from),
    sent: kept.map((l) => l.sent).filter((x) => x >= 0),
    echo: kept.map((l) => l.echo).filter((x) => x >= 0),
  };
}

/** Frame intervals (ms) from requestAnimationFrame over `ms` of wall time. */
export async function frameIntervals(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(
    (windowMs) =>
      new Promise<number[]>((resolve) => {
        const out: number[] = [];
        let last = performance.now();
        const end = last + windowMs;
        const tick = (t: number) => {
          out.push(t - last);
          last = t;
          if (t < end) requestAnimationFrame(tick);
          else resolve(out.slice(1));
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

/**
 * In-page probe of input → next frame for clicks (what INP measures): from the click event's own
 * timestamp (so time waiting in the queue counts) until a task after the next animation frame, i.e.
 * how long the page was blocked before the user could see the result. Each sample is tagged with
 * what was clicked (`raw`, `row` for a sidebar session, `tab` for a terminal tab). Adds a plain
 * button (bottom left) that only toggles a class: a click on it is the browser's floor here.
 */
export async function installClickProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __clicks: { kind: string; ms: number }[] };
    w.__clicks = [];
    document.addEventListener(
      'click',
      (e) => {
        const t0 = e.timeStamp;
        const el = e.target instanceof Element ? e.target : null;
        const kind = el?.closest('#bench-raw-click')
          ? 'raw'
          : el?.closest('[data-testid^="sidebar-session-"]')
            ? 'row'
            : el?.closest('.term-tab')
              ? 'tab'
              : 'other';
        // A mark in the trace (`--profile`): which click a task of the main thread handled.
        performance.mark(`bench-click-${kind}`);
        requestAnimationFrame(() => setTimeout(() => w.__clicks.push({ kind, ms: performance.now() - t0 }), 0));
      },
      true,
    );
    const raw = document.createElement('button');
    raw.id = 'bench-raw-click';
    raw.textContent = 'raw';
    raw.style.cssText = 'position:fixed;left:0;bottom:0;z-index:9999';
    raw.addEventListener('click', () => raw.classList.toggle('on'));
    document.body.appendChild(raw);
  });
}

/** The click probe's samples of one kind so far (ms); waits until there are at least `atLeast`. */
export async function clickFrames(page: Page, kind: string, atLeast: number): Promise<number[]> {
  const read = (k: string) =>
    (window as unknown as { __clicks: { kind: string; ms: number }[] }).__clicks
      .filter((c) => c.kind === k)
      .map((c) => c.ms);
  await page.waitForFunction(
    ([k, n]) =>
      (window as unknown as { __clicks: { kind: string }[] }).__clicks.filter((c) => c.kind === k).length >= n,
    [kind, atLeast] as const,
  );
  return page.evaluate(read, kind);
}
