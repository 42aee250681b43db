import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir, runGit } from '../support/temp-repo';
import { useEngineWithRepo } from '../support/engine-fixture';

const fx = useEngineWithRepo({ repo: { files: 2, branches: ['develop', 'ms/fix'] } });

const branches = async () =>
  (await runGit(fx.repo.path, ['branch', '--format=%(refname:short)'])).trim().split('\n').sort();

describe('sessions.plan', () => {
  it('shows exactly what create then makes, and creates nothing itself', async () => {
    await fx.h.call('settings.update', {
      repoSettings: { [fx.repo.path]: { setupScript: 'true', copyInPatterns: ['.env.repo'] } },
    });
    const input = {
      name: 'fix',
      repoPath: fx.repo.path,
      type: 'code_generation' as const,
      program: 'bash',
      prompt: 'make it work',
      copies: 3,
      autoStart: false,
      limits: { runtimeSec: 600 },
    };
    const before = await branches();
    const plan = await fx.h.call('sessions.plan', input);
    expect(await fx.h.call('sessions.list', {})).toHaveLength(0);
    expect(await branches()).toEqual(before);

    expect(plan.map((p) => p.name)).toEqual(['fix 1', 'fix 2', 'fix 3']);
    expect(plan.map((p) => p.branch)).toEqual(['ms/fix-1', 'ms/fix-2', 'ms/fix-3']);
    // The type's defaults are listed as applied: its memory limit stays, the runtime is overridden.
    expect(plan[0].limits.memoryMb).toBe(4096);
    expect(plan[0].limits.runtimeSec).toBe(600);
    // bash is no agent: the type's instructions are not added and the prompt is not typed into it.
    expect(plan[0].prompt).toBe('make it work');
    expect(plan[0].promptDelivery).toBe('not-sent');
    expect(plan[0]).toMatchObject({
      copyInPatterns: ['.env.repo'],
      copyInSource: 'repository',
      setupScript: 'true',
      setupScriptSource: 'repository',
      starts: 'stopped',
    });

    const created = await fx.h.call('sessions.create', input);
    for (const [i, s] of created.entries()) {
      expect(s).toMatchObject({
        name: plan[i].name,
        branch: plan[i].branch,
        program: plan[i].program,
        args: plan[i].args,
        prompt: plan[i].prompt,
        priority: plan[i].priority,
        limits: plan[i].limits,
        background: plan[i].background,
        baseBranch: plan[i].baseBranch,
      });
      expect(s.worktreePath.startsWith(plan[i].worktreeRoot)).toBe(true);
    }
  });

  it('names the branch the engine will pick when the derived one is taken', async () => {
    const [p] = await fx.h.call('sessions.plan', {
      name: 'Fix',
      repoPath: fx.repo.path,
      program: 'bash',
      autoStart: false,
    });
    expect(p.branch).toBe('ms/fix-2');
    expect(p.branchNote).toMatch(/ms\/fix exists/);
    const [s] = await fx.h.call('sessions.create', {
      name: 'Fix',
      repoPath: fx.repo.path,
      program: 'bash',
      autoStart: false,
    });
    expect(s.branch).toBe(p.branch);
  });

  it('fails with the typed error create would give, before anything is made', async () => {
    const fail = async (extra: Record<string, unknown>) => {
      const r = await fx.h.request('sessions.plan', { name: 'x', repoPath: fx.repo.path, program: 'bash', ...extra });
      return r.ok ? 'ok' : r.error.code;
    };
    expect(await fail({ program: 'no-such-program-here' })).toBe('PROGRAM_NOT_FOUND');
    expect(await fail({ branchName: 'ms/fix' })).toBe('BRANCH_EXISTS');
    expect(await fail({ branchName: 'bad name' })).toBe('INVALID_BRANCH_NAME');
    expect(await fail({ baseBranch: 'nope' })).toBe('BRANCH_NOT_FOUND');
    expect(await fail({ existingBranch: 'nope' })).toBe('BRANCH_NOT_FOUND');
    expect(await fx.h.call('sessions.list', {})).toHaveLength(0);
  });

  it('an agent named without a program runs its CLI; the prompt goes as each CLI takes it; wrong choices are BAD_INPUT', async () => {
    // Stand-ins for the agent CLIs, found on PATH as the real ones would be.
    const bin = await makeTempDir('ms-plan-bin-');
    for (const cli of ['claude', 'gemini', 'aider']) {
      writeFileSync(join(bin.path, cli), '#!/bin/sh\nexit 0\n');
      chmodSync(join(bin.path, cli), 0o755);
    }
    const path = process.env.PATH;
    process.env.PATH = `${bin.path}:${path ?? ''}`;
    try {
      const plan = async (extra: Record<string, unknown>) =>
        (await fx.h.call('sessions.plan', { name: 'x', repoPath: fx.repo.path, prompt: 'fix the bug', ...extra }))[0];
      const claude = await plan({ agent: 'claude' });
      expect(claude).toMatchObject({ agent: 'claude', agentReason: null, promptDelivery: 'arg' });
      expect(claude.program).toBe(join(bin.path, 'claude'));
      expect((await plan({ agent: 'gemini' })).promptDelivery).toBe('flag');
      expect((await plan({ agent: 'aider' })).promptDelivery).toBe('typed');
      // A plain shell would run the prompt as a command: it is not sent.
      expect((await plan({ program: 'bash' })).promptDelivery).toBe('not-sent');

      const refused = async (extra: Record<string, unknown>) => {
        const r = await fx.h.request('sessions.plan', { name: 'x', repoPath: fx.repo.path, ...extra });
        return r.ok ? 'ok' : `${r.error.code}: ${r.error.message}`;
      };
      expect(await refused({ agent: 'custom' })).toMatch(/^BAD_INPUT: A custom agent needs a program/);
      expect(await refused({ agent: 'no-such-agent' })).toMatch(
        /^BAD_INPUT: Unknown agent `no-such-agent` — use one of claude/,
      );
      expect(await refused({ agent: 'shell', approval: { policy: 'auto-yes', mode: null } })).toMatch(
        /^BAD_INPUT: Auto-yes answers an agent’s confirmations/,
      );
      expect(await fx.h.call('sessions.list', {})).toHaveLength(0);
    } finally {
      process.env.PATH = path;
      await bin.cleanup();
    }
  });
});
