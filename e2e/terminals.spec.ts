import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { repoRoot } from '../test/support/serve-process';
import { test, expect, screenshotBoth } from './fixtures';
import { waitRunning, runningStatus } from './session-helpers';

/** The text xterm rendered for a session's terminal (DOM renderer rows, or the accessibility tree). */
function rows(page: Page, sessionId: string) {
  return page.getByTestId(`terminal-${sessionId}`).locator('.xterm-rows');
}

/** Types into the focused terminal like a user would. */
async function typeLine(page: Page, sessionId: string, text: string): Promise<void> {
  await page.getByTestId(`terminal-${sessionId}`).locator('.xterm').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

// The DOM renderer, so the rendered rows can be read (WebGL draws into a canvas).
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('multisession.terminalRenderer', 'dom'));
});

test('two shell sessions: type in each, switch tabs, broadcast to both', async ({ page, host, api, tempRepo }) => {
  const repo = await tempRepo();
  const [a] = await api.call('sessions.create', { name: 'Shell one', repoPath: repo, program: 'bash' });
  const [b] = await api.call('sessions.create', { name: 'Shell two', repoPath: repo, program: 'bash' });
  await waitRunning(api, a.id);
  await waitRunning(api, b.id);

  await page.goto(host.url);
  await page.getByTestId(`sidebar-session-${a.id}`).click();
  const tabA = page.getByTestId(`terminal-tab-${a.id}`);
  await expect(tabA).toContainText('Shell one');
  await expect(page.getByTestId(`terminal-${a.id}`)).toBeVisible();
  await typeLine(page, a.id, 'echo one-$((40+2))');
  await expect(rows(page, a.id)).toContainText('one-42');

  await page.getByTestId(`sidebar-session-${b.id}`).click();
  const tabB = page.getByTestId(`terminal-tab-${b.id}`);
  await expect(tabB.getByRole('tab')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId(`terminal-${a.id}`)).toBeHidden();
  await typeLine(page, b.id, 'echo two-$((50+5))');
  await expect(rows(page, b.id)).toContainText('two-55');
  await expect(rows(page, b.id)).not.toContainText('one-42');

  // Switching back shows the first terminal as it was: its xterm was kept, not rebuilt.
  await tabA.click();
  await expect(page.getByTestId(`terminal-${a.id}`)).toBeVisible();
  await expect(rows(page, a.id)).toContainText('one-42');
  await expect(page.getByTestId(`terminal-${a.id}`).locator('.xterm')).toHaveCount(1);
  await screenshotBoth(page, 'terminals');

  // Broadcast from the toolbar to both running sessions.
  await page.getByTestId('toolbar-broadcast').click();
  const dialog = page.getByTestId('broadcast-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('broadcast-text').fill('echo hello-broadcast');
  await screenshotBoth(page, 'broadcast');
  await dialog.getByTestId('broadcast-send').click();
  await expect(dialog.getByTestId(`broadcast-delivered-${a.id}`)).toBeVisible();
  await expect(dialog.getByTestId(`broadcast-delivered-${b.id}`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(dialog).toBeHidden();

  await expect(rows(page, a.id)).toContainText('hello-broadcast');
  await tabB.click();
  await expect(rows(page, b.id)).toContainText('hello-broadcast');

  // Closing a tab keeps the session running; reopening attaches to the same screen (snapshot).
  await tabB.getByTestId('close-tab').click();
  await expect(tabB).toHaveCount(0);
  expect((await api.call('sessions.get', { sessionId: b.id })).status).toMatch(runningStatus);
  await page.getByTestId(`sidebar-session-${b.id}`).click();
  await expect(rows(page, b.id)).toContainText('two-55');
  await expect(rows(page, b.id)).toContainText('hello-broadcast');
});

test('a finished program shows the exit banner and restarts from it', async ({ page, host, api, tempRepo }) => {
  const repo = await tempRepo();
  const [s] = await api.call('sessions.create', { name: 'Short lived', repoPath: repo, program: 'bash' });
  await waitRunning(api, s.id);
  await page.goto(host.url);
  await page.getByTestId(`sidebar-session-${s.id}`).click();
  await typeLine(page, s.id, 'exit 3');
  const banner = page.getByTestId(`terminal-${s.id}`).getByTestId('terminal-exit-banner');
  await expect(banner).toContainText('exited with code 3');
  await screenshotBoth(page, 'terminal-exited');
  await banner.getByRole('button', { name: 'Restart' }).click();
  await expect(banner).toBeHidden();
  await waitRunning(api, s.id);
  await typeLine(page, s.id, 'echo back-$((1+1))');
  await expect(rows(page, s.id)).toContainText('back-2');
});

test('tab strip: waiting stands out, toast opens the tab, drag reorders, search finds, middle-click closes', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo();
  const fakeAgent = join(repoRoot, 'test/fixtures/fake-agent.mjs');
  const [shell] = await api.call('sessions.create', { name: 'Plain shell', repoPath: repo, program: 'bash' });
  await waitRunning(api, shell.id);
  await page.goto(host.url);
  await page.getByTestId(`sidebar-session-${shell.id}`).click();
  await typeLine(page, shell.id, 'echo needle-one; echo haystack; echo needle-two');
  await expect(rows(page, shell.id)).toContainText('needle-two');

  // An agent that asks for confirmation: its tab is flagged and a toast announces it.
  const [agent] = await api.call('sessions.create', {
    name: 'Asking agent',
    repoPath: repo,
    program: process.execPath,
    args: [fakeAgent, '--spin-ms', '300', '--hold'],
  });
  const toast = page.getByTestId('toast').filter({ hasText: 'Asking agent' }).first();
  await expect(toast).toBeVisible({ timeout: 30_000 });
  await toast.click();
  const agentTab = page.getByTestId(`terminal-tab-${agent.id}`);
  await expect(agentTab.getByRole('tab')).toHaveAttribute('aria-selected', 'true');
  await expect(rows(page, agent.id)).toContainText('Do you want to proceed?');
  await expect(agentTab).toHaveClass(/waiting/);
  const shellTab = page.getByTestId(`terminal-tab-${shell.id}`);
  await shellTab.click();
  await screenshotBoth(page, 'terminal-waiting-tab');

  // Drag the agent's tab before the shell's.
  const order = () =>
    page.locator('[data-testid^="terminal-tab-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  expect(await order()).toEqual([`terminal-tab-${shell.id}`, `terminal-tab-${agent.id}`]);
  await agentTab.dragTo(shellTab, { targetPosition: { x: 5, y: 10 } });
  await expect.poll(order).toEqual([`terminal-tab-${agent.id}`, `terminal-tab-${shell.id}`]);

  // Ctrl+Shift+F opens the find bar over the active terminal (Ctrl+F belongs to the program).
  await page.getByTestId(`terminal-${shell.id}`).locator('.xterm').click();
  await page.keyboard.press('Control+Shift+F');
  const search = page.getByTestId(`terminal-${shell.id}`).getByTestId('terminal-search');
  await expect(search).toBeVisible();
  await search.getByRole('textbox').fill('needle');
  // The typed command line and its output: two matches each.
  await expect(search).toContainText('of 4');
  await screenshotBoth(page, 'terminal-search');
  await search.getByRole('textbox').press('Escape');
  await expect(search).toBeHidden();

  // Middle-click closes a tab; the session keeps running.
  await agentTab.click({ button: 'middle' });
  await expect(agentTab).toHaveCount(0);
  expect((await api.call('sessions.get', { sessionId: agent.id })).status).toMatch(runningStatus);
});

test('keys typed right after a tab shortcut reach the next terminal, every one of them, and never the old one', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo();
  const [a] = await api.call('sessions.create', { name: 'Typing here', repoPath: repo, program: 'bash' });
  const [b] = await api.call('sessions.create', { name: 'Then here', repoPath: repo, program: 'bash' });
  await waitRunning(api, a.id);
  await waitRunning(api, b.id);
  await page.goto(host.url);
  // Both tabs open (each shown once), the first one in front with the keyboard in its terminal.
  await page.getByTestId(`sidebar-session-${b.id}`).click();
  await typeLine(page, b.id, 'echo b-ready');
  await expect(rows(page, b.id)).toContainText('b-ready');
  await page.getByTestId(`sidebar-session-${a.id}`).click();
  await typeLine(page, a.id, 'echo a-ready');
  await expect(rows(page, a.id)).toContainText('a-ready');
  // The shortcut and the keys after it, with no pause between them.
  await page.keyboard.press('Control+Shift+BracketRight');
  await page.keyboard.type('echo switched-$((3+4))');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId(`terminal-tab-${b.id}`).getByRole('tab')).toHaveAttribute('aria-selected', 'true');
  await expect(rows(page, b.id)).toContainText('switched-7');
  await page.getByTestId(`terminal-tab-${a.id}`).click();
  await expect(rows(page, a.id)).toContainText('a-ready');
  await expect(rows(page, a.id)).not.toContainText('switched');
  // The other next-tab shortcut takes the same step: typing straight after Ctrl+PageDown.
  await typeLine(page, a.id, 'echo a-again');
  await expect(rows(page, a.id)).toContainText('a-again');
  await page.keyboard.press('Control+PageDown');
  await page.keyboard.type('echo paged-$((2+3))');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId(`terminal-tab-${b.id}`).getByRole('tab')).toHaveAttribute('aria-selected', 'true');
  await expect(rows(page, b.id)).toContainText('paged-5');
  await page.getByTestId(`terminal-tab-${a.id}`).click();
  await expect(rows(page, a.id)).toContainText('a-again');
  await expect(rows(page, a.id)).not.toContainText('paged');
});
