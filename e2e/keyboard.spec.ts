import type { Page } from '@playwright/test';
import { test, expect, screenshotMatrix } from './fixtures';
import { waitRunning } from './session-helpers';

const focusedTestId = (page: Page) =>
  page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? '');

/** Presses Tab until the element with `testId` has focus (at most `max` presses): a keyboard user's way. */
async function tabTo(page: Page, testId: string, max = 30): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await focusedTestId(page)) === testId) return;
    await page.keyboard.press('Tab');
  }
  expect(await focusedTestId(page)).toBe(testId);
}

// The DOM renderer, so the rendered rows can be read (WebGL draws into a canvas).
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('multisession.terminalRenderer', 'dom'));
});

test('keyboard only: create a session, use its terminal, batch-run, terminate', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  test.setTimeout(180_000);
  const repo = await tempRepo({ files: 2 });
  await page.goto(host.url);
  await expect(page.getByTestId('empty-sessions')).toBeVisible();

  await test.step('N opens the wizard; every step is filled and left with the keyboard', async () => {
    await page.keyboard.press('n');
    await expect(page.getByTestId('wizard-repo-path')).toBeFocused();
    await page.keyboard.type(repo);
    await expect(page.getByTestId('wizard-repo-info')).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('wizard-step-session')).toBeVisible();
    await tabTo(page, 'wizard-agent');
    await page.keyboard.press('End');
    await expect(page.getByTestId('wizard-agent')).toHaveValue('custom');
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('wizard-custom-command')).toBeFocused();
    await page.keyboard.type('bash');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('wizard-step-workspace')).toBeVisible();
    await tabTo(page, 'wizard-branch-name');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('wizard-step-resources')).toBeVisible();
    await expect(page.getByTestId('wizard-priority')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('wizard-review-copy')).toHaveCount(1);
    await expect(page.getByTestId('wizard-create')).toBeEnabled();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('wizard')).toBeHidden({ timeout: 60_000 });
  });
  const [session] = await api.call('sessions.list', {});

  await test.step('the new terminal has focus and takes typing; F6 leaves it', async () => {
    const pane = page.getByTestId(`terminal-${session.id}`);
    await expect(pane.locator('.xterm-helper-textarea')).toBeFocused();
    await waitRunning(api, session.id);
    await page.keyboard.type('echo kb-$((2+3))');
    await page.keyboard.press('Enter');
    await expect(pane.locator('.xterm-rows')).toContainText('kb-5');
    await page.keyboard.press('F6');
    await expect(page.getByTestId('detail-tab-overview')).toBeFocused();
    await page.keyboard.press('Shift+F6');
    await expect(pane.locator('.xterm-helper-textarea')).toBeFocused();
    await page.keyboard.press('Shift+F6');
    await expect(page.locator(`.session-main[data-session-id="${session.id}"]`)).toBeFocused();
    await screenshotMatrix(page, 'keyboard-focus-sidebar');
  });

  await test.step('B runs the default preset; the confirmation and the results close with the keyboard', async () => {
    await page.keyboard.press('b');
    const confirm = page.getByTestId('confirm-dialog');
    await expect(confirm).toBeVisible();
    await expect(page.getByTestId('confirm-cancel')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('confirm-ok')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('batch-summary')).toContainText('1 succeeded', { timeout: 30_000 });
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('batch-grid')).toBeHidden();
    await expect(page.locator(`.session-main[data-session-id="${session.id}"]`)).toBeFocused();
  });

  await test.step('Delete on the row opens terminate; Tab reaches Terminate; Enter ends the session', async () => {
    await page.keyboard.press('Delete');
    await expect(page.getByTestId('terminate-dialog')).toBeVisible();
    await tabTo(page, 'terminate-confirm');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('terminate-dialog')).toBeHidden({ timeout: 30_000 });
    await expect
      .poll(async () => (await api.call('sessions.get', { sessionId: session.id })).status)
      .toBe('terminated');
    await expect(page.getByTestId(`terminal-tab-${session.id}`)).toHaveCount(0);
  });
});

test('the sidebar’s tab stop follows a selection made elsewhere, not the row the keyboard last left', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo();
  const made = await api.call('sessions.create', {
    name: 'Row',
    repoPath: repo,
    program: 'sh',
    args: ['-c', 'exec sleep 600'],
    copies: 3,
  });
  const [a, b, c] = made.map((s) => s.id);
  for (const id of [a, b, c]) await waitRunning(api, id);
  await page.goto(host.url);
  const row = (id: string) => page.getByTestId(`sidebar-session-${id}`).locator(`button[data-session-id="${id}"]`);
  // Tabs open for the first and the last; the first in front.
  await row(c).click();
  await row(a).click();
  await expect(page.getByTestId(`terminal-tab-${a}`).getByRole('tab')).toHaveAttribute('aria-selected', 'true');
  // The keyboard moves to the second row (not opened)…
  await row(a).focus();
  await page.keyboard.press('ArrowDown');
  await expect(row(b)).toBeFocused();
  await expect(row(b)).toHaveAttribute('tabindex', '0');
  // …then the tab strip selects the third session.
  await page.getByTestId(`terminal-tab-${c}`).getByRole('tab').click();
  await expect(page.getByTestId(`terminal-tab-${c}`).getByRole('tab')).toHaveAttribute('aria-selected', 'true');
  await expect(row(c)).toHaveAttribute('tabindex', '0');
  await expect(row(b)).toHaveAttribute('tabindex', '-1');
  await expect(row(a)).toHaveAttribute('tabindex', '-1');
});
