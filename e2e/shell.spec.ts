import { test, expect, screenshotBoth } from './fixtures';

test('the printed URL opens the app shell with data from the host', async ({ page, host, api, tempRepo }) => {
  const repo = await tempRepo({ files: 3 });
  const [session] = await api.call('sessions.create', {
    name: 'Shell check',
    repoPath: repo,
    program: 'bash',
    autoStart: false,
  });
  await page.goto(host.url);
  await expect(page.getByTestId('app-shell')).toBeVisible();
  // Data from the host: the session created through the contract is in the sidebar…
  await expect(page.getByTestId(`sidebar-session-${session.id}`)).toContainText('Shell check');
  // …and the status bar shows what the host said about itself.
  const info = await api.call('app.info', {});
  await expect(page.getByTestId('status-bar')).toContainText(info.version);
  // The token left the address bar (no cookie holds it): this tab keeps it, so a reload works.
  expect(page.url()).not.toContain('token');
  await page.goto(host.origin + '/');
  await expect(page.getByTestId('app-shell')).toBeVisible();
  await screenshotBoth(page, 'shell');
});

test('a session created elsewhere appears live without a reload', async ({ page, host, api, tempRepo }) => {
  const repo = await tempRepo();
  await page.goto(host.url);
  await expect(page.getByTestId('app-shell')).toBeVisible();
  const [s] = await api.call('sessions.create', {
    name: 'Live arrival',
    repoPath: repo,
    program: 'bash',
    autoStart: false,
  });
  await expect(page.getByTestId(`sidebar-session-${s.id}`)).toBeVisible();
});
