import { test, expect, screenshotBoth } from './fixtures';
import { waitRunning } from './session-helpers';

test('the analytics page charts a session that ran', async ({ page, host, api, tempRepo }) => {
  const repo = await tempRepo();
  const [s] = await api.call('sessions.create', { name: 'Measured', repoPath: repo, program: 'bash' });
  await waitRunning(api, s.id);
  // Two finished commands for the command charts (one fails).
  await api.call('commands.execute', { sessionId: s.id, command: 'git', args: ['status'] });
  await api.call('commands.execute', { sessionId: s.id, command: 'git', args: ['no-such-command'] });
  // Wait for at least one resource sample of the session.
  await expect
    .poll(async () => (await api.call('metrics.series', { from: Date.now() - 600_000 })).samples.length, {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);

  await page.goto(host.url);
  await page.getByTestId('toolbar-analytics').click();
  const pageEl = page.getByTestId('analytics-page');
  await expect(pageEl).toBeVisible();
  await expect(page.getByTestId('analytics-card-total')).toContainText('1');
  await expect(page.getByTestId('analytics-card-success-rate')).toContainText('%');
  for (const name of ['status', 'cpu', 'memory', 'commands', 'durations']) {
    const chart = page.getByTestId(`analytics-chart-${name}`);
    await expect(chart).toBeVisible();
    await expect(chart.locator('canvas')).toHaveCount(1);
  }
  // Live: new samples are appended while the page is open (the host samples every 2 s).
  const points = async () => Number(await page.getByTestId('analytics-chart-cpu').getAttribute('data-points'));
  const before = await points();
  expect(before).toBeGreaterThan(0);
  await expect.poll(points, { timeout: 15_000 }).toBeGreaterThan(before);
  // The session's series is in the per-session legends.
  await expect(page.getByTestId('analytics-chart-cpu').locator('.u-legend')).toContainText('Measured');

  // Every range reloads without losing the charts.
  for (const r of ['1h', '6h', '24h', '15m']) {
    await page.getByTestId(`range-${r}`).click();
    await expect(page.getByTestId(`range-${r}`)).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('analytics-chart-cpu').locator('canvas')).toHaveCount(1);
  }
  await screenshotBoth(page, 'analytics');
});

test('the analytics page explains itself before any session ran', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByTestId('toolbar-analytics').click();
  await expect(page.getByTestId('analytics-empty')).toContainText('No samples yet');
  await expect(page.getByTestId('analytics-card-total')).toContainText('0');
  await screenshotBoth(page, 'analytics-empty');
});
