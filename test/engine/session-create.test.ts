import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionTypes } from '../../src/shared/domain';
import { sessionTypeTemplates } from '../../src/main/engine/sessions/session-types';
import { WARM_POOL_FOLDER } from '../../src/main/engine/git/worktree-paths';
import { makeTempDir, makeTempRepo, runGit } from '../support/temp-repo';
import { useEngineWithRepo } from '../support/engine-fixture';

const fx = useEngineWithRepo({ repo: { files: 5, branches: ['dev'] } });

const worktreeRootEntries = (home: string) => {
  const root = join(home, 'worktrees');
  if (!existsSync(root)) return [];
  // Dot-files are Multisession's ownership markers, not worktrees.
  const visible = (dir: string) => readdirSync(dir).filter((e) => !e.startsWith('.'));
  return visible(root).flatMap((d) => visible(join(root, d)).map((e) => join(d, e)));
};

describe('creating sessions', () => {
  it('20 creates in parallel on one repository all succeed with distinct branches and worktrees', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fx.h.request('sessions.create', {
          name: `Parallel ${i}`,
          repoPath: fx.repo.path,
          program: 'bash',
          autoStart: false,
        }),
      ),
    );
    const failures = results.filter((r) => !r.ok);
    expect(failures).toEqual([]);
    const sessions = results.flatMap((r) => (r.ok ? r.value : []));
    expect(sessions).toHaveLength(20);
    expect(new Set(sessions.map((s) => s.branch)).size).toBe(20);
    expect(new Set(sessions.map((s) => s.worktreePath)).size).toBe(20);
    const listed = (await runGit(fx.repo.path, ['worktree', 'list', '--porcelain']))
      .split('\n')
      .filter((l) => l.startsWith('worktree '))
      // The warm pool may already be preparing its next worktree: it is the pool's, not a session's.
      .filter((l) => !l.includes(`/${WARM_POOL_FOLDER}/`));
    expect(listed).toHaveLength(21);
    for (const s of sessions) {
      expect(existsSync(join(s.worktreePath, 'README.md')) || readdirSync(s.worktreePath).length > 1).toBe(true);
      expect(s.status).toBe('stopped');
    }
    expect(await fx.h.call('sessions.list', {})).toHaveLength(20);
  });

  it('applies each type template and lets the user override it', async () => {
    for (const type of sessionTypes) {
      const [s] = await fx.h.call('sessions.create', {
        name: `T ${type}`,
        repoPath: fx.repo.path,
        type,
        program: 'bash',
        autoStart: false,
      });
      const t = sessionTypeTemplates[type];
      expect(s.type).toBe(type);
      expect(s.priority).toBe(t.priority);
      expect(s.limits).toEqual(t.limits);
      expect(s.background).toBe(t.background);
      expect(s.skills).toEqual(t.skills);
    }
    const [custom] = await fx.h.call('sessions.create', {
      name: 'Overridden',
      repoPath: fx.repo.path,
      type: 'background',
      program: 'bash',
      priority: 8,
      limits: { memoryMb: 256 },
      background: false,
      autoStart: false,
    });
    expect(custom.priority).toBe(8);
    expect(custom.limits.memoryMb).toBe(256);
    expect(custom.limits.runtimeSec).toBe(sessionTypeTemplates.background.limits.runtimeSec);
    expect(custom.background).toBe(false);
    const types = await fx.h.call('sessionTypes.list', {});
    expect(types.map((t) => t.type).sort()).toEqual([...sessionTypes].sort());
  });

  it('creates from another base, on an existing branch, and copies untracked files in', async () => {
    await (await import('node:fs/promises')).writeFile(join(fx.repo.path, '.env'), 'SECRET=1\n');
    const [fromDev] = await fx.h.call('sessions.create', {
      name: 'From dev',
      repoPath: fx.repo.path,
      baseBranch: 'dev',
      program: 'bash',
      autoStart: false,
    });
    expect(fromDev.baseBranch).toBe('dev');
    expect(existsSync(join(fromDev.worktreePath, '.env'))).toBe(true);
    const [onDev] = await fx.h.call('sessions.create', {
      name: 'On dev',
      repoPath: fx.repo.path,
      existingBranch: 'dev',
      program: 'bash',
      autoStart: false,
    });
    expect(onDev.branch).toBe('dev');
    expect(onDev.existingBranch).toBe(true);
  });

  it('reports which agents are installed', async () => {
    const agents = await fx.h.call('agents.list', {});
    expect(agents.map((a) => a.id)).toEqual(
      expect.arrayContaining(['claude', 'codex', 'gemini', 'aider', 'opencode', 'shell']),
    );
    const shell = agents.find((a) => a.id === 'shell')!;
    expect(shell.installed).toBe(true);
    expect(shell.foundIn).not.toBeNull();
    // Catalog order (the default program is the first installed one), shell last.
    expect(agents[agents.length - 1].id).toBe('shell');
  });
});

describe('bad input gets a typed error and changes nothing', () => {
  it.each([
    ['a path that does not exist', () => ({ name: 'x', repoPath: '/definitely/not/here' }), 'NOT_A_DIRECTORY'],
    ['an unknown base branch', () => ({ name: 'x', repoPath: fx.repo.path, baseBranch: 'nope' }), 'BRANCH_NOT_FOUND'],
    [
      'a branch name git rejects',
      () => ({ name: 'x', repoPath: fx.repo.path, branchName: 'bad..name' }),
      'INVALID_BRANCH_NAME',
    ],
    ['an empty name', () => ({ name: '   ', repoPath: fx.repo.path }), 'BAD_INPUT'],
    ['an overlong name', () => ({ name: 'x'.repeat(101), repoPath: fx.repo.path }), 'BAD_INPUT'],
    ['a name with control characters', () => ({ name: 'a\u0007b', repoPath: fx.repo.path }), 'BAD_INPUT'],
    ['priority 0', () => ({ name: 'x', repoPath: fx.repo.path, priority: 0 }), 'BAD_INPUT'],
    ['priority 11', () => ({ name: 'x', repoPath: fx.repo.path, priority: 11 }), 'BAD_INPUT'],
    ['a negative memory limit', () => ({ name: 'x', repoPath: fx.repo.path, limits: { memoryMb: -5 } }), 'BAD_INPUT'],
    [
      'a program not on PATH',
      () => ({ name: 'x', repoPath: fx.repo.path, program: 'no-such-agent-cli' }),
      'PROGRAM_NOT_FOUND',
    ],
  ])('%s', async (_label, input, code) => {
    const branchesBefore = await runGit(fx.repo.path, ['branch', '--list']);
    const r = await fx.h.request('sessions.create', { program: 'bash', autoStart: false, ...input() } as never);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message.length).toBeGreaterThan(10);
    }
    expect(await fx.h.call('sessions.list', {})).toEqual([]);
    expect(worktreeRootEntries(fx.h.home)).toEqual([]);
    expect(await runGit(fx.repo.path, ['branch', '--list'])).toBe(branchesBefore);
  });

  it('a file, not a git repo, a bare repo and an empty repo', async () => {
    const plain = await makeTempDir();
    const bare = await makeTempRepo({ bare: true });
    const empty = await makeTempRepo({ empty: true });
    try {
      const cases: Array<[string, string]> = [
        [join(fx.repo.path, 'README.md'), 'NOT_A_DIRECTORY'],
        [plain.path, 'NOT_A_REPOSITORY'],
        [bare.path, 'BARE_REPOSITORY'],
        [empty.path, 'EMPTY_REPOSITORY'],
      ];
      for (const [path, code] of cases) {
        const r = await fx.h.request('sessions.create', { name: 'x', repoPath: path, program: 'bash' });
        expect(r.ok ? 'ok' : r.error.code).toBe(code);
      }
      expect(await fx.h.call('sessions.list', {})).toEqual([]);
      expect(worktreeRootEntries(fx.h.home)).toEqual([]);
    } finally {
      await plain.cleanup();
      await bare.cleanup();
      await empty.cleanup();
    }
  });

  it('unknown ids and unknown skills', async () => {
    for (const name of [
      'sessions.get',
      'sessions.start',
      'sessions.stop',
      'sessions.terminate',
      'sessions.diff',
    ] as const) {
      const r = await fx.h.request(name, { sessionId: 'does-not-exist' });
      expect(r.ok ? 'ok' : r.error.code).toBe('NOT_FOUND');
    }
    const [s] = await fx.h.call('sessions.create', {
      name: 'skills',
      repoPath: fx.repo.path,
      program: 'bash',
      autoStart: false,
    });
    const r = await fx.h.request('commands.execute', { sessionId: s.id, kind: 'skill', command: 'no-such-skill' });
    expect(r.ok ? 'ok' : r.error.code).toBe('SKILL_NOT_FOUND');
  });

  it('records as placed exactly what creation copied in: nothing for a plain checkout, the .env for a copy-in; what the user adds later is work', async () => {
    const placed = async (sessionId: string) =>
      (
        await fx.h.engine.db.all<{ path: string }>('SELECT path FROM placed_files WHERE session_id = ?', [sessionId])
      ).map((r) => r.path);
    const verdictKinds = async (sessionId: string) => {
      const v = await fx.h.call('sessions.removalCheck', { sessionId });
      return v.verdict === 'loses' ? v.items.map((i) => `${i.kind}:${i.subject}`) : v.verdict;
    };
    const [plain] = await fx.h.call('sessions.create', {
      name: 'Plain',
      repoPath: fx.repo.path,
      program: 'bash',
      autoStart: false,
    });
    expect(await placed(plain.id)).toEqual([]);
    expect(await verdictKinds(plain.id)).toBe('safe');
    // An ignored-looking file the user makes after creation is theirs, though nothing was recorded.
    writeFileSync(join(plain.worktreePath!, '.env'), 'MINE=1\n');
    expect(await verdictKinds(plain.id)).not.toBe('safe');

    writeFileSync(join(fx.repo.path, '.env'), 'LOCAL=1\n');
    const [copied] = await fx.h.call('sessions.create', {
      name: 'Copied',
      repoPath: fx.repo.path,
      program: 'bash',
      autoStart: false,
    });
    expect(await placed(copied.id)).toEqual(['.env']);
    expect(await verdictKinds(copied.id)).toBe('safe');
  });
});
