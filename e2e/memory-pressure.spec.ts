import { test, expect, screenshotMatrix } from './fixtures';

test('Settings → Running: the memory-pressure policy is checked as you type and applies with its figures shown', async ({
  page,
  host,
  api,
}) => {
  await page.goto(host.url);
  await page.getByTestId('toolbar-settings').click();
  const box = page.getByTestId('memory-pressure-settings');
  await box.scrollIntoViewIfNeeded();
  // Off by default, with the machine's figures read live.
  await expect(page.getByTestId('memory-pressure-enabled')).not.toBeChecked();
  await expect(page.getByTestId('memory-pressure-figures')).toContainText(/available of .*; sessions use/);

  await page.getByTestId('memory-pressure-enabled').check();
  const min = page.getByTestId('memory-min-available');
  const max = page.getByTestId('memory-max-sessions');
  await min.fill('10');
  await expect(page.getByTestId('memory-min-available-problem')).toHaveText('At least 64 MB.');
  await expect(page.getByTestId('memory-pressure-save')).toBeDisabled();
  await min.fill('');
  await expect(page.getByTestId('memory-pressure-problem')).toContainText('Give at least one threshold');
  await expect(page.getByTestId('memory-pressure-save')).toBeDisabled();
  await max.fill('3000');
  await expect(page.getByTestId('memory-pressure-problem')).toHaveCount(0);
  await screenshotMatrix(page, 'settings-memory-pressure');
  await page.getByTestId('memory-pressure-save').click();
  await expect
    .poll(async () => (await api.call('settings.get', {})).memoryPressure)
    .toEqual({ enabled: true, minAvailableMb: null, maxSessionsMb: 3000 });
  // What the host stored comes back into the form after a reload.
  await page.reload();
  await page.getByTestId('toolbar-settings').click();
  await expect(page.getByTestId('memory-max-sessions')).toHaveValue('3000');
  await expect(page.getByTestId('memory-pressure-enabled')).toBeChecked();
});
