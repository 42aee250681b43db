import { test, expect, screenshotMatrix } from './fixtures';
import { waitRunning, runningStatus } from './session-helpers';

test('everyday actions: context menu, rename, priority and limits while running, copy path, start/stop all, groups, favicon', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  test.setTimeout(150_000);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
  const repo = await tempRepo();
  const other = await tempRepo();
  const [a] = await api.call('sessions.create', { name: 'Act one', repoPath: repo, program: 'bash' });
  const [b] = await api.call('sessions.create', { name: 'Act two', repoPath: repo, program: 'bash' });
  const [c] = await api.call('sessions.create', { name: 'Elsewhere', repoPath: other, program: 'bash' });
  for (const s of [a, b, c]) {
    await waitRunning(api, s.id);
  }
  await page.goto(host.url);

  await test.step('right-click → Rename…; the dialog checks the name as it is typed', async () => {
    await page.getByTestId(`sidebar-session-${a.id}`).click({ button: 'right' });
    await expect(page.getByTestId('session-menu')).toBeVisible();
    await screenshotMatrix(page, 'actions-context-menu');
    await page.getByTestId('menu-rename').click();
    const name = page.getByTestId('session-edit-name');
    await expect(name).toBeFocused();
    await name.fill('   ');
    await expect(page.getByTestId('session-edit-name-problem')).toContainText('Give the session a name');
    await expect(page.getByTestId('session-edit-save')).toBeDisabled();
    await name.fill('Act one renamed');
    await name.press('Enter');
    await expect(page.getByTestId(`sidebar-session-${a.id}`)).toContainText('Act one renamed');
    expect((await api.call('sessions.get', { sessionId: a.id })).name).toBe('Act one renamed');
  });

  await test.step('priority and limits change while the program runs', async () => {
    await page.getByTestId(`sidebar-session-${a.id}`).click();
    await page.getByTestId('detail-priority').click();
    await expect(page.getByTestId('session-edit-priority')).toBeFocused();
    await page.getByTestId('session-edit-priority').fill('3');
    await page.getByTestId('session-edit-memory').fill('-1');
    await expect(page.getByTestId('session-edit-memory-problem')).toContainText('positive');
    await page.getByTestId('session-edit-memory').fill('1024');
    await screenshotMatrix(page, 'actions-edit-dialog');
    await page.getByTestId('session-edit-save').click();
    await expect(page.getByTestId('detail-priority')).toHaveText('Priority 3');
    const after = await api.call('sessions.get', { sessionId: a.id });
    expect(after).toMatchObject({ priority: 3, limits: { memoryMb: 1024 } });
    expect(after.status).toMatch(runningStatus);
  });

  await test.step('copy the worktree path', async () => {
    await page.getByTestId('detail-copy-worktree').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(a.worktreePath);
    await expect(page.getByTestId('toast').filter({ hasText: 'Copied the worktree path' })).toBeVisible();
  });

  await test.step('stop all and start all in a group ask first, then act on exactly that group', async () => {
    await page
      .getByRole('button', { name: /^Actions for repo/ })
      .first()
      .click();
    const group = (await api.call('sessions.list', {})).filter((s) => s.repoPath === a.repoPath);
    await page.getByTestId('list-stop-all').click();
    await expect(page.getByTestId('confirm-dialog')).toContainText(`Stop ${group.length} sessions?`);
    await screenshotMatrix(page, 'actions-confirm-stop-all');
    await page.getByTestId('confirm-ok').click();
    await expect
      .poll(async () =>
        (await api.call('sessions.list', {}))
          .filter((s) => s.status === 'stopped')
          .map((s) => s.id)
          .sort(),
      )
      .toEqual(group.map((s) => s.id).sort());
    expect((await api.call('sessions.get', { sessionId: c.id })).status).toMatch(runningStatus);
    await page.getByTestId('sidebar-menu').click();
    await page.getByTestId('list-start-all').click();
    await expect(page.getByTestId('confirm-dialog')).toContainText(`Start ${group.length} sessions?`);
    await page.getByTestId('confirm-ok').click();
    for (const s of group) {
      await waitRunning(api, s.id);
    }
  });

  await test.step('repository groups collapse, and stay collapsed after a reload', async () => {
    const groupOfC = page.locator(`section.session-group[data-group="${c.repoPath}"]`);
    const toggle = groupOfC.locator('.group-toggle');
    await expect(groupOfC.locator('.session-row')).toHaveCount(1);
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByTestId(`sidebar-session-${c.id}`)).toHaveCount(0);
    await expect(page.getByTestId(`sidebar-session-${a.id}`)).toBeVisible();
    await page.reload();
    await expect(page.getByTestId(`sidebar-session-${a.id}`)).toBeVisible();
    await expect(page.getByTestId(`sidebar-session-${c.id}`)).toHaveCount(0);
    await toggle.click();
    await expect(page.getByTestId(`sidebar-session-${c.id}`)).toBeVisible();
  });

  await test.step('the page has a favicon', async () => {
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    const res = await page.request.get(new URL(href!, host.url).toString());
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('image/svg+xml');
  });
});
