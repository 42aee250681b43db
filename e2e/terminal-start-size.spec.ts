import { test, expect } from './fixtures';

// A new session starts at the size of the pane that will show it (issue #12 item 3): its program's
// first screen is drawn for the real size, not for 120×32 and then redrawn after a resize.

test('a session made in the wizard starts at the terminal pane size', async ({ page, host, api, tempRepo }) => {
  await page.addInitScript(() => localStorage.setItem('multisession.terminalRenderer', 'dom'));
  const repo = await tempRepo();
  // One open tab lays the pane out and measures it.
  const [first] = await api.call('sessions.create', {
    name: 'First',
    repoPath: repo,
    program: 'bash',
    args: ['--norc', '--noprofile'],
  });
  await page.goto(host.url);
  await page.getByTestId(`sidebar-session-${first.id}`).click();
  await expect(page.getByTestId(`terminal-${first.id}`)).toBeVisible();
  // The host settles on the tab's size (the one viewer): that is the pane's size in cells.
  await expect
    .poll(async () => {
      const s = await api.call('sessions.get', { sessionId: first.id });
      return s.cols !== 120 || s.rows !== 32;
    })
    .toBe(true);
  const pane = await api.call('sessions.get', { sessionId: first.id });

  await page.getByTestId('toolbar-new-session').click();
  await page.getByTestId('wizard-repo-path').fill(repo);
  await expect(page.getByTestId('wizard-repo-info')).toBeVisible();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-agent').selectOption('custom');
  await page.getByTestId('wizard-name').fill('Sized');
  // The program reports the size it was started at, before anything could resize it.
  await page.getByTestId('wizard-custom-command').fill(`sh -c 'echo "START $(stty size)"; exec sleep 600'`);
  await expect(page.getByTestId('wizard-program-problem')).toHaveCount(0);
  while (!(await page.getByTestId('wizard-create').isVisible())) await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-create').click();
  await expect(page.getByTestId('wizard')).toBeHidden({ timeout: 60_000 });

  const sized = (await api.call('sessions.list', {})).find((s) => s.name.startsWith('Sized'));
  expect(sized).toBeDefined();
  expect({ cols: sized!.cols, rows: sized!.rows }).toEqual({ cols: pane.cols, rows: pane.rows });
  await expect
    .poll(async () => {
      const snap = await api.call('terminals.attach', { sessionId: sized!.id, cols: pane.cols, rows: pane.rows });
      await api.call('terminals.detach', { sessionId: sized!.id });
      return /START \d+ \d+/.exec(snap.snapshot)?.[0] ?? '';
    })
    .toBe(`START ${pane.rows} ${pane.cols}`);
});
