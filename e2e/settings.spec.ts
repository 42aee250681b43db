import { join } from 'node:path';
import { test, expect, screenshotDir } from './fixtures';

test('settings changed elsewhere while the page is open show at once, keep what is typed here, and a Save does not write them back', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo();
  await page.goto(host.url);
  await expect(page.getByTestId('app-shell')).toBeVisible();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByTestId('settings-page');
  const template = settings.getByTestId('settings-branch-template');
  await expect(template).toHaveValue('ms/{name}');

  await test.step('an edit here, not saved yet', async () => {
    await template.fill('agent/{name}');
  });

  await test.step('meanwhile another window (here the API) gives the repository its own strategies and lowers the cap', async () => {
    await api.call('settings.update', {
      repoSettings: { [repo]: { updateStrategy: 'merge', mergeStrategy: 'squash' } },
      maxRunning: 3,
    });
    await expect(settings.getByTestId('repo-settings-update-strategy')).toHaveValue('merge');
    await expect(settings.getByTestId('repo-settings-merge-strategy')).toHaveValue('squash');
    await expect(settings.getByTestId('settings-max-running')).toHaveValue('3');
    // The edit made here is still there.
    await expect(template).toHaveValue('agent/{name}');
    await settings.getByTestId('repo-settings-merge-strategy').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'settings-changed-elsewhere.png') });
  });

  await test.step('Save keeps both: the edit made here and the change made elsewhere', async () => {
    await settings.getByTestId('settings-save').click();
    await expect(settings.getByText('✓ Saved')).toBeVisible();
    const saved = await api.call('settings.get', {});
    expect(saved.branchTemplate).toBe('agent/{name}');
    expect(saved.maxRunning).toBe(3);
    expect(saved.repoSettings[repo]).toMatchObject({ updateStrategy: 'merge', mergeStrategy: 'squash' });
  });
});
