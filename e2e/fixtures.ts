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
    await host.stop();
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
