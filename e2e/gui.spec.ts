import type { Page } from '@playwright/test';
import { test, expect, screenshotBoth } from './fixtures';

/** Drops a folder on the window the way a browser does: a DataTransfer carrying a file:// URI list. */
async function dropFolder(page: Page, path: string): Promise<void> {
  await page.evaluate((p) => {
    const dt = new DataTransfer();
    dt.setData('text/uri-list', `file://${p.split('/').map(encodeURIComponent).join('/')}`);
    const target = document.querySelector('[data-testid="app-shell"]')!;
    target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, path);
}

test('drop a repository, create three copies, batch run, see a failure, preview cleanup, read analytics', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  test.setTimeout(180_000);
  const repo = await tempRepo({ files: 3, branches: ['develop'] });
  await page.goto(host.url);
  await expect(page.getByTestId('app-shell')).toBeVisible();
  await expect(page.getByTestId('empty-sessions')).toBeVisible();
  await screenshotBoth(page, 'gui-empty');

  await test.step('a folder dropped on the window opens the wizard with it chosen', async () => {
    await dropFolder(page, repo);
    const wizard = page.getByTestId('wizard');
    await expect(wizard).toBeVisible();
    await expect(page.getByTestId('wizard-repo-path')).toHaveValue(repo);
    await expect(page.getByTestId('wizard-repo-info')).toContainText('2 branches');
    await screenshotBoth(page, 'gui-wizard-repository');
  });

  await test.step('three copies of a shell session are created', async () => {
    await page.getByTestId('wizard-next').click();
    await expect(page.getByTestId('wizard-step-session')).toBeVisible();
    await page.getByTestId('wizard-copies').fill('3');
    await page.getByTestId('wizard-agent').selectOption('custom');
    await page.getByTestId('wizard-custom-command').fill('bash');
    await page.getByTestId('wizard-name').fill('gui copy');
    await screenshotBoth(page, 'gui-wizard-session');
    await page.getByTestId('wizard-next').click();
    await expect(page.getByTestId('wizard-step-workspace')).toBeVisible();
    await screenshotBoth(page, 'gui-wizard-workspace');
    await page.getByTestId('wizard-next').click();
    await expect(page.getByTestId('wizard-step-resources')).toBeVisible();
    await screenshotBoth(page, 'gui-wizard-resources');
    await page.getByTestId('wizard-next').click();
    await expect(page.getByTestId('wizard-step-review')).toBeVisible();
    await expect(page.getByTestId('wizard-create')).toHaveText('Create 3 sessions');
    await screenshotBoth(page, 'gui-wizard-review');
    await page.getByTestId('wizard-create').click();
    await expect(page.getByTestId('wizard')).toBeHidden({ timeout: 60_000 });
    await expect(page.locator('[data-testid^="sidebar-session-"]')).toHaveCount(3);
    const sessions = await api.call('sessions.list', {});
    expect(sessions).toHaveLength(3);
    expect(new Set(sessions.map((s) => s.branch)).size).toBe(3);
    await screenshotBoth(page, 'gui-sessions');
  });

  const sessions = await api.call('sessions.list', {});

  await test.step('one click runs the default preset on all three', async () => {
    await api.call('settings.update', {
      presets: [{ id: 'git-status', name: 'Git status', command: 'git', args: ['status', '--short'], shell: false }],
      defaultPresetId: 'git-status',
    });
    const run = page.getByTestId('toolbar-batch-run');
    await expect(run).toContainText('Git status');
    await run.click();
    // Nothing is selected, so the one click would reach every session: it asks first.
    const confirm = page.getByTestId('confirm-dialog');
    await expect(confirm).toContainText('all 3 sessions');
    await expect(confirm).toContainText('git status --short');
    await confirm.getByTestId('confirm-ok').click();
    const grid = page.getByTestId('batch-grid');
    await expect(grid).toBeVisible();
    for (const s of sessions) {
      await expect(page.getByTestId(`batch-row-${s.id}`)).toHaveAttribute('data-status', 'succeeded', {
        timeout: 30_000,
      });
    }
    await expect(page.getByTestId('batch-summary')).toContainText('3 succeeded');
    await screenshotBoth(page, 'gui-batch-success');
    await page.keyboard.press('Escape');
    await expect(grid).toBeHidden();
  });

  await test.step('a failing command shows its failure and output', async () => {
    await page.getByTestId('toolbar-batch-menu').click();
    await expect(page.getByTestId('batch-command-dialog')).toBeVisible();
    await page.getByTestId('batch-command-input').fill('git');
    await page.getByTestId('batch-command-args').fill('no-such-subcommand');
    await screenshotBoth(page, 'gui-batch-command');
    await page.getByTestId('batch-command-run').click();
    const first = sessions[0]!;
    await expect(page.getByTestId(`batch-row-${first.id}`)).toHaveAttribute('data-status', 'failed', {
      timeout: 30_000,
    });
    await expect(page.getByTestId(`batch-output-${first.id}`)).toContainText('no-such-subcommand');
    await expect(page.getByTestId('batch-summary')).toContainText('3 failed');
    await expect(page.getByTestId('batch-rerun-failed')).toBeVisible();
    await screenshotBoth(page, 'gui-batch-failure');
    await page.keyboard.press('Escape');
  });

  await test.step('session detail shows the history of commands', async () => {
    const first = sessions[0]!;
    await page.getByTestId(`sidebar-session-${first.id}`).click();
    await expect(page.getByTestId('session-detail')).toBeVisible();
    await expect(page.getByTestId('detail-branch')).toHaveText(first.branch);
    await page.getByTestId('detail-tab-commands').click();
    await expect(page.getByTestId('command-history')).toContainText('no-such-subcommand');
    await screenshotBoth(page, 'gui-session-detail');
    await page.getByTestId('detail-tab-changes').click();
    await expect(page.getByTestId('detail-diff')).toBeVisible();
    await screenshotBoth(page, 'gui-session-changes');
  });

  await test.step('cleanup preview lists what goes and what stays', async () => {
    const [gone, , dirty] = sessions;
    // One session ends cleanly; another leaves uncommitted work behind in its worktree.
    await api.call('sessions.terminate', { sessionId: gone!.id });
    await api.call('commands.execute', {
      sessionId: dirty!.id,
      command: 'sh',
      args: ['-c', 'echo work > unsaved.txt'],
    });
    await api.call('sessions.stop', { sessionId: dirty!.id });
    const preview = await api.call('cleanup.preview', {});
    await page.getByTestId('toolbar-cleanup').click();
    const dialog = page.getByTestId('cleanup-dialog');
    await expect(dialog).toBeVisible();
    if (preview.removed.length > 0) {
      const removed = page.getByTestId('cleanup-removed');
      await expect(removed.locator('.cleanup-item')).toHaveCount(preview.removed.length);
      for (const item of preview.removed) await expect(removed).toContainText(item.reason);
    } else {
      await expect(page.getByTestId('cleanup-removed')).toHaveCount(0);
    }
    if (preview.kept.length > 0) {
      const kept = page.getByTestId('cleanup-kept');
      await expect(kept.locator('.cleanup-item')).toHaveCount(preview.kept.length);
      for (const item of preview.kept) await expect(kept).toContainText(item.reason);
    }
    // The stopped session with uncommitted work is never on the removal list.
    const exactPath = new RegExp(`^${dirty!.worktreePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    await expect(page.getByTestId('cleanup-removed').locator('.mono', { hasText: exactPath })).toHaveCount(0);
    await page.getByTestId('cleanup-force').check();
    await expect(page.getByTestId('cleanup-force-warning')).toBeVisible();
    await screenshotBoth(page, 'gui-cleanup');
    await page.getByTestId('cleanup-force').uncheck();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });

  await test.step('the analytics page shows charts', async () => {
    await page.getByTestId('toolbar-analytics').click();
    await expect(page.getByTestId('view-analytics')).toBeVisible();
    await expect(page.locator('[data-testid="view-analytics"] canvas').first()).toBeVisible({ timeout: 20_000 });
    await screenshotBoth(page, 'gui-analytics');
  });

  await test.step('settings and help', async () => {
    await page.getByTestId('toolbar-settings').click();
    await expect(page.getByTestId('settings-page')).toBeVisible();
    await expect(page.getByTestId('presets-editor')).toContainText('Git status');
    await screenshotBoth(page, 'gui-settings');
    // Shortcuts are plain keys, so they work while no text field or terminal has focus.
    await page.locator('body').press('?');
    await expect(page.getByTestId('help-overlay')).toBeVisible();
    await screenshotBoth(page, 'gui-help');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('help-overlay')).toBeHidden();
  });
});
