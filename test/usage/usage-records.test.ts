import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Session } from '../../src/shared/domain';
import { AgentDetector } from '../../src/main/engine/agents/agent-detection';
import { claudeSlug } from '../../src/main/engine/usage/claude-usage';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempDir, makeTempRepo, type TempDir } from '../support/temp-repo';

// Each agent's own local records, written in its documented format (test/fixtures/agent-usage),
// placed where that agent keeps them in a private HOME, then read by the real engine.
const FIX = join(__dirname, '..', 'fixtures', 'agent-usage');
let h: Harness;
let repo: TempDir;
let user: TempDir;
// Set after the sessions exist: records from before a session was created are someone else's.
let T0 = 0;
const iso = (dt: number) => new Date(T0 + dt).toISOString();

function fixture(name: string, worktree: string): string {
  return readFileSync(join(FIX, name), 'utf8')
    .replaceAll('__WORKTREE__', worktree)
    .replaceAll('__HASH__', createHash('sha256').update(worktree).digest('hex'))
    .replaceAll('"__T0MS__"', String(T0))
    .replaceAll('"__T1MS__"', String(T0 + 200))
    .replaceAll('"__T2MS__"', String(T0 + 400))
    .replaceAll('__T0__', iso(0))
    .replaceAll('__T1__', iso(200))
    .replaceAll('__T2__', iso(400));
}

function put(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const sessions: Record<string, Session> = {};

beforeAll(async () => {
  repo = await makeTempRepo();
  user = await makeTempDir('ms-usage-home-');
  // Stand-ins named like the agents so each session is that agent (nothing is started).
  const bin = join(user.path, 'bin');
  mkdirSync(bin);
  for (const c of ['claude', 'codex', 'gemini', 'opencode', 'aider']) {
    writeFileSync(join(bin, c), '#!/bin/sh\nexit 0\n');
    chmodSync(join(bin, c), 0o755);
  }
  h = await openEngine({
    agentDetector: new AgentDetector(() => ({ path: bin, home: user.path, env: {} })),
    usageEnv: { home: user.path, env: {} },
  });
  for (const agent of ['claude', 'codex', 'gemini', 'opencode', 'aider']) {
    [sessions[agent]] = await h.call('sessions.create', { name: agent, repoPath: repo.path, agent, autoStart: false });
  }
  T0 = Date.now() - 1000;
  const wt = (a: string) => sessions[a].worktreePath;
  put(
    join(user.path, '.claude', 'projects', claudeSlug(wt('claude')), '6a1f0b7e.jsonl'),
    fixture('claude-session.jsonl', wt('claude')),
  );
  const d = new Date();
  const day = [
    String(d.getFullYear()),
    String(d.getMonth() + 1).padStart(2, '0'),
    String(d.getDate()).padStart(2, '0'),
  ];
  put(
    join(user.path, '.codex', 'sessions', ...day, 'rollout-2025-11-02T10-00-00-0199a0b1.jsonl'),
    fixture('codex-rollout.jsonl', wt('codex')),
  );
  const hash = createHash('sha256').update(wt('gemini')).digest('hex');
  put(
    join(user.path, '.gemini', 'tmp', hash, 'chats', 'session-2025-11-02T10-00-f86f5318.json'),
    fixture('gemini-session.json', wt('gemini')),
  );
  const oc = join(user.path, '.local', 'share', 'opencode', 'storage');
  put(join(oc, 'session', 'a1b2c3', 'ses_fixture01.json'), fixture('opencode-session.json', wt('opencode')));
  put(join(oc, 'message', 'ses_fixture01', 'msg_fixture01.json'), fixture('opencode-message.json', wt('opencode')));
  put(join(wt('aider'), '.aider.chat.history.md'), fixture('aider.chat.history.md', wt('aider')));
});
afterAll(async () => {
  await h?.close();
  await repo?.cleanup();
  await user?.cleanup();
});

const usageOf = async (agent: string) => (await h.call('sessions.get', { sessionId: sessions[agent].id })).usage;

describe('usage from the agents’ own records', () => {
  it('reads every agent’s records, attributed by worktree, priced by model', async () => {
    expect(await h.call('usage.refresh', {})).toEqual({ changed: 5 });
    // Claude: one message written twice while streaming counts once with its final usage; a
    // message from a folder inside the worktree counts; another project's does not.
    expect(await usageOf('claude')).toMatchObject({
      inputTokens: 15,
      outputTokens: 500,
      cacheReadTokens: 8000,
      cacheWriteTokens: 8500,
      costUsd: 0.04182,
      models: ['claude-sonnet-4-5-20250929'],
    });
    // Codex: last_token_usage per call (cached input apart), a repeated event adds nothing.
    expect(await usageOf('codex')).toMatchObject({
      inputTokens: 6000,
      outputTokens: 1000,
      cacheReadTokens: 16000,
      costUsd: 0.0195,
    });
    // Gemini: input includes cached, thoughts are output.
    expect(await usageOf('gemini')).toMatchObject({
      inputTokens: 6000,
      outputTokens: 1000,
      cacheReadTokens: 13000,
      costUsd: 0.019125,
    });
    // OpenCode and Aider record their own cost.
    expect(await usageOf('opencode')).toMatchObject({
      inputTokens: 1200,
      outputTokens: 900,
      cacheWriteTokens: 700,
      costUsd: 0.0421,
    });
    expect(await usageOf('aider')).toMatchObject({
      inputTokens: 4400,
      outputTokens: 730,
      cacheReadTokens: 1200,
      costUsd: 0.0176,
      models: ['gpt-4.1'],
    });
  });

  it('rate-limit and quota notices become notifications, once each', async () => {
    const limits = h.peer.events.filter((e) => e.name === 'notify' && (e.payload as { kind: string }).kind === 'limit');
    const bodies = limits.map((e) => (e.payload as { body: string }).body);
    // Claude's "…|<epoch seconds>" reads as the reset time, not a raw number.
    const claude = bodies.find((b) => b.startsWith('Claude AI usage limit reached'));
    expect(claude).toBe(
      `Claude AI usage limit reached — resets ${new Date(1767225600_000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}.`,
    );
    expect(bodies.some((b) => b.startsWith('Codex has used 95% of its 5-hour limit'))).toBe(true);
    await h.call('usage.refresh', { sessionIds: [sessions.codex.id] });
    expect(
      h.peer.events.filter((e) => e.name === 'notify' && (e.payload as { kind: string }).kind === 'limit'),
    ).toHaveLength(limits.length);
  });

  it('reads only what was appended, and re-reading adds nothing twice', async () => {
    const file = join(user.path, '.claude', 'projects', claudeSlug(sessions.claude.worktreePath), '6a1f0b7e.jsonl');
    expect(await h.call('usage.refresh', { sessionIds: [sessions.claude.id] })).toEqual({ changed: 0 });
    // Loose: the record's other fields (its usage) are kept as written.
    const line = z
      .looseObject({ message: z.looseObject({ id: z.string() }), requestId: z.string() })
      .parse(JSON.parse(readFileSync(file, 'utf8').split('\n')[3]));
    line.message.id = 'msg_01C';
    line.requestId = 'req_03';
    appendFileSync(file, `${JSON.stringify(line)}\n`);
    await h.call('usage.refresh', { sessionIds: [sessions.claude.id] });
    expect(await usageOf('claude')).toMatchObject({ inputTokens: 18, outputTokens: 600 });
  });

  it('attributes by time too: a record from before the session existed is someone else’s', async () => {
    const file = join(user.path, '.claude', 'projects', claudeSlug(sessions.claude.worktreePath), '6a1f0b7e.jsonl');
    const before = await usageOf('claude');
    // Loose: every other field of the record (its usage) is kept as written.
    const line = z
      .looseObject({ message: z.looseObject({ id: z.string() }), requestId: z.string(), timestamp: z.string() })
      .parse(JSON.parse(readFileSync(file, 'utf8').split('\n')[3]));
    line.message.id = 'msg_old';
    line.requestId = 'req_old';
    line.timestamp = new Date(sessions.claude.createdAt - 3_600_000).toISOString();
    appendFileSync(file, `${JSON.stringify(line)}\n`);
    await h.call('usage.refresh', { sessionIds: [sessions.claude.id] });
    expect(await usageOf('claude')).toMatchObject({
      inputTokens: before?.inputTokens,
      outputTokens: before?.outputTokens,
    });
  });

  it('shows in status totals and in the cost series by session', async () => {
    const system = await h.call('metrics.system', {});
    expect(system.usage?.costUsd).toBeGreaterThan(0.14);
    const { points, pricesAsOf } = await h.call('usage.series', { from: T0 - 60_000 });
    expect(pricesAsOf).toMatch(/^\d{4}-\d{2}$/);
    expect(new Set(points.map((p) => p.sessionId))).toEqual(new Set(Object.values(sessions).map((s) => s.id)));
    const labels = (await h.call('usage.series', { from: T0 - 60_000 })).sessions;
    expect(labels.find((l) => l.sessionId === sessions.codex.id)).toEqual({
      sessionId: sessions.codex.id,
      name: 'codex',
      agent: 'codex',
      type: 'general',
    });
    const detail = await h.call('usage.session', { sessionId: sessions.claude.id });
    expect(detail.byModel[0]).toMatchObject({ model: 'claude-sonnet-4-5-20250929', calls: 3 });
  });
});
