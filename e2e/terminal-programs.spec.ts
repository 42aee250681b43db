import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../test/support/serve-process';
import { test, expect, screenshotBoth } from './fixtures';
import { openTerminalTab, terminalRows, tmux } from './terminal-helpers';
import { waitRunning, runningStatus } from './session-helpers';

// Full-screen programs in a tab: keys reach them (Ctrl+W, Ctrl+F, Ctrl+R included), they edit,
// save, page and quit. The same programs through `multisession attach` in tmux leave the outer
// terminal as it was. The real agent CLIs are in agent-clis.spec.ts.

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('multisession.terminalRenderer', 'dom'));
});

test('Ctrl+W, Ctrl+F and Ctrl+R reach the program; the tab stays and no other session gets a key', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo();
  // No rc files: what a user's .bashrc does at start is not this test's subject.
  const shell = { program: 'bash', args: ['--norc', '--noprofile'] };
  const [other] = await api.call('sessions.create', { name: 'Other', repoPath: repo, ...shell });
  const [s] = await api.call('sessions.create', { name: 'Keys', repoPath: repo, ...shell });
  await waitRunning(api, s.id);
  await waitRunning(api, other.id);
  await page.goto(host.url);
  await page.getByTestId(`sidebar-session-${other.id}`).click();
  await openTerminalTab(page, host.url, s.id);
  // Raw mode, so the line discipline does not act on ^W or ^R itself: the program reads the byte.
  const keys: Array<[string, string]> = [
    ['Control+W', '17'],
    ['Control+F', '06'],
    ['Control+R', '12'],
  ];
  for (const [i, [key, byte]] of keys.entries()) {
    await page.keyboard.type(`stty raw -echo; echo RE''ADY${i}; head -c 1 | od -An -tx1; stty sane`);
    await page.keyboard.press('Enter');
    await expect(terminalRows(page, s.id)).toContainText(`READY${i}`);
    await page.keyboard.press(key);
    await expect(terminalRows(page, s.id), `${key} reaches the program as 0x${byte}`).toContainText(
      new RegExp(`READY${i}\\s*${byte}`),
    );
  }
  await expect(page.getByTestId(`terminal-tab-${s.id}`).getByRole('tab')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('terminal-search')).toHaveCount(0);
  // The other session's terminal never saw these keys.
  const snap = await api.call('terminals.attach', { sessionId: other.id, cols: 80, rows: 24 });
  await api.call('terminals.detach', { sessionId: other.id });
  expect(snap.snapshot).not.toContain('READY');
  expect(snap.snapshot).not.toContain('stty raw');
});

test('vim in a tab: Ctrl+W deletes a word, Ctrl+R inserts a register, :wq saves', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo();
  const [s] = await api.call('sessions.create', {
    name: 'Vim',
    repoPath: repo,
    program: 'vim',
    args: ['-u', 'NONE', '-N', '-i', 'NONE', 'notes.txt'],
  });
  await waitRunning(api, s.id);
  await openTerminalTab(page, host.url, s.id);
  await expect(terminalRows(page, s.id)).toContainText('~');
  await page.keyboard.press('i');
  await expect(terminalRows(page, s.id)).toContainText('-- INSERT --');
  await page.keyboard.type('one two');
  await expect(terminalRows(page, s.id)).toContainText('one two');
  await page.keyboard.press('Control+W');
  await page.keyboard.type('three ');
  await page.keyboard.press('Control+R');
  await page.keyboard.type('=6*7');
  await page.keyboard.press('Enter');
  await expect(terminalRows(page, s.id)).toContainText('one three 42');
  await page.keyboard.press('Escape');
  await expect(terminalRows(page, s.id)).not.toContainText('-- INSERT --');
  await screenshotBoth(page, 'terminal-vim');
  await page.keyboard.type(':wq');
  await page.keyboard.press('Enter');
  const file = join((await api.call('sessions.get', { sessionId: s.id })).worktreePath, 'notes.txt');
  await expect
    .poll(() => (existsSync(file) ? readFileSync(file, 'utf8') : ''), { timeout: 15_000 })
    .toBe('one three 42\n');
});

test('less in a tab pages with Ctrl+F and quits with q; htop draws and quits', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  const lines = Array.from({ length: 300 }, (_, i) => `line ${String(i + 1).padStart(3, '0')}`).join('\n');
  const repo = await tempRepo({ files: { 'long.txt': `${lines}\n` } });
  const [s] = await api.call('sessions.create', { name: 'Less', repoPath: repo, program: 'less', args: ['long.txt'] });
  await waitRunning(api, s.id);
  await openTerminalTab(page, host.url, s.id);
  await expect(terminalRows(page, s.id)).toContainText('line 001');
  await page.keyboard.press('Control+F');
  await expect(terminalRows(page, s.id)).not.toContainText('line 001');
  await expect(terminalRows(page, s.id)).toContainText(/line 0[4-9]\d/);
  await page.keyboard.press('q');
  await expect
    .poll(async () => (await api.call('sessions.get', { sessionId: s.id })).status, { timeout: 15_000 })
    .not.toMatch(runningStatus);

  const [h] = await api.call('sessions.create', { name: 'Htop', repoPath: repo, program: 'htop' });
  await waitRunning(api, h.id);
  await openTerminalTab(page, host.url, h.id);
  await expect(terminalRows(page, h.id)).toContainText(/Tasks|Load average/);
  await screenshotBoth(page, 'terminal-htop');
  await page.keyboard.press('q');
  await expect
    .poll(async () => (await api.call('sessions.get', { sessionId: h.id })).status, { timeout: 15_000 })
    .not.toMatch(runningStatus);
});

test('attach in tmux: vim edits through attach; Ctrl-] detaches and the outer terminal is back to normal', async ({
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo();
  const [s] = await api.call('sessions.create', {
    name: 'Vim attach',
    repoPath: repo,
    program: 'vim',
    args: ['-u', 'NONE', '-N', '-i', 'NONE', '-c', 'set mouse=a', 'attached.txt'],
  });
  await waitRunning(api, s.id);
  const socket = `ms-e2e-${process.pid}-${Date.now()}`;
  tmux(socket, 'new-session', '-d', '-x', '100', '-y', '30', '-s', 'main', 'bash --norc --noprofile');
  try {
    const screen = () => tmux(socket, 'capture-pane', '-p', '-t', 'main');
    const flags = () =>
      tmux(
        socket,
        'display',
        '-p',
        '-t',
        'main',
        '#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{keypad_cursor_flag}',
      ).trim();
    expect(flags()).toBe('0 1 0 0');
    const cli = `node ${join(repoRoot, 'bin/multisession.js')} attach --home ${host.home} --session-id ${s.id}`;
    tmux(socket, 'send-keys', '-t', 'main', cli, 'Enter');
    await expect.poll(screen, { timeout: 20_000 }).toMatch(/^~/m);
    // vim put the outer terminal in its modes: alternate screen, mouse, application cursor keys.
    await expect.poll(flags).toBe('1 1 1 1');
    const keys = (...k: string[]) => tmux(socket, 'send-keys', '-t', 'main', ...k);
    keys('i');
    await expect.poll(screen).toContain('-- INSERT --');
    keys('alpha beta');
    await expect.poll(screen).toContain('alpha beta');
    keys('C-w');
    keys('gamma');
    await expect.poll(screen).toMatch(/^alpha gamma/m);
    keys('Escape');
    await expect.poll(screen).not.toContain('-- INSERT --');
    keys(':w', 'Enter');
    const file = join((await api.call('sessions.get', { sessionId: s.id })).worktreePath, 'attached.txt');
    await expect
      .poll(() => (existsSync(file) ? readFileSync(file, 'utf8') : ''), { timeout: 15_000 })
      .toBe('alpha gamma\n');

    tmux(socket, 'send-keys', '-t', 'main', 'C-]');
    await expect.poll(screen, { timeout: 15_000 }).toContain('Detached from Vim attach');
    expect(flags()).toBe('0 1 0 0');
    // The message is below the command line, on the user's own screen, not over vim's.
    const text = screen();
    expect(text.indexOf('Detached from')).toBeGreaterThan(text.indexOf('multisession.js attach'));
    expect(text).not.toMatch(/^~/m);
    // The shell works as before: keys are plain again.
    tmux(socket, 'send-keys', '-t', 'main', 'echo back-$((20+1))', 'Enter');
    await expect.poll(screen).toContain('back-21');
    expect((await api.call('sessions.get', { sessionId: s.id })).status).toMatch(runningStatus);
  } finally {
    tmux(socket, 'kill-server');
  }
});

test('attach in tmux: a program that shifted in line drawing and set its own tab stops leaves the outer terminal as it was', async ({
  host,
  api,
  tempRepo,
}) => {
  const repo = await tempRepo();
  // G1 = DEC line drawing, shifted in (as screen and tmux draw boxes); all tab stops cleared, one
  // set at column 5. An attach's snapshot carries both into the user's terminal.
  const [s] = await api.call('sessions.create', {
    name: 'Charset and tabs',
    repoPath: repo,
    program: 'sh',
    args: ['-c', "printf 'box \\033)0\\016lqk\\033[3g\\033[1;5H\\033H\\r\\n'; exec sleep 600"],
  });
  await waitRunning(api, s.id);
  const socket = `ms-e2e-${process.pid}-${Date.now()}`;
  tmux(socket, 'new-session', '-d', '-x', '100', '-y', '30', '-s', 'main', 'bash --norc --noprofile');
  try {
    const screen = () => tmux(socket, 'capture-pane', '-p', '-t', 'main');
    const keys = (...k: string[]) => tmux(socket, 'send-keys', '-t', 'main', ...k);
    const cli = `node ${join(repoRoot, 'bin/multisession.js')} attach --home ${host.home} --session-id ${s.id}`;
    keys(cli, 'Enter');
    // The snapshot drew the box in line drawing: the state is in the outer terminal now.
    await expect.poll(screen, { timeout: 20_000 }).toContain('box ┌─┐');
    keys('C-]');
    await expect.poll(screen, { timeout: 15_000 }).toContain('Detached from Charset and tabs');
    // Letters are letters again, and a tab goes to column 8 as before.
    keys("printf 'lqk\\t|\\n'", 'Enter');
    await expect.poll(screen).toMatch(/^lqk {5}\|$/m);
  } finally {
    tmux(socket, 'kill-server');
  }
});
