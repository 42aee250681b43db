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
 * In-page probe of keystroke → glyph: a keydown listener (capture, on the window) notes the time
 * and how often the key's character appears in the terminal's rows; a MutationObserver on the rows
 * notes the time the count grows — the DOM renderer writes rows in the frame that paints them.
 * Both the app and the bare page are measured by this same code.
 */
export async function installKeyProbe(page: Page, rowsSelector: string): Promise<void> {
  await page.evaluate((selector) => {
    const w = window as unknown as { __keyProbe: { samples: number[]; armed: boolean } };
    const probe = { samples: [] as number[], armed: false };
    w.__keyProbe = probe;
    const rows = document.querySelector(selector);
    if (!rows) throw new Error(`no terminal rows at ${selector}`);
    const count = (ch: string) => (rows.textContent ?? '').split(ch).length - 1;
    let pending: { ch: string; t: number; before: number } | null = null;
    window.addEventListener(
      'keydown',
      (e) => {
        if (!probe.armed || e.key.length !== 1) return;
        pending = { ch: e.key, t: performance.now(), before: count(e.key) };
      },
      true,
    );
    new MutationObserver(() => {
      if (!pending) return;
      if (count(pending.ch) > pending.before) {
        probe.samples.push(performance.now() - pending.t);
        pending = null;
      }
    }).observe(rows, { childList: true, subtree: true, characterData: true });
  }, rowsSelector);
}

/** Types `keys` characters one at a time (10–30 ms apart), Enter every 40 (not timed); returns the latencies. */
export async function typeAndProbe(page: Page, keys: number, warmups: number): Promise<number[]> {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  await page.evaluate(() => {
    (window as unknown as { __keyProbe: { armed: boolean } }).__keyProbe.armed = true;
  });
  for (let i = 0; i < warmups + keys; i++) {
    const before = await page.evaluate(
      () => (window as unknown as { __keyProbe: { samples: number[] } }).__keyProbe.samples.length,
    );
    await page.keyboard.press(letters[i % letters.length]);
    await page.waitForFunction(
      (n) => (window as unknown as { __keyProbe: { samples: number[] } }).__keyProbe.samples.length > n,
      before,
      { timeout: 10_000 },
    );
    if (i % 40 === 39) {
      await page.evaluate(() => {
        (window as unknown as { __keyProbe: { armed: boolean } }).__keyProbe.armed = false;
      });
      await page.keyboard.press('Enter');
      await page.waitForTimeout(100);
      await page.evaluate(() => {
        (window as unknown as { __keyProbe: { armed: boolean } }).__keyProbe.armed = true;
      });
    }
    await page.waitForTimeout(10 + Math.random() * 20);
  }
  const all = await page.evaluate(
    () => (window as unknown as { __keyProbe: { samples: number[] } }).__keyProbe.samples,
  );
  return all.slice(warmups);
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
