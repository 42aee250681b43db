import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '../src/main/engine/store/database';
import { startServeProcess } from '../test/support/serve-process';
import { waitFor } from '../test/support/wait-for';
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

// After a crash: an interrupted creation offers to keep or remove its worktree, and a damaged
// record is shown in the sidebar instead of vanishing.
test('after a crash: keep an interrupted creation; a damaged record is shown', async ({ page, tempRepo }) => {
  test.setTimeout(180_000);
  const repo = await tempRepo();
  const first = await startServeProcess();
  const api = await first.client();
  const [victim] = await api.call('sessions.create', { name: 'Damaged', repoPath: repo, program: 'bash' });
  // The setup script holds the creation open until the host is killed.
  void api
    .request('sessions.create', {
      name: 'Interrupted',
      repoPath: repo,
      program: 'bash',
      autoStart: false,
      setupScript: 'exec sleep 600',
    })
    .catch(() => undefined);
  // Its record holds no path until the worktree is ready; the folder it claimed is on disk.
  const root = join(first.home, 'worktrees');
  const worktreePath = await waitFor('the interrupted creation to have its worktree', () =>
    readdirSync(root)
      .filter((d) => !d.startsWith('.'))
      .flatMap((d) => readdirSync(join(root, d)).map((e) => join(root, d, e)))
      .find((p) => p.includes('interrupted') && existsSync(join(p, '.git'))),
  );
  api.close();
  await first.stop('SIGKILL');
  // A torn write of one record.
  const db = await Database.open(join(first.home, 'multisession.db'));
  await db.run('UPDATE sessions SET data = substr(data, 1, 40) WHERE id = ?', [victim!.id]);
  await db.close();

  const second = await startServeProcess({ home: first.home });
  try {
    const c = await second.client();
    const interrupted = (await c.call('sessions.list', {})).find((x) => x.name === 'Interrupted')!;
    expect(interrupted.worktreePath).toBe(worktreePath);
    await page.goto(second.url);
    await expect(page.getByTestId('sidebar-quarantined')).toContainText('1 damaged session record');
    await page.getByTestId(`sidebar-session-${interrupted.id}`).click();
    await expect(page.getByTestId('detail-recovery')).toBeVisible();
    await expect(page.getByTestId('session-detail')).toContainText('Creation was interrupted');
    await screenshotMatrix(page, 'recovery-and-quarantine');
    await page.getByTestId('detail-recover').click();
    await expect(page.getByTestId('detail-recovery')).toHaveCount(0);
    const kept = await c.call('sessions.get', { sessionId: interrupted.id });
    c.close();
    expect(kept.status).toBe('stopped');
    expect(kept.recovery).toBeNull();
    expect(existsSync(worktreePath)).toBe(true);
  } finally {
    await second.stopAll();
  }
});
