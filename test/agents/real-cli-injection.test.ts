import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { FrameClient } from '../../src/shared/client';
import type { ApprovalPolicy, Session } from '../../src/shared/domain';
import { isRunningStatus } from '../../src/shared/session-state';
import { makeAgentHome, type AgentCliId, type AgentHome } from '../support/agent-cli';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { makeTempRepo, type TempDir } from '../support/temp-repo';
import { waitFor } from '../support/wait-for';

// The real CLIs (pinned, from the npm registry, in a private HOME with no credential) started by
// the built host exactly as a session starts them: with the per-session status injection (Claude's
// --settings hooks, Codex's -c notify, OpenCode's OPENCODE_CONFIG plugin) and an approval mode.
// "Accepted" means the CLI came up on its own first screen instead of exiting on an unknown flag
// or a bad config. Claude Code's hooks fire offline: in a trusted folder it starts its session
// (SessionStart), and a prompt without a login runs UserPromptSubmit then StopFailure.

const clis: AgentCliId[] = ['claude', 'codex', 'gemini', 'opencode'];
let agentHome: AgentHome;
let host: ServeProcess;
let api: FrameClient;
let repo: TempDir;

beforeAll(async () => {
  agentHome = makeAgentHome(clis);
  host = await startServeProcess({ env: agentHome.env });
  api = await host.client();
  repo = await makeTempRepo();
}, 600_000);
afterAll(async () => {
  api?.close();
  await host?.stop();
  agentHome?.cleanup();
  await repo?.cleanup();
});

/** The host's own screen of the session, as plain text. */
async function screen(sessionId: string): Promise<string> {
  const snap = await api.call('terminals.attach', { sessionId, cols: 120, rows: 40 });
  await api.call('terminals.detach', { sessionId });
  // eslint-disable-next-line no-control-regex -- SGR/CSI sequences between the cells
  return snap.snapshot.replace(/\x1b\[[0-9;:?]*[A-Za-z]/g, '');
}

/** Waits until the screen matches; a timeout shows the last screen. */
async function screenShows(sessionId: string, what: string, re: RegExp, timeoutMs = 30_000): Promise<string> {
  let text = '';
  try {
    await waitFor(
      what,
      async () => {
        text = await screen(sessionId);
        return re.test(text);
      },
      timeoutMs,
    );
  } catch (e) {
    throw new Error(`${String(e)}\nlast screen:\n${text}`, { cause: e });
  }
  return text;
}

async function start(agent: AgentCliId, approval: ApprovalPolicy): Promise<Session> {
  const [s] = await api.call('sessions.create', { name: `${agent}-real`, repoPath: repo.path, agent, approval });
  return s;
}

/** Hook events the session's injected reporting appended (`<data dir>/agent-events/<id>.log`). */
function hookEvents(sessionId: string): string[] {
  const log = join(host.home, 'agent-events', `${sessionId}.log`);
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

async function runningOn(s: Session, firstScreen: RegExp, timeoutMs = 90_000): Promise<string> {
  let text = '';
  await waitFor(
    `${s.agent}'s first screen`,
    async () => {
      text = await screen(s.id);
      return firstScreen.test(text);
    },
    timeoutMs,
  );
  const now = await api.call('sessions.get', { sessionId: s.id });
  expect(isRunningStatus(now.status), `${s.agent} is ${now.status}`).toBe(true);
  // None of them says anything about our arguments or config.
  expect(text).not.toMatch(/unknown option|unexpected argument|unrecognized|invalid value|error: /i);
  return text;
}

describe('the real CLIs accept the per-session injection and approval modes', () => {
  it('Claude Code: --settings hooks and --permission-mode; hooks fire offline and drive the status', async () => {
    const [s] = await api.call('sessions.create', {
      name: 'claude-real',
      repoPath: repo.path,
      agent: 'claude',
      approval: { policy: 'agent', mode: 'acceptEdits' },
      autoStart: false,
    });
    // The folder trusted the way Claude records it after its dialog, so it starts its session at once.
    const config = join(agentHome.home, '.claude.json');
    const json = z.record(z.string(), z.unknown()).parse(JSON.parse(readFileSync(config, 'utf8')));
    json.projects = { [s.worktreePath]: { hasTrustDialogAccepted: true } };
    writeFileSync(config, JSON.stringify(json, null, 2));
    await api.call('sessions.start', { sessionId: s.id });
    await screenShows(s.id, 'the main screen', /Not logged in|\/login/, 90_000);
    // The mode reached Claude: its footer names it.
    expect(await screen(s.id)).toMatch(/accept edits on/i);
    await waitFor('SessionStart from the injected hooks', () => hookEvents(s.id).length > 0, 30_000);
    // A prompt with no login: UserPromptSubmit (busy) and StopFailure (idle) fire without a network.
    await api.call('terminals.input', { sessionId: s.id, data: 'hello' });
    await screenShows(s.id, 'the prompt typed', /hello/);
    await api.call('terminals.input', { sessionId: s.id, data: '\r' });
    await waitFor('a turn reported by the hooks', () => hookEvents(s.id).some((l) => /busy/.test(l)), 60_000);
    await waitFor('its end reported by the hooks', () => hookEvents(s.id).some((l) => /idle|finished/.test(l)), 90_000);
    await waitFor(
      'status from the hooks',
      async () => (await api.call('sessions.get', { sessionId: s.id })).statusSource === 'hooks',
    );
    await api.call('sessions.stop', { sessionId: s.id });
  }, 300_000);

  it('Codex: -c notify=[…] and --ask-for-approval', async () => {
    const s = await start('codex', { policy: 'agent', mode: 'on-request' });
    await runningOn(s, /Sign in with ChatGPT|Do you trust|trust the contents|API key/i);
    await api.call('sessions.stop', { sessionId: s.id });
  }, 180_000);

  it('Gemini CLI: --approval-mode', async () => {
    const s = await start('gemini', { policy: 'agent', mode: 'auto_edit' });
    await runningOn(s, /trust|Trust|Login with Google|authentication/i);
    await api.call('sessions.stop', { sessionId: s.id });
  }, 180_000);

  it('OpenCode: the OPENCODE_CONFIG plugin layer and --auto', async () => {
    const s = await start('opencode', { policy: 'agent', mode: 'auto' });
    // Offline, OpenCode takes about a minute to draw (it waits on its provider lookups).
    const first = await runningOn(s, /ctrl\+p commands/i, 150_000);
    // The mode reached it (its prompt names the agent and mode), and the plugin loaded and reported.
    expect(first).toMatch(/Build auto/);
    await waitFor('the plugin’s first report', () => hookEvents(s.id).some((l) => /ready|idle/.test(l)));
    await api.call('sessions.stop', { sessionId: s.id });
  }, 240_000);
});
