import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/domain';
import { outcome } from '../support/accept-loss';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempDir, makeTempRepo, runGit, type TempDir } from '../support/temp-repo';

// Pause must never lose work it did not list (review3's BLOCKERs): commits hidden behind the app's
// own pause record, edits outside a sparse checkout, files written after the WIP commit. Real
// repositories, real PTYs, real SQLite.

let home: TempDir;
let repo: TempDir;
let h: Harness;
beforeAll(async () => {
  home = await makeTempDir('ms-pause-loss-');
  repo = await makeTempRepo({ files: { 'a.txt': 'a\n' } });
  h = await openEngine({ home: home.path, terminals: 'in-process' });
});
afterAll(async () => {
  await h?.close();
  for (const d of [home, repo]) await d.cleanup();
});

const git = (cwd: string, ...args: string[]) => runGit(cwd, args);

async function shellSession(name: string, repoPath = repo.path): Promise<Session> {
  const [s] = await h.call('sessions.create', { name, repoPath, program: 'bash', autoStart: false });
  return s;
}

describe('pause loses nothing it did not list', () => {
  it('terminate(deleteBranch) of a paused session lists the branch commits below the WIP commit (the pause record does not keep them)', async () => {
    const s = await shellSession('shield');
    const wt = s.worktreePath;
    writeFileSync(join(wt, 'c1.txt'), 'real commit\n');
    await git(wt, 'add', 'c1.txt');
    await git(wt, 'commit', '-qm', 'C1 precious');
    const c1 = (await git(wt, 'rev-parse', 'HEAD')).trim();
    // Staged, then edited again: pause writes its record ref (the staged state lives there).
    writeFileSync(join(wt, 'a.txt'), 'staged\n');
    await git(wt, 'add', 'a.txt');
    writeFileSync(join(wt, 'a.txt'), 'edited\n');
    await h.call('sessions.pause', { sessionId: s.id });
    const ref = `refs/multisession/paused/${s.id}`;
    expect((await git(repo.path, 'for-each-ref', '--format=%(refname)', ref)).trim()).toBe(ref);
    expect((await git(repo.path, 'rev-list', '--parents', '-n1', ref)).trim().split(' ')).toHaveLength(1);

    const v = await h.call('sessions.removalCheck', { sessionId: s.id, deleteBranch: true });
    expect(v.verdict).toBe('loses');
    const commits = v.verdict === 'loses' ? v.items.filter((i) => i.kind === 'commits') : [];
    // C1 and the WIP commit, both only on the branch.
    expect(commits.map((i) => i.detail).join('\n')).toMatch(/^2 commit\(s\) only on branch/);

    // Terminating with the listed loss accepted deletes them (that is what was accepted);
    // without it, the branch is kept and C1 with it.
    const refused = await h.request('sessions.terminate', { sessionId: s.id, deleteBranch: true });
    expect(outcome(refused)).toMatch(/^WORK_AT_RISK/);
    expect((await git(repo.path, 'for-each-ref', '--contains', c1)).trim()).not.toBe('');
    const r = await h.request('sessions.terminate', { sessionId: s.id, deleteBranch: true, acceptLoss: v.fingerprint });
    expect(outcome(r)).toBe('ok');
  });
});
