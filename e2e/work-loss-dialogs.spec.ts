import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, screenshotMatrix } from './fixtures';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe' });

// Issue #16: the terminate and cleanup dialogs list what would be lost before anything can be
// accepted, and accepting discards exactly that list.
test('terminate and cleanup list the work at risk; discarding takes exactly the listed work', async ({
  page,
  api,
  host,
  tempRepo,
}) => {
  test.setTimeout(180_000);
  const repo = await tempRepo();
  const [dirty] = await api.call('sessions.create', {
    name: 'Unsaved work',
    repoPath: repo,
    program: 'bash',
    autoStart: false,
  });
  const [done] = await api.call('sessions.create', {
    name: 'Committed',
    repoPath: repo,
    program: 'bash',
    autoStart: false,
  });
  // Unsaved: an untracked note, a changed tracked file and a commit only on the session's branch.
  writeFileSync(join(dirty!.worktreePath, 'notes.txt'), 'my notes\n');
  git(dirty!.worktreePath, 'commit', '--allow-empty', '-q', '-m', 'work only on this branch');
  writeFileSync(join(dirty!.worktreePath, 'README.md'), 'edited\n');
  // Committed: its branch holds a commit the base does not have; terminating keeps the branch.
  writeFileSync(join(done!.worktreePath, 'feature.txt'), 'feature\n');
  git(done!.worktreePath, 'add', '.');
  git(done!.worktreePath, 'commit', '-q', '-m', 'feature');
  await api.call('sessions.terminate', { sessionId: done!.id });

  await page.goto(host.url);
  await page.getByTestId(`sidebar-session-${dirty!.id}`).click({ button: 'right' });
  await page.getByTestId('menu-terminate').click();
  const verdict = page.getByTestId('terminate-verdict');
  await expect(verdict).toContainText('Would lose');
  await expect(verdict).toContainText('notes.txt');
  await expect(verdict).toContainText('README.md');
  await page.getByTestId('terminate-delete-branch').check();
  await expect(verdict).toContainText('work only on this branch');
  await screenshotMatrix(page, 'terminate-verdict');

  // Without accepting, Terminate is refused and the worktree stays.
  await page.getByTestId('terminate-confirm').click();
  await expect(page.getByTestId('terminate-error')).toContainText('Discard exactly the listed work');
  expect(existsSync(join(dirty!.worktreePath, 'notes.txt'))).toBe(true);

  await screenshotMatrix(page, 'terminate-refused');
  await page.getByTestId('terminate-force').check();
  await expect(page.getByTestId('terminate-error')).toHaveCount(0);
  await screenshotMatrix(page, 'terminate-discard');
  await page.getByTestId('terminate-confirm').click();
  await expect(page.getByTestId('terminate-dialog')).toBeHidden({ timeout: 30_000 });
  expect((await api.call('sessions.get', { sessionId: dirty!.id })).status).toBe('terminated');
  expect(existsSync(dirty!.worktreePath)).toBe(false);

  // Cleanup: the terminated session's branch with its commit is kept, and says why.
  await page.getByTestId('toolbar-cleanup').click();
  const kept = page.getByTestId('cleanup-kept');
  await expect(kept).toContainText('feature');
  await screenshotMatrix(page, 'cleanup-verdict');
  await page.getByTestId('cleanup-force').check();
  await expect(page.getByTestId('cleanup-force-warning')).toBeVisible();
  await screenshotMatrix(page, 'cleanup-accept');
});
