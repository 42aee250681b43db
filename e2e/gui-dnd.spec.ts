import type { Page } from '@playwright/test';
import { test, expect, screenshotMatrix } from './fixtures';
import { waitRunning } from './session-helpers';

/** A drag over `selector` carrying `data` the way a browser does; `drop` finishes it. */
async function drag(
  page: Page,
  selector: string,
  data: Record<string, string>,
  opts: { drop: boolean; shift?: boolean },
) {
  await page.evaluate(
    ({ selector, data, opts }) => {
      const dt = new DataTransfer();
      for (const [type, value] of Object.entries(data)) dt.setData(type, value);
      const target = document.querySelector(selector)!;
      const init = { dataTransfer: dt, bubbles: true, cancelable: true, shiftKey: opts.shift ?? false };
      target.dispatchEvent(new DragEvent('dragenter', init));
      target.dispatchEvent(new DragEvent('dragover', init));
      if (opts.drop) target.dispatchEvent(new DragEvent('drop', init));
    },
    { selector, data, opts },
  );
}
const fileUri = (p: string) => `file://${p.split('/').map(encodeURIComponent).join('/')}`;

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('multisession.terminalRenderer', 'dom'));
});

test('drops: a folder over a terminal opens the wizard, Shift pastes its path, a drop without a path says so', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo();
  const other = await tempRepo();
  const [s] = await api.call('sessions.create', { name: 'Drop target', repoPath: repo, program: 'bash' });
  await waitRunning(api, s.id);
  await page.goto(host.url);
  await page.getByTestId(`sidebar-session-${s.id}`).click();
  const term = `[data-testid="terminal-${s.id}"] .term-container`;

  await drag(page, term, { 'text/uri-list': fileUri(other) }, { drop: false });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await expect(page.getByTestId('drop-overlay-terminal-hint')).toContainText('hold Shift');
  await screenshotMatrix(page, 'dnd-overlay-terminal');
  await drag(page, term, { 'text/uri-list': fileUri(other) }, { drop: true });
  await expect(page.getByTestId('wizard')).toBeVisible();
  await expect(page.getByTestId('wizard-repo-path')).toHaveValue(other);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('wizard')).toBeHidden();

  await drag(page, term, { 'text/uri-list': fileUri(other) }, { drop: true, shift: true });
  await expect(page.getByTestId('wizard')).toBeHidden();
  await expect(page.getByTestId(`terminal-${s.id}`).locator('.xterm-rows')).toContainText(other);

  await drag(page, '[data-testid="sidebar"]', { 'text/plain': 'just some words' }, { drop: true });
  await expect(page.getByTestId('toast').filter({ hasText: 'That drop carried no folder path' })).toBeVisible();
  await expect(page.getByTestId('wizard')).toBeHidden();
  await screenshotMatrix(page, 'dnd-no-path');
});
