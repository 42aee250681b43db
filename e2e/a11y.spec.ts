import type { Page, TestInfo } from '@playwright/test';
import { checkA11y } from './axe';
import { test, expect } from './fixtures';

/** axe on the current screen: every WCAG 2.1 A/AA rule in the light theme, the colour rules in the dark one. */
async function axeBoth(page: Page, screen: string, info: TestInfo): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await checkA11y(page, screen, info);
  await page.emulateMedia({ colorScheme: 'dark' });
  await checkA11y(page, screen, info, { onlyColours: true });
  await page.emulateMedia({ colorScheme: 'light' });
}

test('every screen passes axe-core without serious or critical violations, light and dark', async ({
  page,
  host,
  api,
  tempRepo,
}, info) => {
  test.setTimeout(240_000);
  const repo = await tempRepo({ files: 2, branches: ['develop'] });
  await page.goto(host.url);
  await expect(page.getByTestId('empty-sessions')).toBeVisible();
  await axeBoth(page, 'empty window', info);

  await page.getByTestId('toolbar-new-session').click();
  await page.getByTestId('wizard-repo-path').fill(repo);
  await expect(page.getByTestId('wizard-repo-info')).toBeVisible();
  await axeBoth(page, 'wizard: repository', info);
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-agent').selectOption('custom');
  await page.getByTestId('wizard-custom-command').fill('');
  await axeBoth(page, 'wizard: session (with a problem shown)', info);
  await page.getByTestId('wizard-custom-command').fill('bash');
  await page.getByTestId('wizard-name').fill('a11y one');
  await page.getByTestId('wizard-next').click();
  await axeBoth(page, 'wizard: workspace', info);
  await page.getByTestId('wizard-next').click();
  await axeBoth(page, 'wizard: resources', info);
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('wizard-review-copy')).toHaveCount(1);
  await axeBoth(page, 'wizard: review', info);
  await page.getByTestId('wizard-create').click();
  await expect(page.getByTestId('wizard')).toBeHidden({ timeout: 60_000 });

  const [second] = await api.call('sessions.create', { name: 'a11y two', repoPath: repo, program: 'bash' });
  await expect(page.getByTestId(`sidebar-session-${second.id}`)).toBeVisible();
  await expect(page.getByTestId('session-detail')).toBeVisible();
  await axeBoth(page, 'sessions: terminal and details', info);

  await page.getByTestId(`sidebar-session-${second.id}`).click({ button: 'right' });
  await expect(page.getByTestId('session-menu')).toBeVisible();
  await axeBoth(page, 'session context menu', info);
  await page.keyboard.press('Escape');

  await page.getByTestId('toolbar-more').click();
  await axeBoth(page, 'toolbar ⋯ menu', info);
  await page.keyboard.press('Escape');

  await page.getByTestId('detail-rename').click();
  await expect(page.getByTestId('session-edit-dialog')).toBeVisible();
  await page.getByTestId('session-edit-priority').fill('0');
  await axeBoth(page, 'edit session dialog (with a problem shown)', info);
  await page.keyboard.press('Escape');

  await page.getByTestId('detail-terminate').click();
  await expect(page.getByTestId('terminate-dialog')).toBeVisible();
  await axeBoth(page, 'terminate dialog', info);
  await page.keyboard.press('Escape');

  for (const tab of ['commands', 'changes'] as const) {
    await page.getByTestId(`detail-tab-${tab}`).click();
    await axeBoth(page, `details: ${tab}`, info);
  }

  await page.getByTestId('toolbar-batch-run').click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await axeBoth(page, 'confirm batch over all sessions', info);
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('batch-summary')).toContainText('2 succeeded', { timeout: 30_000 });
  await axeBoth(page, 'batch results', info);
  await page.keyboard.press('Escape');

  await page.getByTestId('toolbar-batch-menu').click();
  await axeBoth(page, 'batch command dialog', info);
  await page.keyboard.press('Escape');

  await page.getByTestId('toolbar-broadcast').click();
  await axeBoth(page, 'broadcast dialog', info);
  await page.keyboard.press('Escape');

  await page.getByTestId('toolbar-cleanup').click();
  await expect(page.getByTestId('cleanup-dialog')).toBeVisible();
  await axeBoth(page, 'cleanup preview', info);
  await page.keyboard.press('Escape');

  await page.locator('body').press('?');
  await axeBoth(page, 'keyboard shortcuts', info);
  await page.keyboard.press('Escape');

  await page.getByTestId('toolbar-analytics').click();
  await expect(page.getByTestId('analytics-page')).toBeVisible();
  await axeBoth(page, 'analytics', info);

  await page.getByTestId('toolbar-settings').click();
  await page.getByTestId('settings-max-running').fill('0');
  await axeBoth(page, 'settings (with a problem shown)', info);
});
