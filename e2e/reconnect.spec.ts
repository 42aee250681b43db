import { test, expect, screenshotBoth } from './fixtures';
import { startServeProcess } from '../test/support/serve-process';

test('after a host restart the open page reconnects by itself, same URL, no reload', async ({
  page,
  host,
  tempRepo,
}) => {
  await page.goto(host.url);
  await expect(page.getByTestId('app-shell')).toBeVisible();
  await expect(page.getByTestId('status-connection')).toContainText('Connected');
  const urlBefore = page.url();
  // A marker that only survives if the page is not reloaded.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  await host.stop();
  await expect(page.getByTestId('connection-banner')).toBeVisible();
  await expect(page.getByTestId('status-connection')).toContainText('Reconnecting');
  await screenshotBoth(page, 'reconnecting');

  // The same data dir on the same port: the stable token means the page's token is still good.
  const again = await startServeProcess({ home: host.home, args: ['--port', String(host.port)] });
  try {
    expect(again.url).toBe(host.url);
    await expect(page.getByTestId('connection-banner')).toBeHidden({ timeout: 20_000 });
    await expect(page.getByTestId('status-connection')).toContainText('Connected');
    expect(page.url()).toBe(urlBefore);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    // Live again: a session created on the new host shows up without any user action.
    const repo = await tempRepo();
    const api = await again.client();
    const [s] = await api.call('sessions.create', {
      name: 'After restart',
      repoPath: repo,
      program: 'bash',
      autoStart: false,
    });
    await expect(page.getByTestId(`sidebar-session-${s.id}`)).toBeVisible();
    api.close();
  } finally {
    await again.stopAll();
  }
});
