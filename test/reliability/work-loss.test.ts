import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoFolderName } from '../../src/main/engine/git/worktree-paths';
import { openEngine } from '../support/engine-harness';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { PropertyTally } from './support/report';

// No silent work loss: terminate and cleanup only ever remove work when forced.
const tally = new PropertyTally('work-loss');
const states = ['clean', 'uncommitted', 'untracked', 'unmerged-commits', 'deleted-folder'] as const;
type State = (typeof states)[number];

/** What a state leaves behind that must survive any operation run without force. */
interface Work {
  state: State;
  worktree: string;
  /** A file and its content that only exists in the worktree. */
  file?: { path: string; content: string };
  /** A commit only the session's branch holds. */
  commit?: string;
}

let repo: TempDir;
let seq = 0;

beforeAll(async () => {
  repo = await makeTempRepo({ files: 3 });
});
afterAll(async () => {
  tally.report();
  await repo.cleanup();
});

async function commitIn(worktree: string, label: string): Promise<string> {
  writeFileSync(join(worktree, `${label}.txt`), `${label}\n`);
  await runGit(worktree, ['add', '--all']);
  await runGit(worktree, ['commit', '--quiet', '-m', label]);
  return (await runGit(worktree, ['rev-parse', 'HEAD'])).trim();
}

/** Puts a worktree into one of the matrix states. */
async function makeState(state: State, worktree: string): Promise<Work> {
  const label = `work-${++seq}`;
  switch (state) {
    case 'clean':
      return { state, worktree };
    case 'uncommitted': {
      const file = { path: join(worktree, 'file-1.txt'), content: `unsaved edit ${label}\n` };
      writeFileSync(file.path, file.content);
      return { state, worktree, file };
    }
    case 'untracked': {
      const file = { path: join(worktree, `${label}.new`), content: `untracked ${label}\n` };
      writeFileSync(file.path, file.content);
      return { state, worktree, file };
    }
    case 'unmerged-commits':
      return { state, worktree, commit: await commitIn(worktree, label) };
    case 'deleted-folder': {
      const commit = await commitIn(worktree, label);
      rmSync(worktree, { recursive: true, force: true });
      return { state, worktree, commit };
    }
  }
}

/** Whether the work a state made is still somewhere the user can get it back. */
async function workSurvives(w: Work): Promise<boolean> {
  if (w.file && !(existsSync(w.file.path) && readFileSync(w.file.path, 'utf8') === w.file.content)) return false;
  if (w.commit) {
    const holders = await runGit(repo.path, [
      'for-each-ref',
      '--contains',
      w.commit,
      '--format=%(refname)',
      'refs/heads',
    ]);
    if (!holders.trim()) return false;
  }
  return true;
}

describe('no silent work loss', () => {
  it('terminate: every state × force × deleteBranch — work is only removed with force', async () => {
    const h = await openEngine();
    try {
      for (const state of states) {
        for (const force of [false, true]) {
          for (const deleteBranch of [false, true]) {
            const cell = `terminate ${state} force=${force} deleteBranch=${deleteBranch}`;
            const [s] = await h.call('sessions.create', {
              name: `wl ${state} ${force} ${deleteBranch}`,
              repoPath: repo.path,
              program: 'bash',
              autoStart: false,
            });
            const work = await makeState(state, s.worktreePath);
            tally.fault();
            const r = await h.request('sessions.terminate', { sessionId: s.id, force, deleteBranch });
            const after = await h.call('sessions.get', { sessionId: s.id });
            const survives = await workSurvives(work);
            if (!force) {
              tally.check(survives, `${cell}: work lost without force (${r.ok ? 'terminated' : r.error.code})`);
              if (!r.ok) {
                tally.check(
                  ['DIRTY_WORKTREE', 'UNMERGED_BRANCH'].includes(r.error.code),
                  `${cell}: refused with ${r.error.code}`,
                );
                tally.check(after.status !== 'terminated', `${cell}: a refusal still terminated the session`);
                tally.check(
                  state === 'deleted-folder' || existsSync(s.worktreePath),
                  `${cell}: a refusal removed the worktree`,
                );
              } else {
                tally.check(after.status === 'terminated', `${cell}: ok but status ${after.status}`);
              }
              const mustRefuse =
                state === 'uncommitted' ||
                state === 'untracked' ||
                (deleteBranch && (state === 'unmerged-commits' || state === 'deleted-folder'));
              tally.check(!mustRefuse || !r.ok, `${cell}: should have been refused`);
            } else {
              tally.check(r.ok && after.status === 'terminated', `${cell}: force did not terminate`);
              tally.check(!existsSync(s.worktreePath), `${cell}: force left the worktree`);
            }
          }
        }
      }
    } finally {
      await h.close();
    }
    expect(tally.failed).toEqual([]);
  });

  it('cleanup: orphaned worktrees and terminated sessions in every state, without then with force', async () => {
    const h = await openEngine();
    try {
      const root = join(h.home, 'worktrees', repoFolderName(repo.path));
      mkdirSync(root, { recursive: true });
      const orphanWork: Work[] = [];
      // Worktrees a crash left behind: registered in git, no session owns them.
      for (const state of states) {
        const path = join(root, `orphan-${state}`);
        await runGit(repo.path, ['worktree', 'add', '--quiet', '-b', `orphan/${state}`, path, 'main']);
        orphanWork.push(await makeState(state, path));
      }
      // Terminated sessions whose branch may still hold work.
      const sessionWork: Work[] = [];
      for (const state of states) {
        const [s] = await h.call('sessions.create', {
          name: `cl ${state}`,
          repoPath: repo.path,
          program: 'bash',
          autoStart: false,
        });
        const w = await makeState(state, s.worktreePath);
        // Terminating with force discards worktree files (allowed); commits stay on the kept branch.
        await h.call('sessions.terminate', { sessionId: s.id, force: true });
        sessionWork.push({ ...w, file: undefined });
      }
      const all = [...orphanWork, ...sessionWork];
      tally.fault(all.length);

      const preview = await h.call('cleanup.preview', {});
      for (const w of all) tally.check(await workSurvives(w), `cleanup.preview changed ${w.state} at ${w.worktree}`);
      const run = await h.call('cleanup.run', {});
      for (const [i, w] of all.entries()) {
        const who = i < orphanWork.length ? 'orphan' : 'terminated session';
        tally.check(await workSurvives(w), `cleanup without force lost the work of a ${who} (${w.state})`);
      }
      tally.check(
        run.removed.length === preview.removed.length,
        `cleanup.run removed ${run.removed.length}, preview promised ${preview.removed.length}`,
      );
      tally.check(run.kept.length > 0, 'cleanup without force kept nothing');
      for (const k of run.kept) tally.check(k.reason.length > 5, `kept item ${k.kind} says why`);
      // Clean or workless orphans do not need force.
      tally.check(!existsSync(join(root, 'orphan-clean')), 'a clean orphan was not removed without force');

      const forced = await h.call('cleanup.run', { force: true });
      tally.check(forced.kept.length === 0, `cleanup with force still kept ${forced.kept.length}`);
      for (const w of orphanWork) tally.check(!existsSync(w.worktree), `force left orphan ${w.worktree}`);
      tally.check((await h.call('sessions.list', {})).length === 0, 'force left records');
      tally.figures.cleanupKeptWithoutForce = run.kept.length;
      tally.figures.cleanupRemovedWithForce = forced.removed.length;
    } finally {
      await h.close();
    }
    expect(tally.failed).toEqual([]);
  });
});
