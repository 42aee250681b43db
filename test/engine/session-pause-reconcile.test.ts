import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/main/engine/store/database';
import { SessionStore } from '../../src/main/engine/store/session-store';
import type { Session } from '../../src/shared/domain';
import { outcome } from '../support/accept-loss';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempDir, makeTempRepo, runGit, STRIP_OUTPUTS_FILTER, type TempDir } from '../support/temp-repo';

// Pause's edges on real repositories, real SQLite and real git: a pause the host stopped before
// the branch moved (finished on the next start only with the WIP commit on the branch), a branch
// moved by someone else while paused, and a repository nested in the worktree.

let home: TempDir;
let repo: TempDir;
let h: Harness;
beforeAll(async () => {
  home = await makeTempDir('ms-pause-rec-');
  repo = await makeTempRepo({ files: { 'a.txt': 'a\n' } });
  h = await openEngine({ home: home.path, terminals: 'in-process' });
});
afterAll(async () => {
  await h?.close();
  for (const d of [home, repo]) await d.cleanup();
});

const git = (cwd: string, ...args: string[]) => runGit(cwd, args);
const tipOf = async (branch: string) => (await git(repo.path, 'rev-parse', branch)).trim();

async function shellSession(name: string): Promise<Session> {
  const [s] = await h.call('sessions.create', { name, repoPath: repo.path, program: 'bash', autoStart: false });
  return s;
}

/**
 * The state a host killed between writing the pause record and moving the branch leaves, once the
 * folder is gone: the record (not freed), the session not yet paused, the branch set to `tip`.
 */
async function interruptedPause(s: Session, paused: Session, tip: string): Promise<void> {
  await h.close();
  await git(repo.path, 'update-ref', `refs/heads/${s.branch}`, tip);
  const db = await Database.open(join(home.path, 'multisession.db'));
  try {
    await new SessionStore(db).save({
      ...paused,
      status: 'stopped',
      paused: { ...paused.paused!, folderFreed: false },
    });
  } finally {
    await db.close();
  }
  h = await openEngine({ home: home.path, terminals: 'in-process' });
}

describe('pause: interrupted, moved, nested', () => {
  it('a pause stopped before its branch moved, folder gone: the next start puts the WIP commit on the branch, then resume gives the work back', async () => {
    const s = await shellSession('half-paused');
    writeFileSync(join(s.worktreePath, 'work.txt'), 'precious\n');
    const paused = await h.call('sessions.pause', { sessionId: s.id });
    const { base, wip } = paused.paused!;
    await interruptedPause(s, paused, base);
    const after = await h.call('sessions.get', { sessionId: s.id });
    expect([after.status, after.paused?.folderFreed]).toEqual(['paused', true]);
    expect(await tipOf(s.branch)).toBe(wip);
    await h.call('sessions.resume', { sessionId: s.id });
    await h.call('sessions.stop', { sessionId: s.id });
    expect(readFileSync(join(s.worktreePath, 'work.txt'), 'utf8')).toBe('precious\n');
    expect((await git(s.worktreePath, 'rev-parse', 'HEAD')).trim()).toBe(base);
  });

  it('…and when the branch is at neither commit, the WIP commit is kept under a ref and the session says where', async () => {
    const s = await shellSession('half-moved');
    writeFileSync(join(s.worktreePath, 'work.txt'), 'precious too\n');
    const paused = await h.call('sessions.pause', { sessionId: s.id });
    const { base, wip } = paused.paused!;
    const other = (await git(repo.path, 'commit-tree', `${base}^{tree}`, '-p', base, '-m', 'someone else')).trim();
    await interruptedPause(s, paused, other);
    const after = await h.call('sessions.get', { sessionId: s.id });
    expect(after.status).toBe('paused');
    expect(after.errorReason).toContain(`refs/multisession/wip/${s.id}`);
    expect(await tipOf(s.branch)).toBe(other);
    expect(await tipOf(`refs/multisession/wip/${s.id}`)).toBe(wip);
    expect(await git(repo.path, 'show', `refs/multisession/wip/${s.id}:work.txt`)).toBe('precious too\n');
  });

  it('resume after someone else moved the branch: the folder is at the new tip, the session says so, the WIP commit stays reachable', async () => {
    const s = await shellSession('moved-while-paused');
    writeFileSync(join(s.worktreePath, 'a.txt'), 'staged\n');
    await git(s.worktreePath, 'add', 'a.txt');
    writeFileSync(join(s.worktreePath, 'a.txt'), 'edited after staging\n');
    const paused = await h.call('sessions.pause', { sessionId: s.id });
    const wip = paused.paused!.wip!;
    // Someone commits on top of the WIP commit from the main folder while the session is paused.
    await git(repo.path, 'worktree', 'add', '--quiet', join(home.path, 'other'), s.branch);
    writeFileSync(join(home.path, 'other/theirs.txt'), 'theirs\n');
    await git(join(home.path, 'other'), 'add', 'theirs.txt');
    await git(join(home.path, 'other'), 'commit', '-qm', 'theirs');
    const theirs = (await git(join(home.path, 'other'), 'rev-parse', 'HEAD')).trim();
    await git(repo.path, 'worktree', 'remove', join(home.path, 'other'));

    const back = await h.call('sessions.resume', { sessionId: s.id });
    await h.call('sessions.stop', { sessionId: s.id });
    const told = h.peer.events.filter((e) => e.name === 'notify').map((e) => e.payload as { body: string });
    expect(told.map((n) => n.body)).toContainEqual(
      expect.stringMatching(
        /moved while "moved-while-paused" was paused; it was resumed at its new tip \(the work-in-progress commit \w+ is in its history\)/,
      ),
    );
    expect(back.pid).not.toBeNull();
    expect((await git(s.worktreePath, 'rev-parse', 'HEAD')).trim()).toBe(theirs);
    expect(await git(s.worktreePath, 'status', '--porcelain')).toBe('');
    expect(readFileSync(join(s.worktreePath, 'a.txt'), 'utf8')).toBe('edited after staging\n');
    expect(readFileSync(join(s.worktreePath, 'theirs.txt'), 'utf8')).toBe('theirs\n');
    expect((await git(repo.path, 'merge-base', '--is-ancestor', wip, s.branch)).trim()).toBe('');
  });

  it('resume after the branch was reset below the WIP commit: the commit is kept under a ref, and the notification says where', async () => {
    const s = await shellSession('reset-while-paused');
    writeFileSync(join(s.worktreePath, 'work.txt'), 'kept\n');
    const paused = await h.call('sessions.pause', { sessionId: s.id });
    const { base, wip } = paused.paused!;
    await git(repo.path, 'branch', '-f', s.branch, base);
    await h.call('sessions.resume', { sessionId: s.id });
    await h.call('sessions.stop', { sessionId: s.id });
    const told = h.peer.events.filter((e) => e.name === 'notify').map((e) => (e.payload as { body: string }).body);
    expect(told).toContainEqual(expect.stringContaining(`it is kept as refs/multisession/wip/${s.id}`));
    expect(await tipOf(`refs/multisession/wip/${s.id}`)).toBe(wip);
    expect(existsSync(join(s.worktreePath, 'work.txt'))).toBe(false);
  });

  it('resume at a moved branch writes kept exact bytes back only over the version pause committed, never over a newer one', async () => {
    const fRepo = await makeTempRepo({
      files: { '.gitattributes': '*.ipynb filter=strip\n', 'nb.ipynb': 'cell\n', 'other.ipynb': 'x\n' },
      config: STRIP_OUTPUTS_FILTER,
    });
    try {
      const [s] = await h.call('sessions.create', {
        name: 'filtered-moved',
        repoPath: fRepo.path,
        program: 'bash',
        autoStart: false,
      });
      writeFileSync(join(s.worktreePath, 'nb.ipynb'), 'cell\ncell 2\nOUTPUT: 42\n');
      writeFileSync(join(s.worktreePath, 'other.ipynb'), 'x\nOUTPUT: 7\n');
      await h.call('sessions.pause', { sessionId: s.id });
      // A colleague continues the branch while paused and edits one notebook.
      const other = join(home.path, 'colleague');
      await git(fRepo.path, 'worktree', 'add', '--quiet', other, s.branch);
      writeFileSync(join(other, 'nb.ipynb'), 'cell\ncell 2\ncell 3 by a colleague\n');
      await git(other, 'commit', '-qam', 'colleague');
      await git(fRepo.path, 'worktree', 'remove', other);
      await h.call('sessions.resume', { sessionId: s.id });
      await h.call('sessions.stop', { sessionId: s.id });
      expect(readFileSync(join(s.worktreePath, 'nb.ipynb'), 'utf8')).toBe('cell\ncell 2\ncell 3 by a colleague\n');
      // The untouched notebook gets its outputs back; the other's old bytes stay aside, and the session says where.
      expect(readFileSync(join(s.worktreePath, 'other.ipynb'), 'utf8')).toBe('x\nOUTPUT: 7\n');
      const told = h.peer.events.filter((e) => e.name === 'notify').map((e) => (e.payload as { body: string }).body);
      const where = told.map((b) => /The exact bytes nb\.ipynb had before the pause are kept in (\S+) /.exec(b)?.[1]);
      const dir = where.find((w) => w !== undefined)!;
      expect(dir.startsWith(join(home.path, 'kept', s.id))).toBe(true);
      expect(readFileSync(join(dir, 'nb.ipynb'), 'utf8')).toBe('cell\ncell 2\nOUTPUT: 42\n');
      // Where nothing removes them: not by the next pause (which clears its own working folder).
      expect((await h.call('sessions.pause', { sessionId: s.id })).status).toBe('paused');
      expect(readFileSync(join(dir, 'nb.ipynb'), 'utf8')).toBe('cell\ncell 2\nOUTPUT: 42\n');
    } finally {
      await fRepo.cleanup();
    }
  });

  it("a folder the user put at a paused session's path is never adopted as the app's: terminate (even accepting the listed loss) leaves it", async () => {
    const s = await shellSession('paused-path-reused');
    writeFileSync(join(s.worktreePath, 'work.txt'), 'mine\n');
    await h.call('sessions.pause', { sessionId: s.id });
    mkdirSync(s.worktreePath, { recursive: true });
    writeFileSync(join(s.worktreePath, 'theirs.txt'), "the user's own file\n");
    // The next start reconciles and records folders made before ownership was tracked.
    await h.close();
    h = await openEngine({ home: home.path, terminals: 'in-process' });
    const v = await h.call('sessions.removalCheck', { sessionId: s.id, deleteBranch: false });
    const r = await h.request('sessions.terminate', { sessionId: s.id, acceptLoss: v.fingerprint });
    expect(outcome(r)).toMatch(/^UNSAFE_PATH/);
    expect(readFileSync(join(s.worktreePath, 'theirs.txt'), 'utf8')).toBe("the user's own file\n");
  });

  it('a repository nested in the worktree: listed, pause refused until accepted; accepted, it is not committed and goes with the folder', async () => {
    const s = await shellSession('nested');
    const wt = s.worktreePath;
    writeFileSync(join(wt, 'a.txt'), 'mine\n');
    mkdirSync(join(wt, 'vendor/lib'), { recursive: true });
    await git(join(wt, 'vendor/lib'), 'init', '-q');
    writeFileSync(join(wt, 'vendor/lib/x.txt'), 'nested\n');
    await git(join(wt, 'vendor/lib'), 'add', 'x.txt');
    await git(join(wt, 'vendor/lib'), 'commit', '-qm', 'nested work');
    const tip = await tipOf(s.branch);
    const refused = await h.request('sessions.pause', { sessionId: s.id });
    expect(outcome(refused)).toMatch(/^WORK_AT_RISK: /);
    const verdict = (refused.ok ? null : refused.error.details?.verdict) as {
      fingerprint: string;
      items: Array<{ subject: string; detail: string }>;
    };
    expect(verdict.items.map((i) => i.subject)).toEqual(['vendor/lib/']);
    expect(verdict.items[0].detail).toMatch(/a git repository inside the worktree/);
    expect(await tipOf(s.branch)).toBe(tip);
    // A commit in the nested repository after the user looked is not covered by what was accepted.
    writeFileSync(join(wt, 'vendor/lib/y.txt'), 'later\n');
    await git(join(wt, 'vendor/lib'), 'add', 'y.txt');
    await git(join(wt, 'vendor/lib'), 'commit', '-qm', 'later');
    const stale = await h.request('sessions.pause', { sessionId: s.id, acceptLoss: verdict.fingerprint });
    expect(outcome(stale)).toMatch(/^WORK_AT_RISK: .*The list changed since it was shown/);
    expect(existsSync(join(wt, 'vendor/lib/y.txt'))).toBe(true);
    const fresh = (stale.ok ? null : stale.error.details?.verdict) as { fingerprint: string };
    const paused = await h.call('sessions.pause', { sessionId: s.id, acceptLoss: fresh.fingerprint });
    expect(paused.status).toBe('paused');
    expect(existsSync(wt)).toBe(false);
    expect(await git(repo.path, 'show', `${s.branch}:a.txt`)).toBe('mine\n');
    // Not even a gitlink: the nested repository was accepted as lost, not half-committed.
    expect(await git(repo.path, 'ls-tree', '-r', '--name-only', s.branch)).toBe('a.txt\n');
  });
});
