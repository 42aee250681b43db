import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startServeProcess } from '../test/support/serve-process';
import { test, expect, screenshotMatrix } from './fixtures';
import { waitRunning } from './session-helpers';

/** The session a pane shows: the tab marked selected, the sidebar row marked current, the details. */
async function shown(page: Page) {
  const tab = await page.locator('.term-tab[data-active]').getAttribute('data-testid');
  const row = await page.locator('.session-row[data-current]').getAttribute('data-testid');
  const detail = await page.getByTestId('session-detail').getAttribute('data-session-id');
  return { tab: tab?.replace('terminal-tab-', ''), row: row?.replace('sidebar-session-', ''), detail };
}

test('every pane follows the one selected session; nothing typed or shown carries over', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo();
  const [a] = await api.call('sessions.create', { name: 'Pane A', repoPath: repo, program: 'bash' });
  const [b] = await api.call('sessions.create', { name: 'Pane B', repoPath: repo, program: 'bash' });
  await page.goto(host.url);
  await page.getByTestId(`sidebar-session-${a.id}`).click();
  expect(await shown(page)).toEqual({ tab: a.id, row: a.id, detail: a.id });

  // A command's result and half-typed text belong to A only.
  await page.getByTestId('detail-run-input').fill('true');
  await page.getByTestId('detail-run').click();
  await expect(page.getByTestId('session-detail')).toContainText('Last: exit 0');
  await page.getByTestId('detail-run-input').fill('half typed for A');

  await page.getByTestId(`sidebar-session-${b.id}`).click();
  expect(await shown(page)).toEqual({ tab: b.id, row: b.id, detail: b.id });
  await expect(page.getByTestId('detail-run-input')).toHaveValue('');
  await expect(page.getByTestId('session-detail')).not.toContainText('Last: exit');
  await screenshotMatrix(page, 'panes-selected');

  // Closing the selected tab moves every pane to the neighbouring one, together.
  await page.getByTestId(`terminal-tab-${b.id}`).getByTestId('close-tab').click();
  expect(await shown(page)).toEqual({ tab: a.id, row: a.id, detail: a.id });

  // Terminating through the context menu closes its tab; no pane keeps showing it.
  await page.getByTestId(`sidebar-session-${a.id}`).click({ button: 'right' });
  await page.getByTestId('menu-terminate').click();
  await page.getByTestId('terminate-confirm').click();
  await expect(page.getByTestId(`terminal-tab-${a.id}`)).toHaveCount(0);
  await expect(page.getByTestId('session-detail')).toHaveCount(0);
  await expect(page.locator('.session-row[data-current]')).toHaveCount(0);
});

test('tabs, selection, panel sizes and the analytics range survive a reload and a restart', async ({
  page,
  tempRepo,
}) => {
  test.setTimeout(120_000);
  let host = await startServeProcess();
  const api = await host.client();
  const repo = await tempRepo();
  const [a] = await api.call('sessions.create', { name: 'Keep A', repoPath: repo, program: 'bash' });
  const [b] = await api.call('sessions.create', { name: 'Keep B', repoPath: repo, program: 'bash' });
  api.close();
  await page.goto(host.url);
  await page.getByTestId(`sidebar-session-${a.id}`).click();
  await page.getByTestId(`sidebar-session-${b.id}`).click();
  await page.getByTestId(`terminal-tab-${a.id}`).click();
  await page.getByTestId('detail-tab-commands').click();
  const resizer = page.getByTestId('sidebar-resizer');
  await resizer.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  const width = await resizer.getAttribute('aria-valuenow');
  expect(Number(width)).toBeGreaterThan(280);
  await page.getByTestId('toolbar-analytics').click();
  await page.getByTestId('range-6h').click();
  await page.getByTestId('toolbar-view-sessions').click();

  const check = async () => {
    await expect(page.getByTestId(`terminal-tab-${b.id}`)).toBeVisible();
    await expect(page.getByTestId(`terminal-tab-${a.id}`).getByRole('tab')).toHaveAttribute('aria-selected', 'true');
    expect(await shown(page)).toEqual({ tab: a.id, row: a.id, detail: a.id });
    await expect(page.getByTestId('detail-tab-commands')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('sidebar-resizer')).toHaveAttribute('aria-valuenow', width!);
    await page.getByTestId('toolbar-analytics').click();
    await expect(page.getByTestId('range-6h')).toHaveAttribute('aria-pressed', 'true');
    await page.getByTestId('toolbar-view-sessions').click();
  };
  await page.reload();
  await check();

  // A restart of the host on the same data dir and address: the page comes back as it was.
  const port = host.port;
  await host.stop();
  host = await startServeProcess({ home: host.home, args: ['--port', String(port)] });
  await page.goto(host.url);
  await check();
  await host.stopAll();
});

test('nothing stale: stopped sessions show no load, a queued one says why and starts when the cap is raised, changes refresh', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  test.setTimeout(120_000);
  const repo = await tempRepo();
  await api.call('settings.update', { maxRunning: 1 });
  const [a] = await api.call('sessions.create', { name: 'First', repoPath: repo, program: 'bash' });
  await waitRunning(api, a.id);
  const [b] = await api.call('sessions.create', { name: 'Waiting in line', repoPath: repo, program: 'bash' });
  expect((await api.call('sessions.get', { sessionId: b.id })).status).toBe('queued');
  await page.goto(host.url);

  await page.getByTestId(`sidebar-session-${b.id}`).click();
  const banner = page.getByTestId(`terminal-${b.id}`).getByTestId('terminal-pending-banner');
  await expect(banner).toContainText('Queued — 1 program is already running');
  await screenshotMatrix(page, 'panes-queued');
  await banner.getByRole('button', { name: 'Raise the cap in Settings' }).click();
  await page.getByTestId('settings-max-running').fill('2');
  await page.getByTestId('settings-save').click();
  await waitRunning(api, b.id);
  await page.getByTestId('toolbar-view-sessions').click();
  await expect(banner).toHaveCount(0);

  // A stopped session's last CPU and memory are history, not shown as current.
  await page.getByTestId(`sidebar-session-${a.id}`).click();
  await expect(page.getByTestId(`sidebar-session-${a.id}`).locator('.session-res')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('detail-stop').click();
  await expect(page.getByTestId(`sidebar-session-${a.id}`)).toHaveAttribute('data-status', 'stopped');
  await expect(page.getByTestId(`sidebar-session-${a.id}`).locator('.session-res')).toHaveCount(0);
  await expect(page.locator('[data-metric="CPU"] .metric-value')).toHaveText('—');

  // A file written behind the app's back shows up in Changes without pressing refresh.
  await page.getByTestId('detail-tab-changes').click();
  await expect(page.getByTestId('detail-diff')).toContainText('No uncommitted changes');
  writeFileSync(join(a.worktreePath, 'written-outside.txt'), 'hello\n');
  await expect(page.getByTestId('changed-files')).toContainText('written-outside.txt', { timeout: 20_000 });
});
