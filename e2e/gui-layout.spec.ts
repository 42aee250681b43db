import type { Page } from '@playwright/test';
import { test, expect, screenshotMatrix, settled } from './fixtures';

interface Box {
  id: string;
  x: number;
  right: number;
  y: number;
  bottom: number;
}

/** Every visible control of the toolbar with its box. */
async function toolbarBoxes(page: Page): Promise<{ bar: Box; items: Box[] }> {
  return page.evaluate(() => {
    const box = (el: Element, id: string) => {
      const r = el.getBoundingClientRect();
      return { id, x: r.left, right: r.right, y: r.top, bottom: r.bottom };
    };
    const bar = document.querySelector('[data-testid="toolbar"]')!;
    const items = Array.from(bar.querySelectorAll('button, input, select'))
      .filter((el) => (el as HTMLElement).offsetParent !== null)
      .map((el, i) => box(el, (el as HTMLElement).dataset.testid ?? `${el.tagName}-${i}`));
    return { bar: box(bar, 'toolbar'), items };
  });
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.right - 0.5 && b.x < a.right - 0.5 && a.y < b.bottom - 0.5 && b.y < a.bottom - 0.5;

test('from 900 to 2560 px: the toolbar never overlaps itself, the terminal stays usable, the strip follows its tab', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  test.setTimeout(180_000);
  const repo = await tempRepo();
  const made = await api.call('sessions.create', {
    name: 'Wide',
    repoPath: repo,
    program: 'bash',
    copies: 12,
    autoStart: false,
  });
  await page.goto(host.url);
  for (const s of made) await page.getByTestId(`sidebar-session-${s.id}`).click();

  for (const width of [900, 1000, 1100, 1240, 1280, 1440, 1920, 2560]) {
    await page.setViewportSize({ width, height: 800 });
    await settled(page);
    const { bar, items } = await toolbarBoxes(page);
    for (const it of items) {
      expect(it.x, `${it.id} starts inside the toolbar at ${width}`).toBeGreaterThanOrEqual(bar.x);
      expect(it.right, `${it.id} ends inside the toolbar at ${width}`).toBeLessThanOrEqual(bar.right + 0.5);
      for (const other of items)
        if (other !== it) expect(overlaps(it, other), `${it.id} × ${other.id} at ${width}`).toBe(false);
    }
    const term = await page.locator('.terminal-area').boundingBox();
    expect(term!.width, `terminal width at ${width}`).toBeGreaterThanOrEqual(420);
    // The selected (last opened) tab is scrolled into view at every width.
    const strip = (await page.locator('.term-tabs').boundingBox())!;
    const tab = (await page.locator('.term-tab[data-active]').boundingBox())!;
    expect(tab.x).toBeGreaterThanOrEqual(strip.x - 0.5);
    expect(tab.x + tab.width).toBeLessThanOrEqual(strip.x + strip.width + 0.5);
  }

  await test.step('what does not fit is in the ⋯ menu', async () => {
    await page.setViewportSize({ width: 900, height: 700 });
    await settled(page);
    await page.getByTestId('toolbar-more').click();
    const menu = page.getByTestId('toolbar-more-menu');
    await expect(menu).toBeVisible();
    if ((await page.getByTestId('toolbar-cleanup').count()) === 0)
      await expect(menu.getByTestId('more-cleanup')).toBeVisible();
    await screenshotMatrix(page, 'layout-more-menu');
    await page.keyboard.press('Escape');
  });

  await test.step('the strip scrolls back to a tab chosen in the list', async () => {
    await page.getByTestId(`sidebar-session-${made[0].id}`).click();
    const strip = (await page.locator('.term-tabs').boundingBox())!;
    // The strip scrolls in the frame after the click.
    await expect
      .poll(async () => (await page.getByTestId(`terminal-tab-${made[0].id}`).boundingBox())!.x)
      .toBeGreaterThanOrEqual(strip.x - 0.5);
  });

  await test.step('the list scrolls to a session chosen in the tab strip', async () => {
    const last = made[made.length - 1];
    const rowInList = async () => {
      const list = (await page.locator('.sidebar-list').boundingBox())!;
      const row = (await page.getByTestId(`sidebar-session-${last.id}`).boundingBox())!;
      return row.y >= list.y - 0.5 && row.y + row.height <= list.y + list.height + 0.5;
    };
    // The list shows its top (the first session was chosen there); the last row is below it.
    expect(await rowInList()).toBe(false);
    await page.getByTestId(`terminal-tab-${last.id}`).getByRole('tab').click();
    await expect.poll(rowInList).toBe(true);
  });

  await test.step('at 900 px the details open as a drawer over the terminal; wider they dock', async () => {
    await expect(page.getByTestId('session-detail')).toHaveCount(0);
    await page.getByTestId('detail-expand').click();
    await expect(page.getByTestId('detail-drawer')).toBeVisible();
    await screenshotMatrix(page, 'layout-details');
    await page.setViewportSize({ width: 1600, height: 900 });
    await expect(page.getByTestId('detail-drawer')).toHaveCount(0);
    await expect(page.getByTestId('session-detail')).toBeVisible();
  });

  await test.step('the panes collapse and resize, by keyboard and by mouse', async () => {
    await page.locator('body').press('[');
    await expect(page.getByTestId('sidebar')).toHaveCount(0);
    await page.getByTestId('sidebar-expand').click();
    await expect(page.getByTestId('sidebar')).toBeVisible();
    const resizer = page.getByTestId('detail-resizer');
    const before = Number(await resizer.getAttribute('aria-valuenow'));
    const r = (await resizer.boundingBox())!;
    await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
    await page.mouse.down();
    await page.mouse.move(r.x + r.width / 2 - 120, r.y + r.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect(resizer).toHaveAttribute('aria-valuenow', String(before + 120));
    await resizer.focus();
    await page.keyboard.press('Enter');
    await expect(resizer).toHaveAttribute('aria-valuenow', '400');
    await page.getByRole('button', { name: 'Hide details' }).click();
    await expect(page.getByTestId('session-detail')).toHaveCount(0);
    await page.getByTestId('detail-expand').click();
    await expect(page.getByTestId('session-detail')).toBeVisible();
  });
  await screenshotMatrix(page, 'layout-many-tabs');
});
