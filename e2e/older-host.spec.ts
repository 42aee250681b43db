import { test, expect, screenshotMatrix } from './fixtures';
import { startServeProcess, type ServeProcess } from '../test/support/serve-process';
import { stopTerminalHosts } from '../test/support/terminal-host';
import { clipboardText, selectWholeTerminal, terminalRows } from './terminal-helpers';

const running = /^(active|busy|idle|waiting)$/;

test('after an update: a banner lists the sessions still in the older terminal host and "Restart them here" moves them', async ({
  page,
  tempRepo,
}) => {
  const repo = await tempRepo();
  let old: ServeProcess | null = null;
  let current: ServeProcess | null = null;
  try {
    // The older app: the real host binaries, its terminal host speaking another protocol number.
    old = await startServeProcess({ env: { MULTISESSION_TERMINAL_HOST_PROTOCOL: '101' } });
    const oldApi = await old.client();
    const made = [];
    for (const name of ['alpha', 'beta']) {
      const [s] = await oldApi.call('sessions.create', {
        name,
        repoPath: repo,
        program: 'bash',
        args: ['--noprofile', '--norc'],
      });
      made.push(s);
    }
    for (const s of made) {
      await expect.poll(async () => (await oldApi.call('sessions.get', { sessionId: s.id })).status).toMatch(running);
      await oldApi.call('terminals.input', { sessionId: s.id, data: `echo ${s.name}-typed-in-the-older-host\r` });
    }
    const oldPids = await Promise.all(
      made.map(async (s) => (await oldApi.call('sessions.get', { sessionId: s.id })).pid),
    );
    oldApi.close();
    // Quitting keeps the programs running in its terminal host; the new version starts on the same data dir.
    await old.stop();
    current = await startServeProcess({ home: old.home });
    const api = await current.client();
    // The DOM renderer: the test reads the terminal's rows.
    await page.addInitScript(() => localStorage.setItem('multisession.terminalRenderer', 'dom'));
    await page
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(current.url).origin });
    await page.goto(current.url);

    const banner = page.getByTestId('older-host-banner');
    await expect(banner).toContainText('2 sessions still run in the terminal host of Multisession');
    await expect(banner).toContainText('alpha, beta');
    // Their programs run (there), so the status bar counts them.
    await expect(page.getByTestId('status-running')).toHaveText('2 running');
    // Recorded stopped here, running there: the sidebar and the details say where, not "Stopped".
    for (const s of made) {
      await expect(page.getByTestId(`sidebar-session-${s.id}`).locator('[data-held]')).toHaveText(/^Running in v\d/);
    }
    // A tab opened on a held session before the move follows the program started here.
    await page.getByTestId(`sidebar-session-${made[0].id}`).click();
    await expect(page.locator('.detail-header [data-held]')).toHaveText(/^Running in v\d/);
    await screenshotMatrix(page, 'older-host-banner');

    await page.getByTestId('older-host-restart-here').click();
    await expect(banner).toHaveCount(0);
    for (const [i, s] of made.entries()) {
      await expect
        .poll(async () => {
          const x = await api.call('sessions.get', { sessionId: s.id });
          return x.pid !== null && x.pid !== oldPids[i] && running.test(x.status);
        })
        .toBe(true);
    }
    expect(await api.call('sessions.olderHosts', {})).toEqual([]);
    await expect(page.getByTestId('status-running')).toHaveText('2 running');
    await expect(page.locator('[data-held]')).toHaveCount(0);
    // The tab opened before the move follows the program started here, under the separator, with
    // the screen from the older host above it (as in the snapshot a new viewer gets).
    await page.getByTestId(`sidebar-session-${made[0].id}`).click();
    await expect(terminalRows(page, made[0].id)).toContainText('moved here from the terminal host of Multisession');
    // The whole buffer (select all + copy): the older host's screen is above the separator in this tab too.
    await selectWholeTerminal(page, made[0].id);
    await expect
      .poll(async () => {
        const text = await clipboardText(page);
        const old = text.indexOf('alpha-typed-in-the-older-host');
        return old >= 0 && old < text.indexOf('moved here from');
      })
      .toBe(true);
    await screenshotMatrix(page, 'older-host-moved');
    const attached = await api.call('terminals.attach', { sessionId: made[0].id, cols: 100, rows: 30 });
    expect(attached.snapshot).toContain('alpha-typed-in-the-older-host');
    expect(attached.snapshot).toContain('moved here from the terminal host of Multisession');
    expect(attached.snapshot.indexOf('alpha-typed-in-the-older-host')).toBeLessThan(
      attached.snapshot.indexOf('moved here from'),
    );
    api.close();
  } finally {
    await current?.stop();
    await old?.stop();
    if (old) await stopTerminalHosts(old.home);
  }
});
