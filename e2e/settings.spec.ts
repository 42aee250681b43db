import { join } from 'node:path';
import { test, expect, screenshotDir } from './fixtures';

test('settings changed elsewhere while the page is open show at once, keep what is typed here, and a Save does not write them back', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const repoA = await tempRepo();
  const repoB = await tempRepo();
  await api.call('settings.update', {
    repoSettings: { [repoA]: { updateStrategy: 'rebase' }, [repoB]: { mergeStrategy: 'merge' } },
  });
  await page.goto(host.url);
  await expect(page.getByTestId('app-shell')).toBeVisible();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByTestId('settings-page');
  const template = settings.getByTestId('settings-branch-template');
  const repo = (path: string) => settings.locator('fieldset', { hasText: path });
  await expect(template).toHaveValue('ms/{name}');
  await expect(repo(repoB).getByTestId('repo-settings-merge-strategy')).toHaveValue('merge');

  await test.step('edits here, not saved yet: the branch template and repository A’s update strategy', async () => {
    await template.fill('agent/{name}');
    await repo(repoA).getByTestId('repo-settings-update-strategy').selectOption('merge');
  });

  await test.step('meanwhile another window (here the API) changes repository B and lowers the cap', async () => {
    await api.call('settings.update', {
      repoSettings: { [repoA]: { updateStrategy: 'rebase' }, [repoB]: { mergeStrategy: 'squash' } },
      maxRunning: 3,
    });
    await expect(repo(repoB).getByTestId('repo-settings-merge-strategy')).toHaveValue('squash');
    await expect(settings.getByTestId('settings-max-running')).toHaveValue('3');
    // The edits made here are still there.
    await expect(template).toHaveValue('agent/{name}');
    await expect(repo(repoA).getByTestId('repo-settings-update-strategy')).toHaveValue('merge');
    await repo(repoB).getByTestId('repo-settings-merge-strategy').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'settings-changed-elsewhere.png') });
  });

  await test.step('Save keeps both: the edits made here and the changes made elsewhere', async () => {
    await settings.getByTestId('settings-save').click();
    await expect(settings.getByText('✓ Saved')).toBeVisible();
    const saved = await api.call('settings.get', {});
    expect(saved.branchTemplate).toBe('agent/{name}');
    expect(saved.maxRunning).toBe(3);
    expect(saved.repoSettings[repoA]).toMatchObject({ updateStrategy: 'merge' });
    expect(saved.repoSettings[repoB]).toMatchObject({ mergeStrategy: 'squash' });
  });

  await test.step('a one-click save (the theme) sends only itself: a change elsewhere is not written back', async () => {
    await api.call('settings.update', { maxRunning: 5 });
    await settings.getByTestId('settings-theme').selectOption('dark');
    await expect(settings.getByTestId('settings-max-running')).toHaveValue('5');
    await expect.poll(async () => (await api.call('settings.get', {})).theme).toBe('dark');
    expect((await api.call('settings.get', {})).maxRunning).toBe(5);
  });
});
