import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { waitRunning } from './session-helpers';
import { terminalRows } from './terminal-helpers';

// The DOM renderer, so the rendered rows can be read (WebGL draws into a canvas).
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('multisession.terminalRenderer', 'dom'));
});

/**
 * A program that asked for focus reports (DECSET 1004) and keeps each one it gets, also while its
 * tab is hidden: `cat -v` in raw mode writes focus in as ^[[I and focus out as ^[[O, to the screen
 * and to focus-reports.log in its worktree.
 */
const FOCUS_REPORTER = {
  program: 'bash',
  args: [
    '--noprofile',
    '--norc',
    '-c',
    "printf '\\033[?1004h'; echo reporter-ready; stty raw -echo; cat -v | tee focus-reports.log",
  ],
};

/** The focus reports the program got so far, in order ('I' in, 'O' out). */
function reports(worktree: string): string {
  let text = '';
  try {
    text = readFileSync(join(worktree, 'focus-reports.log'), 'utf8');
  } catch {
    // Not written yet: no report so far.
  }
  return [...text.matchAll(/\^\[\[([IO])/g)].map((m) => m[1]).join('');
}

test('a program hears each focus change once when the focus moves by a row, a tab or a bounce', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo();
  const [a] = await api.call('sessions.create', { name: 'Reporter', repoPath: repo, ...FOCUS_REPORTER });
  const [b] = await api.call('sessions.create', { name: 'Other', repoPath: repo, program: 'bash' });
  await waitRunning(api, a.id);
  await waitRunning(api, b.id);
  await page.goto(host.url);
  await page.getByTestId(`sidebar-session-${a.id}`).click();
  await expect(terminalRows(page, a.id)).toContainText('reporter-ready');
  const input = page.getByTestId(`terminal-${a.id}`).locator('.xterm-helper-textarea');
  await page.getByTestId(`terminal-${a.id}`).locator('.xterm').click();
  await expect(input).toBeFocused();
  const worktree = (await api.call('sessions.get', { sessionId: a.id })).worktreePath;
  await expect.poll(() => reports(worktree)).toMatch(/I$/);
  const start = reports(worktree).length;
  const since = () => reports(worktree).slice(start);

  // A click on another session's row takes the focus (its redraw waits for the frame): out, once.
  await page.getByTestId(`sidebar-session-${b.id}`).click();
  await expect(page.getByTestId(`terminal-${a.id}`)).toBeHidden();
  await expect.poll(since).toBe('O');

  // Back by the tab: in, once; and keys go to this program again.
  await page.getByTestId(`terminal-tab-${a.id}`).getByRole('tab').click();
  await expect(input).toBeFocused();
  await expect.poll(since).toBe('OI');

  // Focus that leaves and comes back within one task (before any frame): the program's view of
  // focus stays consistent — reports still alternate and end with "in".
  await input.evaluate((el) => {
    document.querySelector<HTMLElement>(`.term-tab [aria-selected="true"]`)?.focus();
    (el as HTMLTextAreaElement).focus();
  });
  await page.keyboard.type('zq7');
  await expect(terminalRows(page, a.id)).toContainText('zq7');
  expect(since()).toMatch(/^OI(OI)?$/);

  // And out again by a row.
  await page.getByTestId(`sidebar-session-${b.id}`).click();
  await expect.poll(since).toMatch(/^OI(OI)?O$/);
});
