import { test, expect, screenshotMatrix } from './fixtures';
import { waitRunning } from './session-helpers';

test('hibernate and wake from the session menu; Settings say whether programs outlive the app', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo();
  // A program that says which process it is: after wake a new one runs, in the same worktree.
  const [s] = await api.call('sessions.create', {
    name: 'Sleeper',
    repoPath: repo,
    program: 'bash',
    args: ['--noprofile', '--norc', '-c', 'echo "pid $$ in $PWD"; exec bash --noprofile --norc'],
  });
  await waitRunning(api, s.id);
  const before = await api.call('sessions.get', { sessionId: s.id });
  await page.goto(host.url);

  await test.step('Hibernate stops the program and keeps the worktree', async () => {
    await page.getByTestId(`sidebar-session-${s.id}`).click({ button: 'right' });
    await expect(page.getByTestId('menu-start')).toHaveCount(0);
    await page.getByTestId('menu-hibernate').click();
    await expect.poll(async () => (await api.call('sessions.get', { sessionId: s.id })).status).toBe('hibernated');
    await expect(page.getByTestId(`sidebar-session-${s.id}`)).toContainText('Hibernated');
    const after = await api.call('sessions.get', { sessionId: s.id });
    expect(after.worktreePath).toBe(before.worktreePath);
    expect(after.pid).toBeNull();
  });

  await test.step('the menu offers Wake (not Start, not Hibernate); Wake runs it again', async () => {
    await page.getByTestId(`sidebar-session-${s.id}`).click({ button: 'right' });
    await expect(page.getByTestId('menu-hibernate')).toHaveCount(0);
    await expect(page.getByTestId('menu-start')).toHaveCount(0);
    await screenshotMatrix(page, 'hibernate-menu');
    await page.getByTestId('menu-wake').click();
    await waitRunning(api, s.id);
    const woken = await api.call('sessions.get', { sessionId: s.id });
    expect(woken.pid).not.toBeNull();
    expect(woken.pid).not.toBe(before.pid);
  });

  await test.step('Settings → Running: both lifetime switches apply at once', async () => {
    await page.getByTestId('toolbar-settings').click();
    const keep = page.getByTestId('settings-keepSessionsRunning');
    const restore = page.getByTestId('settings-restoreAfterRestart');
    const s0 = await api.call('settings.get', {});
    await expect(keep).toBeChecked({ checked: s0.keepSessionsRunning });
    await expect(restore).toBeChecked({ checked: s0.restoreAfterRestart });
    await keep.click();
    await expect
      .poll(async () => (await api.call('settings.get', {})).keepSessionsRunning)
      .toBe(!s0.keepSessionsRunning);
    await expect(keep).toBeChecked({ checked: !s0.keepSessionsRunning });
    await page.getByTestId('lifetime-settings').scrollIntoViewIfNeeded();
    await screenshotMatrix(page, 'settings-lifetime');
    await keep.click();
    await expect
      .poll(async () => (await api.call('settings.get', {})).keepSessionsRunning)
      .toBe(s0.keepSessionsRunning);
  });
});
