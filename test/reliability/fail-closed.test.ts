import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/domain';
import type { RemovalVerdict } from '../../src/shared/removal';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { PropertyTally } from './support/report';

// Fail closed: when git cannot say what a removal would lose, nothing is removed — terminate is
// refused with CANNOT_VERIFY, cleanup keeps the folder — even for a worktree that was clean. Only
// accepting that very verdict (its fingerprint) removes it.
const tally = new PropertyTally('fail-closed');
const repos: TempDir[] = [];
afterAll(async () => {
  tally.report();
  for (const r of repos) await r.cleanup().catch(() => undefined);
});

interface Fault {
  name: string;
  /** Breaks git's view of the session's worktree; returns a matcher for the reason. */
  apply(repo: string, s: Session): RegExp;
  /** Reopen the engine with this git binary (git missing). */
  gitBinary?: string;
  /** Reopen the engine with this time limit per git call of the check. */
  checkTimeoutMs?: number;
}

const isRoot = process.getuid?.() === 0;
const faults: Fault[] = [
  {
    name: 'repository moved',
    apply: (repo) => (renameSync(repo, `${repo}-moved`), /no longer exists/),
  },
  {
    name: 'repository deleted',
    apply: (repo) => (rmSync(repo, { recursive: true, force: true }), /no longer exists/),
  },
  {
    name: 'ownership refused',
    apply: (repo) => {
      // git refuses a repository another user owns (safe.directory); as root, hand it to uid 12345.
      execFileSync('chown', ['-R', '12345', repo]);
      return /another user|dubious ownership/;
    },
  },
  {
    name: 'corrupt index',
    apply: (repo, s) => {
      const gitdir = readFileSync(join(s.worktreePath, '.git'), 'utf8')
        .replace(/^gitdir:\s*/, '')
        .trim();
      writeFileSync(join(gitdir, 'index'), 'this is not an index');
      return /index/i;
    },
  },
  {
    name: 'corrupt worktree link',
    apply: (_repo, s) => (writeFileSync(join(s.worktreePath, '.git'), 'gitdir: /nowhere/at/all\n'), /git/),
  },
  { name: 'git missing', apply: () => /not installed|git/, gitBinary: '/nonexistent/bin/git' },
  {
    name: 'git hangs (timeout)',
    apply: (repo) => {
      // A filesystem monitor hook that never answers: `git status` waits for it.
      const hook = join(repo, '..', 'slow-fsmonitor');
      writeFileSync(hook, '#!/bin/sh\nsleep 6\n', { mode: 0o755 });
      execFileSync('git', ['-C', repo, 'config', 'core.fsmonitor', hook]);
      return /did not finish within|in time/;
    },
    checkTimeoutMs: 1500,
  },
];

async function listing(path: string): Promise<string> {
  return existsSync(path) ? readdirSync(path, { recursive: true }).map(String).sort().join('\n') : '(gone)';
}

describe('fail closed: git cannot answer → nothing removed', () => {
  for (const f of faults) {
    it.skipIf(f.name === 'ownership refused' && !isRoot)(f.name, { timeout: 120_000 }, async () => {
      const repo = await makeTempRepo({ files: 2 });
      repos.push(repo);
      let h: Harness = await openEngine();
      const home = h.home;
      // One clean worktree, one with an untracked file: git's silence must not read as "clean".
      const [clean, dirty] = await h.call('sessions.create', {
        name: `fc ${f.name}`,
        repoPath: repo.path,
        program: 'bash',
        autoStart: false,
        copies: 2,
      });
      writeFileSync(join(dirty.worktreePath, 'unsaved.txt'), 'work\n');
      const reason = f.apply(repo.path, clean);
      if (f.name === 'corrupt index' || f.name === 'corrupt worktree link') f.apply(repo.path, dirty);
      if (f.gitBinary || f.checkTimeoutMs) {
        await h.close();
        h = await openEngine({ home, gitBinary: f.gitBinary, removalCheckTimeoutMs: f.checkTimeoutMs });
      }
      try {
        const before = { clean: await listing(clean.worktreePath), dirty: await listing(dirty.worktreePath) };
        for (const s of [clean, dirty]) {
          const cell = `${f.name} (${s === clean ? 'clean' : 'dirty'})`;
          tally.fault();
          const v = await h.call('sessions.removalCheck', { sessionId: s.id, deleteBranch: false });
          tally.check(v.verdict === 'cannot-tell', `${cell}: verdict ${v.verdict}, not cannot-tell`);
          tally.check(v.verdict !== 'cannot-tell' || reason.test(v.reason), `${cell}: reason ${JSON.stringify(v)}`);
          const r = await h.request('sessions.terminate', { sessionId: s.id });
          tally.check(
            !r.ok && r.error.code === 'CANNOT_VERIFY',
            `${cell}: terminate ${r.ok ? 'succeeded' : r.error.code}`,
          );
          const after = await h.call('sessions.get', { sessionId: s.id });
          tally.check(after.status !== 'terminated', `${cell}: the refusal terminated the session`);
        }
        // Cleanup (orphans) and a second look: still everything there.
        await h.call('cleanup.run', {});
        tally.check((await listing(clean.worktreePath)) === before.clean, `${f.name}: the clean worktree changed`);
        tally.check((await listing(dirty.worktreePath)) === before.dirty, `${f.name}: the dirty worktree changed`);
        tally.check(existsSync(join(dirty.worktreePath, 'unsaved.txt')), `${f.name}: unsaved work lost`);
        // The user can still force that very item: accept exactly this cannot-tell verdict.
        const v = (await h.call('sessions.removalCheck', {
          sessionId: clean.id,
          deleteBranch: false,
        })) as RemovalVerdict;
        const forced = await h.request('sessions.terminate', { sessionId: clean.id, acceptLoss: v.fingerprint });
        tally.check(forced.ok && !existsSync(clean.worktreePath), `${f.name}: accepting the verdict did not remove it`);
        tally.check(existsSync(join(dirty.worktreePath, 'unsaved.txt')), `${f.name}: forcing one removed another`);
      } finally {
        await h.close();
        if (f.name === 'ownership refused') execFileSync('chown', ['-R', '0', repo.path]);
      }
      expect(tally.failed).toEqual([]);
    });
  }

  it('the one check is the only place deciding: no other code deletes worktrees or branches', async () => {
    // Every deletion primitive in the engine, and where it may appear.
    const allowed: Record<string, string[]> = {
      // Creation's rollback and review's scratch worktree (in a private temp folder) remove only
      // what the same call just created; every other removal asks the check.
      // The warm pool removes its own never-used worktrees through git without force (git refuses
      // changed or untracked files).
      "'worktree', 'remove'": [
        'safety/removal-service.ts',
        'git/worktree-creation.ts',
        'review/integrate.ts',
        'pool/worktree-pool.ts',
      ],
      "'branch', '-D'": ['safety/removal-service.ts', 'git/worktree-creation.ts'],
      "'branch', '-d'": [],
      'checkRemoval(': ['safety/removal-service.ts', 'safety/removal-check.ts'],
    };
    const files = (await runGit(process.cwd(), ['ls-files', 'src/main/engine']))
      .split('\n')
      .filter((p) => /\.ts$/.test(p) && !p.endsWith('.test.ts'));
    for (const [needle, where] of Object.entries(allowed)) {
      const found = files
        .filter((p) => readFileSync(p, 'utf8').includes(needle))
        .map((p) => p.replace('src/main/engine/', ''));
      tally.check(
        found.every((p) => where.includes(p)),
        `${needle} appears outside ${where.join(', ') || 'nowhere'}: ${found.join(', ')}`,
      );
    }
    expect(tally.failed).toEqual([]);
  });
});
