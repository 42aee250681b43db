import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { makeAgentHome, stopProcessesOfHome, type AgentCliId, type AgentHome } from '../test/support/agent-cli';
import { repoRoot, startServeProcess, type ServeProcess } from '../test/support/serve-process';
import type { FrameClient } from '../src/shared/client';
import { test, expect, screenshotBoth } from './fixtures';
import { openTerminalTab, terminalRows, terminalTextContrast, tmux } from './terminal-helpers';

// The real Claude Code, Codex and Gemini CLIs (pinned, installed from the npm registry by
// scripts/agent-clis.mjs) on their offline first screens, in a private HOME: in an app tab (the
// question renders, reads "waiting", a key answers it and the status follows) and through
// `multisession attach` in tmux. Nothing is sent anywhere: no CLI has a real credential.

const ENTER = 'Enter';

interface AgentHost {
  agentHome: AgentHome;
  host: ServeProcess;
  api: FrameClient;
  close(): Promise<void>;
}

/** A browser-mode host whose programs see only the private HOME with the CLIs on PATH. */
async function startAgentHost(clis: AgentCliId[]): Promise<AgentHost> {
  const agentHome = makeAgentHome(clis);
  const host = await startServeProcess({ env: agentHome.env });
  const api = await host.client();
  return {
    agentHome,
    host,
    api,
    close: async () => {
      api.close();
      await host.stopAll();
      // Codex leaves a detached `codex app-server` behind; anything else with this HOME goes too.
      stopProcessesOfHome(agentHome.home);
      agentHome.cleanup();
    },
  };
}

async function status(api: FrameClient, sessionId: string): Promise<string> {
  return (await api.call('sessions.get', { sessionId })).status;
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('multisession.terminalRenderer', 'dom'));
});

test.describe('real agent CLIs in a tab', () => {
  test.describe.configure({ timeout: 240_000 });

  test('Claude Code: trust question reads waiting, Enter answers it, the main screen reads idle; wide characters edit in place', async ({
    page,
    tempRepo,
  }) => {
    const h = await startAgentHost(['claude']);
    try {
      const repo = await tempRepo();
      const [s] = await h.api.call('sessions.create', { name: 'Claude', repoPath: repo, agent: 'claude' });
      await openTerminalTab(page, h.host.url, s.id);
      await expect(terminalRows(page, s.id)).toContainText(/trust this folder/, { timeout: 60_000 });
      await expect.poll(() => status(h.api, s.id), { timeout: 20_000 }).toBe('waiting');
      await screenshotBoth(page, 'agent-claude-trust');
      // Keys reach the CLI: the picker starts on "No, exit"; Down moves to "Yes", Enter confirms.
      await page.keyboard.press('ArrowDown');
      await expect(terminalRows(page, s.id)).toContainText(/❯ Yes, I trust this folder/);
      await page.keyboard.press(ENTER);
      await expect(terminalRows(page, s.id)).not.toContainText(/trust this folder/, { timeout: 30_000 });
      await expect(terminalRows(page, s.id)).toContainText(/Not logged in|\/login/, { timeout: 30_000 });
      await expect.poll(() => status(h.api, s.id), { timeout: 20_000 }).toBe('idle');
      // Wide characters: the input line shows them, and editing around them lands in the right cell.
      await page.keyboard.type('a中文😀b');
      await expect(terminalRows(page, s.id)).toContainText('a中文😀b');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.type('X');
      await expect(terminalRows(page, s.id)).toContainText('a中文X😀b');
      // The host's headless screen (what attach and a second window get) agrees with the tab.
      const snap = await h.api.call('terminals.attach', { sessionId: s.id, cols: 100, rows: 30 });
      await h.api.call('terminals.detach', { sessionId: s.id });
      // eslint-disable-next-line no-control-regex -- SGR/CSI sequences between the cells
      expect(snap.snapshot.replace(/\x1b\[[0-9;:?]*[A-Za-z]/g, '')).toContain('a中文X😀b');
      await screenshotBoth(page, 'agent-claude-main');
    } finally {
      await h.close();
    }
  });

  test('Codex: sign-in picker reads waiting; a digit key moves to the next picker; status stays waiting', async ({
    page,
    tempRepo,
  }) => {
    const h = await startAgentHost(['codex']);
    try {
      const repo = await tempRepo();
      const [s] = await h.api.call('sessions.create', { name: 'Codex', repoPath: repo, agent: 'codex' });
      await openTerminalTab(page, h.host.url, s.id);
      await expect(terminalRows(page, s.id)).toContainText(/Sign in with ChatGPT/, { timeout: 60_000 });
      await expect.poll(() => status(h.api, s.id), { timeout: 20_000 }).toBe('waiting');
      await screenshotBoth(page, 'agent-codex-sign-in');
      await page.keyboard.press('3');
      await expect(terminalRows(page, s.id)).toContainText(/OpenAI API key/, { timeout: 30_000 });
      await page.keyboard.press(ENTER);
      await expect(terminalRows(page, s.id)).toContainText(/Paste or type your API key/, { timeout: 30_000 });
      await expect.poll(() => status(h.api, s.id), { timeout: 20_000 }).toBe('waiting');
    } finally {
      await h.close();
    }
  });

  test('Gemini CLI: trust dialog notifies and reads waiting, Enter answers it, the auth picker reads waiting', async ({
    page,
    tempRepo,
  }) => {
    const h = await startAgentHost(['gemini']);
    try {
      const repo = await tempRepo();
      // The app is open elsewhere when the question comes: a notification announces it and opens the tab.
      await page.goto(h.host.url);
      const [s] = await h.api.call('sessions.create', { name: 'Gemini', repoPath: repo, agent: 'gemini' });
      const toast = page.getByTestId('toast').filter({ hasText: 'Gemini' }).first();
      await expect(toast).toBeVisible({ timeout: 60_000 });
      await toast.click();
      await expect(page.getByTestId(`terminal-tab-${s.id}`)).toHaveClass(/waiting/);
      await page.getByTestId(`terminal-${s.id}`).locator('.xterm').click();
      await expect(terminalRows(page, s.id)).toContainText(/Do you trust the files in this folder\?/, {
        timeout: 60_000,
      });
      await expect.poll(() => status(h.api, s.id), { timeout: 20_000 }).toBe('waiting');
      // Gemini picked its theme from the colours the host reported before any tab showed it: the
      // app's (light) theme, which the page told the host when it connected — so its dialog is
      // readable here. Told the dark default, it drew light text on this white terminal (~1.3:1).
      expect(await terminalTextContrast(page, s.id, 'Do you trust the files')).toBeGreaterThan(4.5);
      await screenshotBoth(page, 'agent-gemini-trust');
      await page.keyboard.press(ENTER);
      await expect(terminalRows(page, s.id)).toContainText(/How would you like to authenticate/, { timeout: 30_000 });
      await expect(terminalRows(page, s.id)).not.toContainText(/Do you trust the files/);
      await expect.poll(() => status(h.api, s.id), { timeout: 20_000 }).toBe('waiting');
    } finally {
      await h.close();
    }
  });
});

test('Codex through attach in tmux: the trust question, a key answers it, a resize reaches it, Ctrl-] leaves the outer terminal normal', async ({
  tempRepo,
}) => {
  test.setTimeout(240_000);
  const h = await startAgentHost(['codex']);
  const socket = `ms-e2e-agent-${process.pid}-${Date.now()}`;
  try {
    // A stored (fake) key skips sign-in, as for a user who logged in before; nothing is sent with it.
    execFileSync('/bin/sh', ['-c', 'printf sk-offline-e2e | codex login --with-api-key'], {
      env: h.agentHome.env,
      stdio: 'ignore',
    });
    const repo = await tempRepo();
    const [s] = await h.api.call('sessions.create', { name: 'Codex attach', repoPath: repo, agent: 'codex' });
    await expect.poll(() => status(h.api, s.id), { timeout: 60_000 }).toBe('waiting');
    tmux(socket, 'new-session', '-d', '-x', '110', '-y', '32', '-s', 'main', 'bash --norc --noprofile');
    const screen = () => tmux(socket, 'capture-pane', '-p', '-t', 'main');
    const flags = () =>
      tmux(socket, 'display', '-p', '-t', 'main', '#{alternate_on} #{cursor_flag} #{mouse_any_flag}').trim();
    expect(flags()).toBe('0 1 0');
    const cli = `node ${join(repoRoot, 'bin/multisession.js')} attach --home ${h.host.home} --session-id ${s.id}`;
    tmux(socket, 'send-keys', '-t', 'main', cli, 'Enter');
    await expect.poll(screen, { timeout: 30_000 }).toMatch(/Trust this folder\?/);
    tmux(socket, 'send-keys', '-t', 'main', 'Enter');
    await expect.poll(screen, { timeout: 30_000 }).toMatch(/Ask Codex to do anything|OpenAI Codex/);
    await expect.poll(() => status(h.api, s.id), { timeout: 20_000 }).toBe('idle');
    // Resizing the outer terminal resizes the session (attach is its one viewer); Codex redraws.
    tmux(socket, 'resize-window', '-t', 'main', '-x', '80', '-y', '24');
    await expect
      .poll(async () => {
        const { cols, rows: height } = await h.api.call('sessions.get', { sessionId: s.id });
        return `${cols}x${height}`;
      })
      .toBe('80x24');
    await expect.poll(screen, { timeout: 30_000 }).toMatch(/Ask Codex to do anything|OpenAI Codex/);
    tmux(socket, 'send-keys', '-t', 'main', 'C-]');
    await expect.poll(screen, { timeout: 15_000 }).toContain('Detached from Codex attach');
    expect(flags()).toBe('0 1 0');
  } finally {
    try {
      tmux(socket, 'kill-server');
    } catch {
      // never started
    }
    await h.close();
  }
});

test('Claude Code through attach in tmux: keys answer the trust picker; wide characters edit in place in tmux too', async ({
  tempRepo,
}) => {
  test.setTimeout(240_000);
  const h = await startAgentHost(['claude']);
  const socket = `ms-e2e-agent-${process.pid}-${Date.now()}`;
  try {
    const repo = await tempRepo();
    const [s] = await h.api.call('sessions.create', { name: 'Claude attach', repoPath: repo, agent: 'claude' });
    await expect.poll(() => status(h.api, s.id), { timeout: 60_000 }).toBe('waiting');
    tmux(socket, 'new-session', '-d', '-x', '110', '-y', '32', '-s', 'main', 'bash --norc --noprofile');
    const screen = () => tmux(socket, 'capture-pane', '-p', '-t', 'main');
    const cli = `node ${join(repoRoot, 'bin/multisession.js')} attach --home ${h.host.home} --session-id ${s.id}`;
    tmux(socket, 'send-keys', '-t', 'main', cli, 'Enter');
    await expect.poll(screen, { timeout: 30_000 }).toMatch(/trust this folder/);
    tmux(socket, 'send-keys', '-t', 'main', 'Down');
    await expect.poll(screen).toMatch(/❯ Yes, I trust this folder/);
    tmux(socket, 'send-keys', '-t', 'main', 'Enter');
    await expect.poll(screen, { timeout: 30_000 }).toMatch(/Not logged in|\/login/);
    await expect.poll(() => status(h.api, s.id), { timeout: 20_000 }).toBe('idle');
    // tmux keeps its own width table: the line it shows matches what Claude drew only if all agree.
    tmux(socket, 'send-keys', '-t', 'main', '-l', 'a中文😀b');
    await expect.poll(screen).toContain('a中文😀b');
    tmux(socket, 'send-keys', '-t', 'main', 'Left', 'Left', 'X');
    await expect.poll(screen).toContain('a中文X😀b');
    tmux(socket, 'send-keys', '-t', 'main', 'C-]');
    await expect.poll(screen, { timeout: 15_000 }).toContain('Detached from Claude attach');
  } finally {
    try {
      tmux(socket, 'kill-server');
    } catch {
      // never started
    }
    await h.close();
  }
});
