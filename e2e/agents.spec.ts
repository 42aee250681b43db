import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, expect, screenshotDir, screenshotMatrix, settled } from './fixtures';
import { startServeProcess, type ServeProcess } from '../test/support/serve-process';
import { claudeSlug } from '../src/main/engine/usage/claude-usage';
import type { FrameClient } from '../src/shared/client';

// Agents as the GUI shows them (issue #15): the wizard's approval choice, the detail pane's agent rows
// and the analytics cost charts. `claude` and `codex` are the fake agent under those names (it runs
// Claude-style --settings hooks and Codex-style -c notify); their usage records are the fixtures in
// the agents' documented log formats, placed where the host's CLAUDE_CONFIG_DIR / CODEX_HOME say.

const fakeAgent = resolve(__dirname, '../test/fixtures/fake-agent.mjs');
const usageFixtures = resolve(__dirname, '../test/fixtures/agent-usage');

interface AgentWorld {
  dir: string;
  host: ServeProcess;
  api: FrameClient;
}

const test = base.extend<{ world: AgentWorld }>({
  // eslint-disable-next-line no-empty-pattern
  world: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'ms-e2e-agents-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const name of ['claude', 'codex']) {
      writeFileSync(
        join(bin, name),
        `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(fakeAgent)} "$@"\n`,
      );
      chmodSync(join(bin, name), 0o755);
    }
    const host = await startServeProcess({
      env: {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        CLAUDE_CONFIG_DIR: join(dir, 'claude'),
        CODEX_HOME: join(dir, 'codex'),
      },
    });
    const api = await host.client();
    await use({ dir, host, api });
    api.close();
    await host.stopAll();
    rmSync(dir, { recursive: true, force: true });
  },
});

/** A usage fixture with the session's worktree and times from now on. */
function usageRecords(name: string, worktree: string, t0: number): string {
  const iso = (dt: number) => new Date(t0 + dt).toISOString();
  return readFileSync(join(usageFixtures, name), 'utf8')
    .replaceAll('__WORKTREE__', worktree)
    .replaceAll('__HASH__', createHash('sha256').update(worktree).digest('hex'))
    .replaceAll('__T0__', iso(0))
    .replaceAll('__T1__', iso(200))
    .replaceAll('__T2__', iso(400));
}

function put(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

function writeClaudeUsage(dir: string, worktree: string): void {
  put(
    join(dir, 'claude', 'projects', claudeSlug(worktree), '6a1f0b7e.jsonl'),
    usageRecords('claude-session.jsonl', worktree, Date.now()),
  );
}

function writeCodexUsage(dir: string, worktree: string): void {
  const d = new Date();
  const day = [
    String(d.getFullYear()),
    String(d.getMonth() + 1).padStart(2, '0'),
    String(d.getDate()).padStart(2, '0'),
  ];
  put(
    join(dir, 'codex', 'sessions', ...day, 'rollout-2026-01-01T10-00-00-0199a0b1.jsonl'),
    usageRecords('codex-rollout.jsonl', worktree, Date.now()),
  );
}

test('the wizard’s approval choice reaches the session; the detail pane shows approval, status source, ports and cost', async ({
  page,
  world,
  tempRepo,
}) => {
  test.setTimeout(150_000);
  const { api, host, dir } = world;
  const repo = await tempRepo();
  await page.goto(host.url);
  await page.getByTestId('toolbar-new-session').click();
  await page.getByTestId('wizard-repo-path').fill(repo);
  await expect(page.getByTestId('wizard-repo-info')).toBeVisible();
  await page.getByTestId('wizard-next').click();

  await test.step('session step: the approval choices are the program’s own modes, off and auto-yes', async () => {
    await page.getByTestId('wizard-type-code_generation').click();
    await page.getByTestId('wizard-agent').selectOption('claude');
    const approval = page.getByTestId('wizard-approval');
    await expect(approval).toHaveValue('off');
    const options = await approval.locator('option').allTextContents();
    expect(options[0]).toMatch(/^Off/);
    expect(options).toContain('Claude Code: Plan only (no changes)');
    expect(options.at(-1)).toMatch(/^Auto-yes/);
    await approval.selectOption('agent:plan');
    await expect(page.getByTestId('wizard-default-reason')).toBeVisible();
    await page.getByTestId('wizard-name').fill('Planner');
    await screenshotMatrix(page, 'agents-wizard-approval');
    // A program without that mode puts the choice back to off (it would be refused at Create).
    await page.getByTestId('wizard-agent').selectOption('codex');
    await expect(approval).toHaveValue('off');
    await page.getByTestId('wizard-agent').selectOption('claude');
    await approval.selectOption('agent:plan');
    for (let i = 0; i < 3; i++) await page.getByTestId('wizard-next').click();
  });

  await test.step('review names the policy; Create passes it to sessions.create', async () => {
    await expect(page.getByTestId('wizard-review-approval')).toHaveText(
      'Plan only (no changes) (--permission-mode plan)',
    );
    await screenshotMatrix(page, 'agents-wizard-review');
    await page.getByTestId('wizard-create').click();
    await expect(page.getByTestId('wizard')).toBeHidden({ timeout: 60_000 });
  });
  const [created] = await api.call('sessions.list', {});
  expect(created).toMatchObject({ name: 'Planner', agent: 'claude', approval: { policy: 'agent', mode: 'plan' } });

  await test.step('detail rows: approval, status from the hooks, the port block, cost from the records', async () => {
    await page.getByTestId(`sidebar-session-${created.id}`).click();
    const facts = page.getByTestId('agent-facts');
    await expect(facts).toBeVisible();
    await expect(page.getByTestId('detail-approval-select')).toHaveValue('agent:plan');
    // The fake agent runs the injected hooks as Claude Code does: its status comes from them.
    await expect(page.getByTestId('detail-status-source')).toHaveText('status from Claude Code hooks', {
      timeout: 30_000,
    });
    const s = await api.call('sessions.get', { sessionId: created.id });
    expect(s.ports).not.toBeNull();
    await expect(page.getByTestId('detail-ports')).toContainText(
      `${s.ports!.base}–${s.ports!.base + s.ports!.count - 1}`,
    );
    await expect(page.getByTestId('detail-usage')).toContainText('nothing recorded yet');
    writeClaudeUsage(dir, s.worktreePath);
    expect(await api.call('usage.refresh', { sessionIds: [s.id] })).toEqual({ changed: 1 });
    const usage = (await api.call('sessions.get', { sessionId: s.id })).usage;
    expect(usage?.costUsd).toBeGreaterThan(0);
    await expect(page.getByTestId('detail-cost')).toHaveText(
      `$${usage!.costUsd!.toFixed(usage!.costUsd! < 0.01 ? 4 : 3)}`,
    );
    await screenshotMatrix(page, 'agents-detail');
  });

  await test.step('changing the agent’s mode of a running program asks when to apply it', async () => {
    await page.getByTestId('detail-approval-select').selectOption('agent:acceptEdits');
    await expect(page.getByTestId('approval-restart-question')).toBeVisible();
    // At 1280 only: the 900 px layout folds the details into a drawer, which starts closed.
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await settled(page);
      await page.screenshot({ path: join(screenshotDir, `agents-approval-restart-${scheme}-1280x800.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('approval-next-start').click();
    await expect
      .poll(async () => (await api.call('sessions.get', { sessionId: created.id })).approval)
      .toEqual({ policy: 'agent', mode: 'acceptEdits' });
    // Leaving the agent's own mode is a change of its arguments too; auto-yes then answers the
    // question already on screen (the fake agent's y/n) without waiting for a restart.
    await page.getByTestId('detail-approval-select').selectOption('auto-yes');
    await page.getByTestId('approval-next-start').click();
    await expect
      .poll(async () => (await api.call('sessions.get', { sessionId: created.id })).approval.policy)
      .toBe('auto-yes');
    await expect(page.getByTestId('detail-auto-approved')).toContainText('answered');
  });
});

test('analytics: what sessions cost over time, by session, by agent and by type', async ({ page, world, tempRepo }) => {
  test.setTimeout(120_000);
  const { api, host, dir } = world;
  const repo = await tempRepo();
  const [claude] = await api.call('sessions.create', {
    name: 'Login fix',
    repoPath: repo,
    agent: 'claude',
    type: 'code_generation',
    autoStart: false,
  });
  const [codex] = await api.call('sessions.create', {
    name: 'Flaky tests',
    repoPath: repo,
    agent: 'codex',
    type: 'web_research',
    autoStart: false,
  });
  writeClaudeUsage(dir, claude.worktreePath);
  writeCodexUsage(dir, codex.worktreePath);
  expect(await api.call('usage.refresh', {})).toEqual({ changed: 2 });
  const costOf = async (id: string) => (await api.call('sessions.get', { sessionId: id })).usage!.costUsd!;
  const [claudeCost, codexCost] = [await costOf(claude.id), await costOf(codex.id)];
  expect(claudeCost).toBeGreaterThan(0);
  expect(codexCost).toBeGreaterThan(0);

  await page.goto(host.url);
  await page.getByTestId('toolbar-analytics').click();
  const rows = (group: string) => page.getByTestId(`analytics-cost-${group}`).getByTestId('cost-row');
  // Largest first; labels are the agents' names and the type labels, not ids.
  const [big, small] = codexCost > claudeCost ? ['Codex', 'Claude Code'] : ['Claude Code', 'Codex'];
  await expect(rows('agent')).toHaveCount(2);
  await expect(rows('agent').nth(0)).toContainText(big);
  await expect(rows('agent').nth(1)).toContainText(small);
  await expect(rows('type')).toHaveCount(2);
  await expect(page.getByTestId('analytics-cost-type')).toContainText('Code generation');
  await expect(page.getByTestId('analytics-cost-type')).toContainText('Web research');
  await expect(rows('session')).toHaveCount(2);
  await expect(page.getByTestId('analytics-cost-session')).toContainText('Login fix');
  await expect(page.getByTestId('analytics-cost-session')).toContainText('Flaky tests');
  const total = Math.round((claudeCost + codexCost) * 1e6) / 1e6;
  await expect(page.getByTestId('analytics-cost-total')).toContainText(`$${total.toFixed(total < 10 ? 3 : 2)}`);
  await expect(page.getByTestId('analytics-chart-cost-time').locator('canvas')).toHaveCount(1);
  await expect(page.getByTestId('analytics-card-cost')).toContainText(`$${total.toFixed(total < 10 ? 3 : 2)}`);
  await screenshotMatrix(page, 'agents-analytics-cost');
});
