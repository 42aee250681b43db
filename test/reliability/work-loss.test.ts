import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/domain';
import type { RemovalVerdict } from '../../src/shared/removal';
import { Database } from '../../src/main/engine/store/database';
import { WARM_POOL_FOLDER } from '../../src/main/engine/git/worktree-paths';
import { openEngine } from '../support/engine-harness';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { PropertyTally } from './support/report';
import { create, file, kinds, kindsOf, type Kind } from './support/work-kinds';

// No silent work loss: the removal-safety matrix. Every kind of work the one removal check knows
// × terminate, terminate with branch deletion, accepted (forced) terminate, orphan cleanup,
// cleanup with the loss accepted — on real repositories. Without acceptance the work survives and
// the refusal lists it; controls (nothing, build output, a copied-in file nobody edited) go freely.
const tally = new PropertyTally('work-loss');

let repo: TempDir;
let sub: TempDir;

beforeAll(async () => {
  sub = await makeTempRepo({ files: { 'lib.txt': 'library\n' } });
  repo = await makeTempRepo({
    files: { '.gitignore': '.env*\nnode_modules/\n', 'file-1.txt': 'one\n', 'file-2.txt': 'two\n' },
  });
  await runGit(repo.path, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '--quiet', sub.path, 'lib/sub']);
  await runGit(repo.path, ['commit', '--quiet', '-m', 'add submodule']);
  writeFileSync(join(repo.path, '.env'), 'LOCAL=1\n');
});
afterAll(async () => {
  tally.report();
  await repo.cleanup();
  await sub.cleanup();
});

describe('no silent work loss: the removal-safety matrix', () => {
  it(
    'every kind of work × terminate, terminate with the branch, accepted terminate',
    { timeout: 300_000 },
    async () => {
      const h = await openEngine();
      try {
        const sessions = await Promise.all(kinds.map((k) => create(h, k, repo.path)));
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

  it('accepting a list does not cover what changed after it was shown', async () => {
    const h = await openEngine();
    try {
      const s = await create(h, kinds[0], repo.path);
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
      const s = await create(h, kinds[0], repo.path);
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
      const sessions = await Promise.all(kinds.map((k) => create(h, k, repo.path)));
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
