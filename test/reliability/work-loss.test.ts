import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/domain';
import type { LossKind, RemovalVerdict } from '../../src/shared/removal';
import { Database } from '../../src/main/engine/store/database';
import { WARM_POOL_FOLDER } from '../../src/main/engine/git/worktree-paths';
import { outcome } from '../support/accept-loss';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { PropertyTally } from './support/report';

// No silent work loss: the removal-safety matrix. Every kind of work the one removal check knows
// × terminate, terminate with branch deletion, accepted (forced) terminate, orphan cleanup,
// cleanup with the loss accepted — on real repositories. Without acceptance the work survives and
// the refusal lists it; controls (nothing, build output, a copied-in file nobody edited) go freely.
const tally = new PropertyTally('work-loss');

interface Kind {
  name: string;
  /** Loss kinds the check must list for: plain removal, removal with the branch. */
  expect: LossKind[];
  expectWithBranch: LossKind[];
  existingBranch?: boolean;
  /** Pause: done with nothing to accept, refused as not pausable, or refused listing these kinds until accepted. */
  pause: 'paused' | 'not-pausable' | LossKind[];
  /** Puts the work in place; returns what must survive any unaccepted removal. */
  make(s: Session): Promise<() => Promise<boolean>>;
}

let repo: TempDir;
/** The same files without a submodule: pause refuses any repository with submodules (NOT_PAUSABLE). */
let plain: TempDir;
let sub: TempDir;
const file = (p: string, content: string) => {
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
};
const holds = (p: string, content: string) => async () => existsSync(p) && readFileSync(p, 'utf8') === content;
/** Reachable from a ref, any worktree's HEAD or any reflog: somewhere the user can get it back. */
const reachable = (s: Session, sha: string) => async () =>
  (await runGit(s.repoPath, ['rev-list', '--all', '--reflog'])).split('\n').includes(sha);
async function commit(wt: string, label: string): Promise<string> {
  file(join(wt, `${label}.txt`), `${label}\n`);
  await runGit(wt, ['add', '--all']);
  await runGit(wt, ['commit', '--quiet', '-m', label]);
  return (await runGit(wt, ['rev-parse', 'HEAD'])).trim();
}
const nothing = async () => async () => true;

const kinds: Kind[] = [
  { name: 'clean', pause: 'paused', expect: [], expectWithBranch: [], make: nothing },
  {
    name: 'build-output',
    pause: ['ignored-work'],
    expect: [],
    expectWithBranch: [],
    make: async (s) => (file(join(s.worktreePath, 'node_modules/pkg/.env'), 'dep\n'), async () => true),
  },
  // `.env` is copied in from the repository at creation (default copy-in patterns).
  { name: 'placed-unedited', pause: 'paused', expect: [], expectWithBranch: [], make: nothing },
  {
    name: 'uncommitted',
    pause: 'paused',
    expect: ['uncommitted'],
    expectWithBranch: ['uncommitted'],
    make: async (s) => (
      file(join(s.worktreePath, 'file-1.txt'), 'edit\n'),
      holds(join(s.worktreePath, 'file-1.txt'), 'edit\n')
    ),
  },
  {
    name: 'untracked',
    pause: 'paused',
    expect: ['untracked'],
    expectWithBranch: ['untracked'],
    make: async (s) => (
      file(join(s.worktreePath, 'notes/new.md'), 'n\n'),
      holds(join(s.worktreePath, 'notes/new.md'), 'n\n')
    ),
  },
  {
    name: 'ignored-work',
    pause: ['ignored-work'],
    expect: ['ignored-work'],
    expectWithBranch: ['ignored-work'],
    make: async (s) => (
      file(join(s.worktreePath, 'config/.env.production'), 'SECRET=1\n'),
      holds(join(s.worktreePath, 'config/.env.production'), 'SECRET=1\n')
    ),
  },
  {
    name: 'placed-edited',
    pause: ['ignored-work'],
    expect: ['ignored-work'],
    expectWithBranch: ['ignored-work'],
    make: async (s) => (
      file(join(s.worktreePath, '.env'), 'EDITED=1\n'),
      holds(join(s.worktreePath, '.env'), 'EDITED=1\n')
    ),
  },
  {
    name: 'branch-commits',
    pause: 'paused',
    expect: [],
    expectWithBranch: ['commits'],
    make: async (s) => reachable(s, await commit(s.worktreePath, `bc-${s.id}`)),
  },
  {
    name: 'detached-head',
    pause: 'not-pausable',
    expect: ['commits'],
    expectWithBranch: ['commits'],
    make: async (s) => {
      await runGit(s.worktreePath, ['checkout', '--quiet', '--detach']);
      return reachable(s, await commit(s.worktreePath, `dh-${s.id}`));
    },
  },
  {
    name: 'reflog-only',
    pause: ['reflog-commits'],
    expect: ['reflog-commits'],
    expectWithBranch: ['reflog-commits'],
    make: async (s) => {
      const sha = await commit(s.worktreePath, `rf-${s.id}`);
      await runGit(s.worktreePath, ['reset', '--quiet', '--hard', 'HEAD~1']);
      return reachable(s, sha);
    },
  },
  {
    name: 'stash',
    pause: ['stash'],
    expect: ['stash'],
    expectWithBranch: ['stash'],
    make: async (s) => {
      file(join(s.worktreePath, 'file-2.txt'), 'stashed\n');
      await runGit(s.worktreePath, ['stash', 'push', '--quiet', '-m', `parked ${s.id}`]);
      return async () => (await runGit(s.repoPath, ['stash', 'list'])).includes(`parked ${s.id}`);
    },
  },
  {
    name: 'submodule',
    pause: 'not-pausable',
    expect: ['submodule'],
    expectWithBranch: ['submodule'],
    make: async (s) => {
      await runGit(s.worktreePath, ['-c', 'protocol.file.allow=always', 'submodule', 'update', '--quiet', '--init']);
      const p = join(s.worktreePath, 'lib/sub/lib.txt');
      file(p, 'changed inside the submodule\n');
      return holds(p, 'changed inside the submodule\n');
    },
  },
  {
    name: 'locked',
    pause: 'not-pausable',
    expect: ['locked'],
    expectWithBranch: ['locked'],
    make: async (s) => {
      await runGit(s.repoPath, ['worktree', 'lock', '--reason', 'keep me', s.worktreePath]);
      return async () => existsSync(s.worktreePath);
    },
  },
  {
    name: 'foreign-branch',
    pause: 'paused',
    expect: [],
    expectWithBranch: ['foreign-branch'],
    existingBranch: true,
    make: nothing,
  },
];

let seq = 0;
async function create(h: Harness, k: Kind, repoPath = repo.path): Promise<Session> {
  const n = ++seq;
  if (k.existingBranch) await runGit(repoPath, ['branch', `theirs-${n}`, 'main']);
  const [s] = await h.call('sessions.create', {
    name: `wl ${k.name} ${n}`,
    repoPath,
    program: 'bash',
    autoStart: false,
    ...(k.existingBranch ? { existingBranch: `theirs-${n}` } : {}),
  });
  return s;
}

const kindsOf = (v: RemovalVerdict | undefined) =>
  new Set(v && v.verdict === 'loses' ? v.items.map((i) => i.kind) : []);

beforeAll(async () => {
  sub = await makeTempRepo({ files: { 'lib.txt': 'library\n' } });
  repo = await makeTempRepo({
    files: { '.gitignore': '.env*\nnode_modules/\n', 'file-1.txt': 'one\n', 'file-2.txt': 'two\n' },
  });
  await runGit(repo.path, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '--quiet', sub.path, 'lib/sub']);
  await runGit(repo.path, ['commit', '--quiet', '-m', 'add submodule']);
  writeFileSync(join(repo.path, '.env'), 'LOCAL=1\n');
  plain = await makeTempRepo({
    files: { '.gitignore': '.env*\nnode_modules/\n', 'file-1.txt': 'one\n', 'file-2.txt': 'two\n' },
  });
  writeFileSync(join(plain.path, '.env'), 'LOCAL=1\n');
});
afterAll(async () => {
  tally.report();
  await repo.cleanup();
  await plain.cleanup();
  await sub.cleanup();
});

describe('no silent work loss: the removal-safety matrix', () => {
  it(
    'every kind of work × terminate, terminate with the branch, accepted terminate',
    { timeout: 300_000 },
    async () => {
      const h = await openEngine();
      try {
        const sessions = await Promise.all(kinds.map((k) => create(h, k)));
        for (const [i, k] of kinds.entries()) {
          const s = sessions[i];
          const survives = await k.make(s);
          // Refusals change nothing, so one session takes the strictest operation first.
          for (const deleteBranch of [true, false]) {
            const cell = `${k.name} × terminate${deleteBranch ? ' --delete-branch' : ''}`;
            const expected = deleteBranch ? k.expectWithBranch : k.expect;
            tally.fault();
            const r = await h.request('sessions.terminate', { sessionId: s.id, deleteBranch });
            const after = await h.call('sessions.get', { sessionId: s.id });
            tally.check(await survives(), `${cell}: the work did not survive`);
            if (expected.length === 0) {
              tally.check(r.ok, `${cell}: refused though nothing is lost (${r.ok ? '' : r.error.message})`);
              tally.check(after.status === 'terminated' && !existsSync(s.worktreePath), `${cell}: not removed`);
              break;
            }
            tally.check(
              !r.ok && r.error.code === 'WORK_AT_RISK',
              `${cell}: not refused (${r.ok ? 'ok' : r.error.code})`,
            );
            const listedKinds = kindsOf(r.ok ? undefined : (r.error.details?.verdict as RemovalVerdict));
            for (const e of expected)
              tally.check(listedKinds.has(e), `${cell}: ${e} not listed (got ${[...listedKinds]})`);
            tally.check(
              after.status !== 'terminated' && existsSync(s.worktreePath),
              `${cell}: the refusal changed the session`,
            );
            if (deleteBranch) continue;
            // Accepting exactly the listed loss removes it.
            const v = await h.call('sessions.removalCheck', { sessionId: s.id, deleteBranch });
            const forced = await h.request('sessions.terminate', {
              sessionId: s.id,
              deleteBranch,
              acceptLoss: v.fingerprint,
            });
            tally.check(forced.ok && !existsSync(s.worktreePath), `${cell}: accepted terminate did not remove it`);
          }
        }
      } finally {
        await h.close();
      }
      expect(tally.failed).toEqual([]);
    },
  );

  it(
    'every kind of work × pause then resume, pause then terminate with the branch (the listed loss accepted)',
    { timeout: 300_000 },
    async () => {
      const h = await openEngine();
      try {
        const repoFor = (k: Kind) => (k.name === 'submodule' ? repo.path : plain.path);
        const toResume = await Promise.all(kinds.map((k) => create(h, k, repoFor(k))));
        const toEnd = await Promise.all(kinds.map((k) => create(h, k, repoFor(k))));
        for (const [i, k] of kinds.entries()) {
          for (const [s, then] of [
            [toResume[i], 'resume'],
            [toEnd[i], 'terminate --delete-branch'],
          ] as const) {
            const cell = `${k.name} × pause, ${then}`;
            const survives = await k.make(s);
            tally.fault();
            const r = await h.request('sessions.pause', { sessionId: s.id });
            // A refusal changes nothing; a pause takes the folder (the work is checked after resume).
            if (!r.ok) tally.check(await survives(), `${cell}: the refusal lost the work`);
            if (k.pause === 'not-pausable') {
              tally.check(!r.ok && r.error.code === 'NOT_PAUSABLE', `${cell}: not refused (${outcome(r)})`);
              const after = await h.call('sessions.get', { sessionId: s.id });
              tally.check(after.paused === null && existsSync(s.worktreePath), `${cell}: the refusal changed it`);
              continue;
            }
            let lostByAcceptance = false;
            if (k.pause !== 'paused') {
              tally.check(!r.ok && r.error.code === 'WORK_AT_RISK', `${cell}: not refused (${outcome(r)})`);
              const listedKinds = kindsOf(r.ok ? undefined : (r.error.details?.verdict as RemovalVerdict));
              for (const e of k.pause)
                tally.check(listedKinds.has(e), `${cell}: ${e} not listed (got ${[...listedKinds]})`);
              tally.check(existsSync(s.worktreePath), `${cell}: the refusal removed the folder`);
              const v = r.ok ? null : (r.error.details?.verdict as RemovalVerdict);
              const accepted = await h.request('sessions.pause', { sessionId: s.id, acceptLoss: v?.fingerprint });
              tally.check(accepted.ok, `${cell}: the accepted pause failed (${outcome(accepted)})`);
              lostByAcceptance = true;
            } else tally.check(r.ok, `${cell}: refused though nothing is lost (${outcome(r)})`);
            if ((await h.call('sessions.get', { sessionId: s.id })).status !== 'paused') continue;
            tally.check(!existsSync(s.worktreePath), `${cell}: the folder is still there`);
            if (then === 'resume') {
              await h.call('sessions.resume', { sessionId: s.id });
              await h.call('sessions.stop', { sessionId: s.id });
              // Everything not accepted as lost is back: the kind's work and the copied-in .env.
              if (!lostByAcceptance) {
                tally.check(await survives(), `${cell}: the work is not back after resume`);
                tally.check(await holds(join(s.worktreePath, '.env'), 'LOCAL=1\n')(), `${cell}: the .env is not back`);
              }
              continue;
            }
            // Terminating the paused session with its branch: refused unless the listed loss is accepted.
            // What outlasts the folder (it lives in the repository): the branch's commits — the WIP
            // commit among them —, a foreign branch, a stash made on it.
            const want = new Set(k.expectWithBranch.filter((e) => ['commits', 'foreign-branch', 'stash'].includes(e)));
            if ((await runGit(s.repoPath, ['rev-list', `main..${s.branch}`])).trim() !== '') want.add('commits');
            const refused = await h.request('sessions.terminate', { sessionId: s.id, deleteBranch: true });
            if (want.size > 0) {
              tally.check(
                !refused.ok && refused.error.code === 'WORK_AT_RISK',
                `${cell}: not refused (${outcome(refused)})`,
              );
              const listedKinds = kindsOf(refused.ok ? undefined : (refused.error.details?.verdict as RemovalVerdict));
              for (const e of want)
                tally.check(listedKinds.has(e), `${cell}: ${e} not listed (got ${[...listedKinds]})`);
              tally.check(
                (await runGit(s.repoPath, ['branch', '--list', s.branch])).trim() !== '',
                `${cell}: the refusal deleted the branch`,
              );
              const v = await h.call('sessions.removalCheck', { sessionId: s.id, deleteBranch: true });
              const forced = await h.request('sessions.terminate', {
                sessionId: s.id,
                deleteBranch: true,
                acceptLoss: v.fingerprint,
              });
              tally.check(forced.ok, `${cell}: the accepted terminate failed (${outcome(forced)})`);
            } else tally.check(refused.ok, `${cell}: refused though nothing is lost (${outcome(refused)})`);
            tally.check(
              (await h.call('sessions.get', { sessionId: s.id })).status === 'terminated' &&
                !existsSync(join(h.home, 'paused', s.id)),
              `${cell}: not terminated, or its kept files left behind`,
            );
          }
        }
      } finally {
        await h.close();
      }
      expect(tally.failed).toEqual([]);
    },
  );

  it('accepting a list does not cover what changed after it was shown', async () => {
    const h = await openEngine();
    try {
      const s = await create(h, kinds[0]);
      file(join(s.worktreePath, 'a.txt'), 'first\n');
      const v = await h.call('sessions.removalCheck', { sessionId: s.id, deleteBranch: false });
      // After the user looked: the same file edited, and a new one.
      file(join(s.worktreePath, 'a.txt'), 'second\n');
      file(join(s.worktreePath, 'b.txt'), 'new\n');
      tally.fault();
      const r = await h.request('sessions.terminate', { sessionId: s.id, acceptLoss: v.fingerprint });
      tally.check(
        !r.ok && r.error.code === 'WORK_AT_RISK' && r.error.details?.stale === true,
        'a stale acceptance was honoured',
      );
      tally.check(readFileSync(join(s.worktreePath, 'a.txt'), 'utf8') === 'second\n', 'stale acceptance lost the edit');
      tally.check(existsSync(join(s.worktreePath, 'b.txt')), 'stale acceptance lost the new file');
    } finally {
      await h.close();
    }
    expect(tally.failed).toEqual([]);
  });

  it('commit first: the user’s files go to the branch, the copied-in .env does not', async () => {
    const h = await openEngine();
    try {
      const s = await create(h, kinds[0]);
      file(join(s.worktreePath, 'work.txt'), 'mine\n');
      const preview = await h.call('sessions.commitPreview', { sessionId: s.id });
      tally.check(
        preview.commit.some((c) => c.path === 'work.txt'),
        'commit preview misses the user file',
      );
      tally.check(!preview.commit.some((c) => c.path === '.env'), 'commit preview takes the copied-in .env');
      const r = await h.request('sessions.terminate', { sessionId: s.id, commitMessage: 'save' });
      tally.check(r.ok, `commit-first terminate refused: ${r.ok ? '' : r.error.message}`);
      const tree = await runGit(repo.path, ['ls-tree', '-r', '--name-only', s.branch]);
      tally.check(tree.includes('work.txt'), 'the user file is not on the branch');
      tally.check(!tree.split('\n').includes('.env'), 'the copied-in .env reached the branch history');
    } finally {
      await h.close();
    }
    expect(tally.failed).toEqual([]);
  });

  it('every kind of work as an orphan × cleanup, cleanup with the loss accepted', { timeout: 300_000 }, async () => {
    let h = await openEngine();
    const home = h.home;
    const orphans: Array<{ k: Kind; s: Session; survives: () => Promise<boolean> }> = [];
    try {
      const sessions = await Promise.all(kinds.map((k) => create(h, k)));
      for (const [i, k] of kinds.entries()) orphans.push({ k, s: sessions[i], survives: await k.make(sessions[i]) });
      await h.close();
      // The records are lost (as after a crash between removal steps): the folders are orphans.
      const db = await Database.open(join(home, 'multisession.db'));
      await db.run('DELETE FROM sessions');
      await db.close();
      h = await openEngine({ home });
      const preview = await h.call('cleanup.preview', {});
      const itemFor = (s: Session) =>
        [...preview.removed, ...preview.kept].find((i) => i.path && relative(i.path, s.worktreePath) === '');
      for (const o of orphans) {
        const item = itemFor(o.s);
        const cell = `${o.k.name} × orphan cleanup`;
        tally.check(Boolean(item), `${cell}: not reported`);
        const kept = item ? preview.kept.includes(item) : false;
        tally.check(kept === o.k.expect.length > 0, `${cell}: ${kept ? 'kept' : 'removable'} (expected ${o.k.expect})`);
        for (const e of o.k.expect) tally.check(kindsOf(item?.verdict ?? undefined).has(e), `${cell}: ${e} not listed`);
      }
      tally.fault(orphans.length);
      const run = await h.call('cleanup.run', {});
      for (const o of orphans) {
        tally.check(await o.survives(), `${o.k.name} × cleanup: work lost without acceptance`);
        if (o.k.expect.length === 0) tally.check(!existsSync(o.s.worktreePath), `${o.k.name} × cleanup: control kept`);
      }
      const accept = run.kept.flatMap((k) =>
        k.verdict && k.verdict.verdict !== 'safe' ? [k.verdict.fingerprint] : [],
      );
      const forced = await h.call('cleanup.run', { accept });
      for (const o of orphans)
        tally.check(!existsSync(o.s.worktreePath), `${o.k.name} × cleanup accepted: left in place`);
      tally.figures.orphanKinds = orphans.length;
      tally.figures.cleanupKeptWithoutAccept = run.kept.length;
      tally.figures.cleanupRemovedWithAccept = forced.removed.length;
      // Nothing of the sessions is left; the warm pool's own worktrees (under `.pool`) are the pool's.
      const root = join(home, 'worktrees');
      const left = readdirSync(root)
        .filter((e) => !e.startsWith('.'))
        .flatMap((repoDir) => readdirSync(join(root, repoDir)).map((e) => `${repoDir}/${e}`))
        .filter((e) => !e.endsWith(`/${WARM_POOL_FOLDER}`));
      tally.check(left.length === 0, `the worktree root still holds ${left.join(', ')}`);
    } finally {
      await h.close();
    }
    expect(tally.failed).toEqual([]);
  });
});
