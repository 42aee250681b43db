import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, screenshotMatrix } from './fixtures';
import { waitRunning } from './session-helpers';

test('pause and resume from the session menu: the work goes to the branch, the folder is freed and comes back', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo();
  // `.env*` ignored (the repository's own exclude file): git cannot commit it, so pausing would lose it.
  writeFileSync(join(repo, '.git', 'info', 'exclude'), '.env*\n');
  const [s] = await api.call('sessions.create', {
    name: 'Pauser',
    repoPath: repo,
    program: 'bash',
    args: ['--noprofile', '--norc'],
  });
  await waitRunning(api, s.id);
  writeFileSync(join(s.worktreePath, 'notes.md'), 'work in progress\n');
  writeFileSync(join(s.worktreePath, '.env.local'), 'SECRET=1\n');
  await page.goto(host.url);

  await test.step('Pause lists what git cannot commit and pauses only when that loss is accepted', async () => {
    await page.getByTestId(`sidebar-session-${s.id}`).click({ button: 'right' });
    await expect(page.getByTestId('menu-resume')).toHaveCount(0);
    await screenshotMatrix(page, 'pause-menu');
    await page.getByTestId('menu-pause').click();
    await expect(page.getByTestId('confirm-dialog')).toContainText('.env.local');
    await screenshotMatrix(page, 'pause-loss-dialog');
    await page.getByTestId('confirm-ok').click();
    await expect.poll(async () => (await api.call('sessions.get', { sessionId: s.id })).status).toBe('paused');
    await expect(page.getByTestId(`sidebar-session-${s.id}`)).toContainText('Paused');
    expect(existsSync(s.worktreePath)).toBe(false);
  });

  await test.step('the details say where the work is; the menu offers Resume (not Start, not Pause)', async () => {
    await page.getByTestId(`sidebar-session-${s.id}`).click();
    await expect(page.getByTestId('detail-paused')).toContainText(`work committed on ${s.branch}`);
    await page.getByTestId(`sidebar-session-${s.id}`).click({ button: 'right' });
    await expect(page.getByTestId('menu-pause')).toHaveCount(0);
    await expect(page.getByTestId('menu-start')).toHaveCount(0);
    await screenshotMatrix(page, 'paused-menu');
    await page.getByTestId('menu-resume').click();
    await waitRunning(api, s.id);
    expect(readFileSync(join(s.worktreePath, 'notes.md'), 'utf8')).toBe('work in progress\n');
    await expect(page.getByTestId('detail-paused')).toHaveCount(0);
  });
});
