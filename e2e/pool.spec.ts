import { checkA11y } from './axe';
import { expect, screenshotMatrix, test } from './fixtures';

test('Settings shows the warm pool filling for a used repository, applies a new size and empties it', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo({ files: 30 });
  await api.call('sessions.create', { name: 'seed', repoPath: repo, program: 'sh', autoStart: false });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const pool = page.getByTestId('pool-settings');
  await pool.scrollIntoViewIfNeeded();
  // The pool prepares after the repository has been quiet for a while: the status follows it live.
  const row = pool.getByTestId(`pool-repo-${repo.split('/').pop()}`);
  await expect(row).toContainText('2 of 2', { timeout: 60_000 });
  await screenshotMatrix(page, 'settings-warm-pool');
  await checkA11y(page, 'settings-warm-pool', test.info());

  await pool.getByTestId('pool-size').fill('-1');
  await expect(pool.getByRole('alert').first()).toContainText('0 or more');
  await expect(pool.getByTestId('pool-save')).toBeDisabled();
  await pool.getByTestId('pool-size').fill('1');
  await pool.getByTestId('pool-save').click();
  await expect(row).toContainText('1 of 1', { timeout: 60_000 });
  expect((await api.call('settings.get', {})).pool.size).toBe(1);

  // Emptying removes the warm worktree through git; the pool refills only after the next create or refresh.
  await pool.getByTestId('pool-drain').click();
  await expect(row).toContainText('0 of 1');
  expect((await api.call('pool.status', {})).usedBytes).toBe(0);
});
