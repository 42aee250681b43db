import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  batchSchema,
  cleanupReportSchema,
  commandRecordSchema,
  sessionSchema,
  systemStatusSchema,
  type Session,
} from '../../src/shared/domain';
import { stopTerminalHosts } from '../support/terminal-host';
import { makeTempDir, makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { assertBuilt, runCli, runJson, worktreeDirs } from './cli-harness';

// Every verb against a data dir no host owns: each CLI opens it itself and closes it on exit.
let home: TempDir;
let repo: TempDir;
let alpha: Session;
let beta: Session;

beforeAll(async () => {
  assertBuilt();
  home = await makeTempDir('ms-cli-home-');
  repo = await makeTempRepo({ branches: ['feature'] });
});
afterAll(async () => {
  if (home) await stopTerminalHosts(home.path);
  await home?.cleanup();
  await repo?.cleanup();
});

describe('create', () => {
  it('creates a stopped session with --json: one JSON document with the contract fields', async () => {
    const { result, value } = await runJson(sessionSchema, home.path, [
      'create',
      '--name',
      'alpha',
      '--repo',
      repo.path,
      '--type',
      'code_generation',
      '--program',
      'cat',
      '--priority',
      '7',
      '--memory-limit',
      '512',
      '--time-limit',
      '3600',
      '--no-start',
    ]);
    expect(result.code, result.stderr).toBe(0);
    alpha = value;
    expect(alpha).toMatchObject({
      name: 'alpha',
      type: 'code_generation',
      status: 'stopped',
      priority: 7,
      repoPath: repo.path,
      baseBranch: 'main',
      limits: { memoryMb: 512, runtimeSec: 3600 },
    });
    expect(alpha.id).toMatch(/\S/);
    expect(alpha.branch).toMatch(/alpha/);
    expect(existsSync(alpha.worktreePath)).toBe(true);
    expect(await runGit(repo.path, ['branch', '--list', alpha.branch])).toMatch(alpha.branch);
  });

  it('creates a session on an existing branch in human mode and says it is stopped', async () => {
    const r = await runCli(home.path, [
      'create',
      '--name',
      'beta',
      '--repo',
      repo.path,
      '--branch',
      'feature',
      '--program',
      'cat',
      '--no-start',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ID\s+NAME\s+TYPE\s+STATUS\s+PRIORITY\s+BRANCH\s+PROGRAM\s+COST$/m);
    expect(r.stdout).toMatch(/beta\s+general\s+stopped\s+10\s+feature/);
    expect(r.stdout).toMatch(/created \(stopped\)/);
    const { value } = await runJson(z.array(sessionSchema), home.path, ['list']);
    beta = value.find((s) => s.name === 'beta')!;
    expect(beta).toMatchObject({ branch: 'feature', existingBranch: true, status: 'stopped' });
  });

  it('--copies K prints an array of K sessions', async () => {
    const { result, value } = await runJson(z.array(sessionSchema), home.path, [
      'create',
      '--name',
      'copy',
      '--repo',
      repo.path,
      '--program',
      'cat',
      '--copies',
      '2',
      '--no-start',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(value).toHaveLength(2);
    expect(new Set(value.map((s) => s.branch)).size).toBe(2);
    for (const s of value) expect(existsSync(s.worktreePath)).toBe(true);
  });
});

describe('list', () => {
  it('lists all sessions as JSON and as a table, and filters', async () => {
    const { value } = await runJson(z.array(sessionSchema), home.path, ['list']);
    expect(value.map((s) => s.name).sort()).toEqual(['alpha', 'beta', 'copy 1', 'copy 2'].sort());
    const human = await runCli(home.path, ['list']);
    expect(human.code).toBe(0);
    expect(human.stdout.trim().split('\n')).toHaveLength(5);
    expect(human.stdout).toContain(alpha.id);

    const byType = await runJson(z.array(sessionSchema), home.path, ['list', '--type', 'code_generation']);
    expect(byType.value.map((s) => s.id)).toEqual([alpha.id]);
    const byRepo = await runJson(z.array(sessionSchema), home.path, ['list', '--repo', repo.path]);
    expect(byRepo.value).toHaveLength(4);
    const none = await runJson(z.array(sessionSchema), home.path, ['list', '--status', 'active']);
    expect(none.value).toEqual([]);
    expect((await runCli(home.path, ['list', '--status', 'active'])).stdout).toMatch(/No sessions\./);
  });

  it('eight CLIs at once, twice, all succeed with the same answer', async () => {
    // Each one that finds no owner tries to become it: exactly one may win the lock, whatever the
    // interleaving (a lock seen between its creation and its content once let two win).
    for (let round = 0; round < 2; round++) {
      const runs = await Promise.all(
        Array.from({ length: 8 }, () => runJson(z.array(sessionSchema), home.path, ['list'])),
      );
      for (const r of runs) {
        expect(r.result.code, r.result.stderr).toBe(0);
        expect(r.value).toHaveLength(4);
      }
    }
  });
});

describe('execute', () => {
  it('runs in the worktree and passes the exit status through', async () => {
    const { result, value } = await runJson(commandRecordSchema, home.path, [
      'execute',
      '--session-id',
      alpha.id,
      '--exec-command',
      'pwd',
    ]);
    expect(result.code).toBe(0);
    expect(value).toMatchObject({ sessionId: alpha.id, exitCode: 0, timedOut: false });
    expect(value.stdout.trim()).toBe(alpha.worktreePath);
    expect(typeof value.durationMs).toBe('number');

    const shell = await runCli(home.path, [
      'execute',
      '--session-id',
      alpha.id,
      '--shell',
      '--exec-command',
      'echo out; echo err >&2; exit 7',
    ]);
    expect(shell.code).toBe(7);
    expect(shell.stdout).toBe('out\n');
    expect(shell.stderr).toBe('err\n');

    const falseCmd = await runCli(home.path, ['execute', '--session-id', alpha.id, '--exec-command', 'false']);
    expect(falseCmd.code).toBe(1);

    const dashArgs = await runCli(home.path, [
      'execute',
      '--session-id',
      alpha.id.slice(0, 6),
      '--exec-command',
      'sh',
      '--exec-args',
      '-c',
      '--exec-args',
      'exit 5',
    ]);
    expect(dashArgs.code).toBe(5);
  });

  it('reports a timeout with exit 124', async () => {
    const { result, value } = await runJson(commandRecordSchema, home.path, [
      'execute',
      '--session-id',
      'alpha',
      '--exec-command',
      'sleep',
      '--exec-args',
      '30',
      '--timeout',
      '0.5',
    ]);
    expect(value.timedOut).toBe(true);
    expect(result.code).toBe(124);
  });
});

describe('batch', () => {
  it('runs a command in the chosen sessions and waits for all of them', async () => {
    const { result, value } = await runJson(batchSchema, home.path, [
      'batch',
      '--session-id',
      alpha.id,
      '--session-id',
      beta.id,
      '--exec-command',
      'git',
      '--exec-args',
      'rev-parse',
      '--exec-args',
      '--abbrev-ref',
      '--exec-args',
      'HEAD',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(value.status).toBe('done');
    expect(value.items.map((i) => i.sessionId).sort()).toEqual([alpha.id, beta.id].sort());
    for (const item of value.items) expect(item).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(value.items.find((i) => i.sessionId === beta.id)!.outputTail).toContain('feature');
  });

  it('exits 1 when any session fails, with a readable table', async () => {
    const r = await runCli(home.path, [
      'batch',
      '--all',
      '--shell',
      '--exec-command',
      '[ "$(git rev-parse --abbrev-ref HEAD)" = feature ]',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^SESSION\s+NAME\s+STATUS\s+EXIT\s+DURATION/m);
    expect(r.stdout).toMatch(/beta\s+succeeded\s+0/);
    expect(r.stdout).toMatch(/alpha\s+failed\s+1/);
    expect(r.stdout).toMatch(/1 succeeded, 3 failed|3 failed, 1 succeeded/);
  });
});

describe('status', () => {
  it('reports the system status', async () => {
    const { result, value } = await runJson(systemStatusSchema, home.path, ['status']);
    expect(result.code).toBe(0);
    expect(value).toMatchObject({ totalSessions: 4, activeSessions: 0, gitWorktrees: 4 });
    expect(value.sessionsByStatus.stopped).toBe(4);
    expect(value.commandsExecuted).toBeGreaterThanOrEqual(9);
    expect(value.successRate).toBeGreaterThan(0);
    const human = await runCli(home.path, ['status']);
    expect(human.stdout).toMatch(/^Total sessions\s+4$/m);
    expect(human.stdout).toMatch(/^Git worktrees\s+4$/m);
    expect(human.stdout).toMatch(/^Host\s+none running/m);
  });
});

describe('start, stop, terminate, cleanup', () => {
  it('stop on a stopped session reports it', async () => {
    const { result, value } = await runJson(sessionSchema, home.path, ['stop', '--session-id', alpha.id]);
    expect(result.code, result.stderr).toBe(0);
    expect(value.status).toBe('stopped');
    const human = await runCli(home.path, ['stop', '--session-id', 'alpha']);
    expect(human.stdout).toMatch(/alpha \(\w+\) is stopped/);
  });

  it('terminate refuses uncommitted work and lists it, then --force discards exactly that list and keeps the branch', async () => {
    const dirty = await runCli(home.path, [
      'execute',
      '--session-id',
      alpha.id,
      '--shell',
      '--exec-command',
      'echo change >> README.md',
    ]);
    expect(dirty.code).toBe(0);
    const refused = await runCli(home.path, ['terminate', '--session-id', alpha.id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\[WORK_AT_RISK\]/);
    expect(refused.stderr).toMatch(/uncommitted +README\.md \(changed, not committed\)/);
    expect(refused.stderr).toMatch(/--accept [0-9a-f]{20}/);
    expect(existsSync(alpha.worktreePath)).toBe(true);

    const { result, value } = await runJson(sessionSchema, home.path, [
      'terminate',
      '--session-id',
      alpha.id,
      '--force',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(value.status).toBe('terminated');
    expect(existsSync(alpha.worktreePath)).toBe(false);
    expect(await runGit(repo.path, ['branch', '--list', alpha.branch])).toMatch(alpha.branch);

    const human = await runCli(home.path, ['terminate', '--session-id', beta.id]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Terminated beta/);
    expect(human.stdout).toMatch(/Branch feature kept/);
  });

  it('cleanup --dry-run reports without removing; cleanup removes', async () => {
    const before = worktreeDirs(home.path).length;
    const preview = await runJson(cleanupReportSchema, home.path, ['cleanup', '--dry-run']);
    expect(preview.result.code).toBe(0);
    expect(preview.value.dryRun).toBe(true);
    expect(preview.value.removed.some((i) => i.sessionId === alpha.id)).toBe(true);
    expect((await runJson(z.array(sessionSchema), home.path, ['list'])).value).toHaveLength(4);

    const human = await runCli(home.path, ['cleanup', '--dry-run']);
    expect(human.stdout).toMatch(/^Would remove:/m);

    const run = await runJson(cleanupReportSchema, home.path, ['cleanup']);
    expect(run.result.code, run.result.stderr).toBe(0);
    expect(run.value.dryRun).toBe(false);
    for (const item of [...run.value.removed, ...run.value.kept]) expect(item.reason).toMatch(/\S/);
    const left = (await runJson(z.array(sessionSchema), home.path, ['list'])).value;
    expect(left.some((s) => s.status === 'terminated')).toBe(false);
    expect(left.map((s) => s.name).sort()).toEqual(['copy 1', 'copy 2']);
    expect(worktreeDirs(home.path).length).toBeLessThanOrEqual(before);
  });
});
