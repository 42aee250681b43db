import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { checkConsistency, isPoolPath, real, type Consistency } from './support/consistency';
import { PropertyTally } from './support/report';

// Races: many creates and terminations at once on one repository; records, git and disk agree.
const tally = new PropertyTally('races');
/** Worktrees of sessions (the warm pool may hold more of its own). */
const sessionFolders = (c: Consistency) => c.diskWorktrees.filter((p) => !isPoolPath(p));
const sessionWorktrees = (c: Consistency, repoPath: string) =>
  (c.gitWorktrees.get(repoPath) ?? []).filter((p) => !isPoolPath(p));
let h: Harness;
let repo: TempDir;

beforeAll(async () => {
  h = await openEngine();
  repo = await makeTempRepo({ files: 5 });
});
afterAll(async () => {
  tally.report();
  await h.close();
  await repo.cleanup();
});

describe('races', () => {
  // Each terminate runs the full removal check under the repository's lock: give a loaded machine time.
  it(
    '50 sessions created at once, then 20 terminated at once: git, disk and store agree',
    { timeout: 240_000 },
    async () => {
      const t0 = Date.now();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          h.request('sessions.create', { name: `Race ${i}`, repoPath: repo.path, program: 'bash', autoStart: false }),
        ),
      );
      tally.figures.create50Ms = Date.now() - t0;
      tally.fault(50);
      const created = results.flatMap((r) => (r.ok ? r.value : []));
      for (const [i, r] of results.entries()) tally.check(r.ok, `create ${i}: ${r.ok ? '' : r.error.message}`);
      tally.check(new Set(created.map((s) => s.branch)).size === 50, 'the 50 branches are distinct');
      tally.check(new Set(created.map((s) => s.worktreePath)).size === 50, 'the 50 worktrees are distinct');

      let c = await checkConsistency(h, [repo.path]);
      for (const v of c.violations) tally.check(false, `after create: ${v}`);
      tally.check(c.records.length === 50, `store holds ${c.records.length} records, not 50`);
      tally.check(sessionWorktrees(c, repo.path).length === 50, `git lists ${sessionWorktrees(c, repo.path).length}`);
      tally.check(sessionFolders(c).length === 50, `disk holds ${sessionFolders(c).length} session worktrees`);
      tally.check(c.orphans.length === 0, `cleanup reports orphans after a clean race: ${c.orphans.join(', ')}`);
      const branches = await runGit(repo.path, ['branch', '--list', '--format=%(refname:short)']);
      for (const s of created) tally.check(branches.split('\n').includes(s.branch), `branch ${s.branch} exists`);

      // 20 terminations at once: half delete their (merged) branch too.
      const victims = created.slice(0, 20);
      const t1 = Date.now();
      const terminated = await Promise.all(
        victims.map((s, i) => h.request('sessions.terminate', { sessionId: s.id, deleteBranch: i % 2 === 0 })),
      );
      tally.figures.terminate20Ms = Date.now() - t1;
      tally.fault(20);
      for (const [i, r] of terminated.entries()) tally.check(r.ok, `terminate ${i}: ${r.ok ? '' : r.error.message}`);

      c = await checkConsistency(h, [repo.path]);
      for (const v of c.violations) tally.check(false, `after terminate: ${v}`);
      const live = c.records.filter((r) => r.status !== 'terminated');
      tally.check(live.length === 30, `${live.length} live records, not 30`);
      tally.check(c.records.length - live.length === 20, 'the 20 terminated records are kept');
      tally.check(sessionWorktrees(c, repo.path).length === 30, `git lists ${sessionWorktrees(c, repo.path).length}`);
      tally.check(sessionFolders(c).length === 30, `disk holds ${sessionFolders(c).length} session worktrees`);
      const after = (await runGit(repo.path, ['branch', '--list', '--format=%(refname:short)'])).split('\n');
      for (const [i, s] of victims.entries()) {
        tally.check(!existsSync(s.worktreePath), `${s.name}: worktree folder gone`);
        tally.check(after.includes(s.branch) === (i % 2 !== 0), `${s.name}: branch kept only when not asked to delete`);
      }
      for (const s of live) tally.check(c.diskWorktrees.includes(real(s.worktreePath)), `${s.name} still on disk`);

      expect(tally.failed).toEqual([]);
    },
  );
});
