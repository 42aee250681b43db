import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { waitRunning } from './session-helpers';
import { expectEveryLineOnce, terminalRows } from './terminal-helpers';

const LINES = 6000;

// The DOM renderer, so the rendered rows can be read (WebGL draws into a canvas).
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('multisession.terminalRenderer', 'dom'));
});

/**
 * A hidden tab's output is held and written in batches (features/terminals/held-output.ts). A
 * program streams more than the batch cap (and more than the host's flow-control mark) into a tab
 * that is open but hidden; shown again, its terminal holds every line, in order, exactly once —
 * read back whole, scrollback included, with Select all (copy on select).
 */
test('output streamed into a hidden tab is all there, in order, once, when the tab is shown', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo();
  const shell = { program: 'bash', args: ['--noprofile', '--norc'], env: { PS1: 'ready$ ' } };
  const [a] = await api.call('sessions.create', { name: 'Streams hidden', repoPath: repo, ...shell });
  const [b] = await api.call('sessions.create', { name: 'In front', repoPath: repo, ...shell });
  await waitRunning(api, a.id);
  await waitRunning(api, b.id);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });

  await page.goto(host.url);
  await page.getByTestId(`sidebar-session-${a.id}`).click();
  await expect(terminalRows(page, a.id)).toContainText('ready$');
  await page.getByTestId(`sidebar-session-${b.id}`).click();
  await expect(terminalRows(page, b.id)).toContainText('ready$');
  await expect(page.getByTestId(`terminal-${a.id}`)).toBeHidden();

  // ~108 000 characters while A's tab is hidden; the program says when it has written them all.
  const marker = join(a.worktreePath, '.hidden-done');
  await api.call('terminals.input', {
    sessionId: a.id,
    data: `for i in $(seq -w 1 ${LINES}); do echo "hidden-line-$i"; done; touch ${marker}\r`,
  });
  await expect.poll(() => existsSync(marker), { timeout: 60_000 }).toBe(true);
  await expect(page.getByTestId(`terminal-${a.id}`)).toBeHidden();

  await page.getByTestId(`terminal-tab-${a.id}`).getByRole('tab').click();
  await expect(terminalRows(page, a.id)).toContainText(`hidden-line-${LINES}`);
  await expectEveryLineOnce(page, a.id, 'hidden-line', LINES);
  // Nothing of the hidden stream went to the tab that was in front.
  await expect(terminalRows(page, b.id)).not.toContainText('hidden-line');
});

/**
 * The first time a tab is shown, its xterm opens a task later; output that arrived while it was
 * still hidden (after the snapshot) must not be overtaken by output arriving in between.
 */
test('a tab opened for the first time while its program streams shows every line in order', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
  await page.goto(host.url);
  const total = 4000;
  const [s] = await api.call('sessions.create', {
    name: 'Streams before its first show',
    repoPath: repo,
    program: 'bash',
    args: [
      '--noprofile',
      '--norc',
      '-c',
      `for i in $(seq -w 1 ${total}); do echo "first-show-$i"; if (( 10#$i % 200 == 0 )); then sleep 0.2; fi; done; touch .streamed; exec bash --noprofile --norc`,
    ],
  });
  await waitRunning(api, s.id);
  // Opened mid-stream: the snapshot, held output and live output all meet in the first show.
  await page.getByTestId(`sidebar-session-${s.id}`).click();
  await expect.poll(() => existsSync(join(s.worktreePath, '.streamed')), { timeout: 60_000 }).toBe(true);
  await expect(terminalRows(page, s.id)).toContainText(`first-show-${total}`);
  await expectEveryLineOnce(page, s.id, 'first-show', total);
});
