import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { runGit } from '../test/support/temp-repo';
import { checkA11y } from './axe';
import { test, expect, screenshotDir } from './fixtures';

const lines = (over: Record<number, string> = {}) =>
  Array.from({ length: 12 }, (_, i) => over[i + 1] ?? `export const line${i + 1} = ${i + 1};`).join('\n') + '\n';

async function commit(dir: string, files: Record<string, string>, message: string): Promise<void> {
  for (const [p, c] of Object.entries(files)) await writeFile(join(dir, p), c);
  await runGit(dir, ['add', '--all']);
  await runGit(dir, ['commit', '--quiet', '-m', message]);
}

/** One screenshot in the light theme and one in the dark, at the usual window size. */
async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(screenshotDir, `review-${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('review, commit, update from base, merge, conflict forecast and compare', async ({
  page,
  host,
  api,
  tempRepo,
}, info) => {
  test.setTimeout(240_000);
  const repo = await tempRepo({ files: { 'src/app.ts': lines(), 'README.md': '# demo\n' } });
  const [solo] = await api.call('sessions.create', {
    name: 'Fix totals',
    repoPath: repo,
    program: 'bash',
    autoStart: false,
  });
  const [a, b] = await api.call('sessions.create', {
    name: 'Candidate',
    repoPath: repo,
    program: 'bash',
    autoStart: false,
    copies: 2,
    prompt: 'Make line 3 say hello',
  });
  await commit(solo!.worktreePath, { 'src/app.ts': lines({ 7: 'export const line7 = 700; // fixed' }) }, 'Fix line 7');
  await commit(a!.worktreePath, { 'src/app.ts': lines({ 3: "export const line3 = 'hello';" }) }, 'Say hello');
  await commit(
    b!.worktreePath,
    { 'src/app.ts': lines({ 3: "export const line3 = 'hi there';" }), 'notes.md': 'B\n' },
    'Say hi',
  );

  await page.goto(host.url);
  await page.getByTestId(`sidebar-session-${solo!.id}`).locator('.session-main').click();
  await page.getByTestId('detail-tab-changes').click();
  const panel = page.getByTestId('detail-diff');

  await test.step('the Changes tab follows the worktree live: a new file appears without a refresh', async () => {
    await expect(panel.getByTestId('base-bar')).toContainText('1 ahead');
    await expect(panel.getByTestId('commit-list')).toContainText('Fix line 7');
    await writeFile(join(solo!.worktreePath, 'NOTES.md'), '# notes\nwritten by the agent\n');
    await expect(panel.getByTestId('change-unstaged-NOTES.md')).toBeVisible();
    await panel.getByTestId('change-unstaged-NOTES.md').getByRole('button', { name: 'Stage NOTES.md' }).click();
    await expect(panel.getByTestId('change-staged-NOTES.md')).toBeVisible();
    await panel.getByRole('textbox', { name: 'Commit message' }).fill('Add notes');
    await panel.getByRole('button', { name: 'Commit staged' }).click();
    await expect(panel.getByTestId('commit-list')).toContainText('Add notes');
    await expect(panel.getByTestId('base-bar')).toContainText('2 ahead');
    await shoot(page, 'changes-tab');
  });

  await test.step('review view: all changes since the base, unified and side by side, highlighted', async () => {
    await writeFile(join(solo!.worktreePath, 'README.md'), '# demo\n\nUncommitted edit.\n');
    await panel.getByTestId('open-review').click();
    const review = page.getByTestId('review-page');
    await expect(review).toBeVisible();
    await expect(review.getByTestId('file-diff-src/app.ts')).toContainText('700');
    await expect(review.getByTestId('file-diff-README.md')).toContainText('Uncommitted edit.');
    // Syntax colouring: the viewer marks up TypeScript tokens.
    await expect(review.getByTestId('file-diff-src/app.ts').locator('.hljs-keyword').first()).toBeVisible();
    await shoot(page, 'view-unified');
    await review.getByTestId('diff-mode-split').click();
    await expect(review.getByTestId('review-diff')).toHaveAttribute('data-mode', 'split');
    await shoot(page, 'view-split');
    await checkA11y(page, 'review: full view', info);
    await page.emulateMedia({ colorScheme: 'dark' });
    await checkA11y(page, 'review: full view', info, { onlyColours: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await review.getByTestId('review-side-commits').click();
    await review.getByTestId('commit-list').getByText('Fix line 7').click();
    await expect(review.getByTestId('review-diff')).toContainText('Commit');
    await expect(review.getByTestId('file-diff-NOTES.md')).toHaveCount(0);
    await review.getByTestId('review-side-changes').click();
    await review.getByRole('button', { name: 'Discard changes to README.md' }).click();
    await expect(page.getByTestId('confirm-dialog').or(page.getByRole('dialog'))).toContainText('revert README.md');
    await page.getByRole('button', { name: 'Discard', exact: true }).click();
    await expect(review.getByTestId('changed-files')).toHaveCount(0);
  });

  await test.step('update view: the base moved on the same line; conflicts with ways out, resolved and continued', async () => {
    await commit(repo, { 'src/app.ts': lines({ 7: 'export const line7 = 7000; // on main' }) }, 'Main changes line 7');
    const review = page.getByTestId('review-page');
    await expect(review.getByTestId('behind')).toContainText('1 behind');
    await review.getByTestId('update-from-base').click();
    const conflicts = review.getByTestId('conflicts');
    await expect(conflicts).toContainText('src/app.ts');
    await expect(conflicts).toContainText('changed on both sides');
    await shoot(page, 'update-conflicts');
    await review.getByTestId('take-session-src/app.ts').click();
    await expect(conflicts).toContainText('All conflicts are resolved');
    await review.getByTestId('update-continue').click();
    await expect(review.getByTestId('conflicts')).toHaveCount(0);
    await expect(review.getByTestId('behind')).toContainText('0 behind');
    await shoot(page, 'update-done');
  });

  await test.step('merge view: squash into main without touching the clean checkout, then offer to terminate', async () => {
    const review = page.getByTestId('review-page');
    await review.getByTestId('merge-open').click();
    const dialog = page.getByTestId('merge-dialog');
    await expect(dialog).toContainText('Merge commit');
    await dialog.getByLabel(/Squash/).check();
    await shoot(page, 'merge-dialog');
    await dialog.getByTestId('merge-confirm').click();
    const done = page.getByTestId('merge-done');
    await expect(done).toContainText('are now on main');
    await shoot(page, 'merge-done');
    expect(await runGit(repo, ['show', 'main:src/app.ts'])).toContain('700; // fixed');
    expect(await runGit(repo, ['status', '--porcelain'])).toBe('');
    await done.getByRole('button', { name: 'Keep the session' }).click();
    await expect(review.getByTestId('chip-merged')).toBeVisible();
    await review.getByTestId('review-close').click();
  });

  await test.step('conflict forecast: the two candidates collide on line 3; a matrix and a merge order', async () => {
    await page.getByTestId(`sidebar-session-${a!.id}`).locator('.session-main').click();
    await expect(page.getByTestId(`forecast-badge-${a!.id}`)).toBeVisible();
    await page.getByTestId('detail-diff').getByRole('button', { name: 'Conflict matrix' }).click();
    const matrix = page.getByTestId('conflict-matrix');
    await expect(matrix.getByTestId(`cell-${a!.id}-${b!.id}`)).toHaveText('✗ 1');
    await expect(matrix.getByTestId(`cell-${a!.id}-${solo!.id}`)).toHaveText('✓');
    await expect(matrix.getByTestId('merge-order')).toContainText('src/app.ts');
    await shoot(page, 'conflict-matrix');
    await checkA11y(page, 'review: conflict matrix', info);
    await page.getByTestId('review-close').click();
  });

  await test.step('compare view: both candidates with their test run; pick one, the other is terminated', async () => {
    const batch = await api.call('batch.run', {
      selector: { sessionIds: [a!.id, b!.id] },
      command: 'sh',
      args: ['-c', 'grep -q hello src/app.ts && echo "tests pass" || (echo "1 test failed"; exit 1)'],
    });
    await expect.poll(async () => (await api.call('batch.get', { batchId: batch.id })).status).toBe('done');
    await page.getByTestId('detail-diff').getByTestId('open-compare').click();
    const view = page.getByTestId('compare-view');
    await expect(view.getByTestId(`candidate-run-${a!.id}`)).toContainText('exit 0');
    await expect(view.getByTestId(`candidate-run-${b!.id}`)).toContainText('exit 1');
    await shoot(page, 'compare');
    await checkA11y(page, 'review: compare', info);
    await view.getByTestId(`pick-${a!.id}`).click();
    await expect(view.getByTestId('pick-confirm')).toContainText('Terminate the other candidates');
    await view.getByTestId('pick-confirm-button').click();
    await expect(view.getByTestId('pick-result')).toContainText('Terminated');
    await shoot(page, 'compare-picked');
    expect((await api.call('sessions.get', { sessionId: b!.id })).status).toBe('terminated');
    // Its branch is kept.
    expect((await runGit(repo, ['branch', '--list', b!.branch])).trim()).not.toBe('');
    await page.getByTestId('review-close').click();
  });

  await test.step('settings: update and merge strategies per repository', async () => {
    await api.call('settings.update', {
      repoSettings: { [repo]: { updateStrategy: 'merge', mergeStrategy: 'squash' } },
    });
    await page.keyboard.press(',');
    const settings = page.getByTestId('view-settings');
    await expect(settings.getByTestId('repo-settings-update-strategy')).toHaveValue('merge');
    await expect(settings.getByTestId('repo-settings-merge-strategy')).toHaveValue('squash');
    await settings.getByTestId('repo-settings-merge-strategy').scrollIntoViewIfNeeded();
    await shoot(page, 'repo-settings');
  });
});
