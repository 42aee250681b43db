import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemovalVerdict } from '../../src/shared/removal';
import { outcome } from '../support/accept-loss';
import { openEngine } from '../support/engine-harness';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { PropertyTally } from './support/report';
import { create, holds, kinds, kindsOf, type Kind } from './support/work-kinds';

// No silent work loss, pause column: every kind of work × pause then resume, and pause then
// terminate with the branch deleted — on real repositories. A refusal changes nothing; what pause
// lists goes only when accepted; everything else is back after resume; terminating a paused
// session lists what outlasts its folder. Pause refuses repositories with submodules, so the
// kinds run in a repository without one (the submodule kind in one with).
const tally = new PropertyTally('pause-work-loss');

let plain: TempDir;
let withSub: TempDir;
let sub: TempDir;
const files = { '.gitignore': '.env*\nnode_modules/\n', 'file-1.txt': 'one\n', 'file-2.txt': 'two\n' };

beforeAll(async () => {
  sub = await makeTempRepo({ files: { 'lib.txt': 'library\n' } });
  withSub = await makeTempRepo({ files });
  await runGit(withSub.path, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '--quiet', sub.path, 'lib/sub']);
  await runGit(withSub.path, ['commit', '--quiet', '-m', 'add submodule']);
  plain = await makeTempRepo({ files });
  // Copied into every worktree at creation (default copy-in patterns).
  for (const r of [withSub, plain]) writeFileSync(join(r.path, '.env'), 'LOCAL=1\n');
});
afterAll(async () => {
  tally.report();
  for (const d of [plain, withSub, sub]) await d.cleanup();
});

describe('no silent work loss: the pause column of the matrix', () => {
  it(
    'every kind of work × pause then resume, pause then terminate with the branch (the listed loss accepted)',
    { timeout: 300_000 },
    async () => {
      const h = await openEngine();
      try {
        const repoFor = (k: Kind) => (k.name === 'submodule' ? withSub.path : plain.path);
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
});
