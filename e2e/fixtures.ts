import { test as base, expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServeProcess, type ServeProcess } from '../test/support/serve-process';
import { makeTempRepo } from '../test/support/temp-repo';
import type { FrameClient } from '../src/shared/client';

export const screenshotDir = join(__dirname, 'screenshots');
mkdirSync(screenshotDir, { recursive: true });

interface Fixtures {
  /** A real browser-mode host (built `out/main/serve.js`) on a fresh temp data dir. */
  host: ServeProcess;
  /** A typed client of that host over the WebSocket transport. */
  api: FrameClient;
  /** Makes a real temporary git repository; removed after the test. */
  tempRepo: (opts?: Parameters<typeof makeTempRepo>[0]) => Promise<string>;
}

export const test = base.extend<Fixtures>({
  // Playwright reads a fixture's dependencies from its destructuring pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const host = await startServeProcess();
    await use(host);
    await host.stopAll();
  },
  api: async ({ host }, use) => {
    const client = await host.client();
    await use(client);
    client.close();
  },
  // eslint-disable-next-line no-empty-pattern
  tempRepo: async ({}, use) => {
    const repos: Array<{ cleanup(): Promise<void> }> = [];
    await use(async (opts) => {
      const r = await makeTempRepo(opts);
      repos.push(r);
      return r.path;
    });
    for (const r of repos) await r.cleanup();
  },
});

/** Saves a screenshot of the page at both sizes the GUI is checked at. */
export async function screenshotBoth(page: import('@playwright/test').Page, name: string): Promise<void> {
  for (const [w, h] of [
    [1280, 800],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(screenshotDir, `${name}-${w}x${h}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

export { expect };

/** The window sizes every GUI screen is checked at (issue #18): the smallest supported, a laptop, a desktop. */
export const guiSizes = [
  [900, 700],
  [1280, 800],
  [1920, 1080],
] as const;

/** Waits until the page has laid out and painted after a size or theme change (two frames). */
export async function settled(page: import('@playwright/test').Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/**
 * Screenshots of the page at every size in `guiSizes`, in the light and the dark theme
 * (`<name>-<light|dark>-<w>x<h>.png` in e2e/screenshots). The viewport and scheme are restored.
 */
export async function screenshotMatrix(page: import('@playwright/test').Page, name: string): Promise<void> {
  const before = page.viewportSize() ?? { width: 1280, height: 800 };
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [width, height] of guiSizes) {
      await page.setViewportSize({ width, height });
      await settled(page);
      await page.screenshot({ path: join(screenshotDir, `${name}-${scheme}-${width}x${height}.png`) });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(before);
  await settled(page);
}
