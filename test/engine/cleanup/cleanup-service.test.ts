import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/shared/domain';
import { Database } from '../../../src/main/engine/store/database';
import { SessionStore } from '../../../src/main/engine/store/session-store';
import { openEngine, type Harness } from '../../support/engine-harness';
import { makeTempDir, makeTempRepo, runGit, type TempDir } from '../../support/temp-repo';

// Cleanup after what a crash or the user left: a worktree whose record is gone, a folder in the
// worktree root the app never made, a terminated record whose worktree survived, a terminated
// session whose repository was deleted. Everything through the engine's requests.
let home: TempDir;
let repo: TempDir;
let h: Harness | null = null;
const open = async () => (h = await openEngine({ home: home.path, terminals: 'in-process' }));

beforeEach(async () => {
  home = await makeTempDir('ms-cleanup-');
  repo = await makeTempRepo();
  await open();
});
afterEach(async () => {
  await h?.close();
  h = null;
  await home.cleanup();
  await repo.cleanup();
});

async function create(name: string): Promise<Session> {
  const [s] = await h!.call('sessions.create', { name, repoPath: repo.path, program: 'bash', autoStart: false });
  return s;
}

/** Changes the stored records with the engine closed, as a crash between two writes leaves them. */
async function whileClosed(f: (store: SessionStore) => Promise<void>): Promise<void> {
  await h!.close();
  h = null;
  const db = await Database.open(join(home.path, 'multisession.db'));
  await f(new SessionStore(db)).finally(() => db.close());
  await open();
}

const worktrees = async () =>
  (await runGit(repo.path, ['worktree', 'list', '--porcelain']))
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length));

describe('cleanup', () => {
  it('removes an app-made worktree no record owns; never a folder in the root that the app did not make', async () => {
    const s = await create('orphaned');
    await whileClosed((store) => store.delete(s.id));
    const foreign = join(dirname(s.worktreePath), 'someone-elses');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'data.txt'), 'not yours\n');

    const preview = await h!.call('cleanup.preview', {});
    expect(preview.dryRun).toBe(true);
    expect(preview.removed).toContainEqual(
      expect.objectContaining({ kind: 'orphan-worktree', path: s.worktreePath, sessionId: null }),
    );
    const kept = preview.kept.find((k) => k.path === foreign);
    expect(kept?.kind).toBe('orphan-directory');
    expect(existsSync(s.worktreePath)).toBe(true); // a preview changes nothing

    const report = await h!.call('cleanup.run', { accept: [] });
    expect(report.removed.map((r) => r.path)).toContain(s.worktreePath);
    expect(report.kept.find((k) => k.path === foreign)?.reason).toBe(kept?.reason);
    expect(existsSync(s.worktreePath)).toBe(false);
    expect(await worktrees()).not.toContain(s.worktreePath);
    expect(existsSync(join(foreign, 'data.txt'))).toBe(true);
  });

  it('a terminated record whose worktree survived: kept while it holds work, removed once exactly that loss is accepted', async () => {
    const s = await create('half-terminated');
    writeFileSync(join(s.worktreePath, 'unsaved.txt'), 'work\n');
    await whileClosed((store) => store.save({ ...s, status: 'terminated' }));

    const first = await h!.call('cleanup.run', { accept: [] });
    const worktree = first.kept.find((k) => k.kind === 'worktree' && k.sessionId === s.id);
    expect(worktree?.verdict?.verdict).not.toBe('safe');
    expect(worktree?.reason).toMatch(/accept its fingerprint/);
    // The record stays while its worktree holds work.
    expect(first.kept).toContainEqual(
      expect.objectContaining({
        kind: 'record',
        sessionId: s.id,
        reason: 'Kept while its worktree or branch still holds work.',
      }),
    );
    expect(existsSync(join(s.worktreePath, 'unsaved.txt'))).toBe(true);
    expect((await h!.call('sessions.get', { sessionId: s.id })).status).toBe('terminated');

    // Accepting the worktree's loss removes the worktree only: the branch was judged as if the
    // worktree went too (its own verdict, its own fingerprint), so it and the record stay.
    const second = await h!.call('cleanup.run', { accept: [worktree!.verdict!.fingerprint] });
    expect(second.removed.filter((r) => r.sessionId === s.id).map((r) => r.kind)).toEqual(['worktree']);
    expect(second.kept.filter((k) => k.sessionId === s.id).map((k) => k.kind)).toEqual(['branch', 'record']);
    expect(existsSync(s.worktreePath)).toBe(false);
    // With the worktree gone the branch holds nothing unique any more: the next run takes it and the record.
    const third = await h!.call('cleanup.run', { accept: [] });
    expect(third.removed.filter((r) => r.sessionId === s.id).map((r) => r.kind)).toEqual(['branch', 'record']);
    expect((await runGit(repo.path, ['branch', '--list', s.branch])).trim()).toBe('');
    expect((await h!.request('sessions.get', { sessionId: s.id })).ok).toBe(false);
  });

  it('a terminated session whose repository was deleted: its record goes, no branch is looked for', async () => {
    const s = await create('repo-gone');
    await h!.call('sessions.terminate', { sessionId: s.id });
    rmSync(repo.path, { recursive: true, force: true });
    const report = await h!.call('cleanup.run', { accept: [] });
    expect(report.removed.filter((r) => r.sessionId === s.id).map((r) => r.kind)).toEqual(['record']);
    expect(report.kept.filter((k) => k.sessionId === s.id)).toEqual([]);
    expect(await h!.call('sessions.list', {})).toEqual([]);
  });

  // A file the filesystem will not let go (immutable: needs root and chattr, as on this CI's
  // Linux box; skipped elsewhere) stands for any folder that cannot be deleted.
  it.runIf(canMakeImmutable())(
    'a worktree the disk will not delete is reported "Not removed" with the reason, and its record stays',
    async () => {
      const s = await create('stuck');
      await whileClosed((store) => store.save({ ...s, status: 'terminated' }));
      const stuck = join(s.worktreePath, 'README.md');
      execFileSync('chattr', ['+i', stuck]);
      try {
        const report = await h!.call('cleanup.run', { accept: [] });
        const worktree = report.kept.find((k) => k.kind === 'worktree' && k.sessionId === s.id);
        expect(worktree?.reason).toMatch(/^Not removed: /);
        expect(report.kept).toContainEqual(
          expect.objectContaining({
            kind: 'record',
            sessionId: s.id,
            reason: 'Kept while its worktree or branch still holds work.',
          }),
        );
        expect(report.removed.filter((r) => r.sessionId === s.id)).toEqual([]);
        expect(existsSync(stuck)).toBe(true);
        expect((await h!.call('sessions.get', { sessionId: s.id })).status).toBe('terminated');
      } finally {
        execFileSync('chattr', ['-i', stuck]);
      }
      // git had already forgotten the worktree when the delete failed: with the file free again,
      // the next cleanup cannot tell what the half-removed folder holds and keeps it (fail closed)
      // until exactly that verdict is accepted.
      const after = await h!.call('cleanup.run', { accept: [] });
      const mine = after.kept.filter((k) => k.sessionId === s.id);
      expect(mine.map((k) => [k.kind, k.verdict?.verdict ?? null])).toEqual([
        ['worktree', 'cannot-tell'],
        ['branch', 'cannot-tell'],
        ['record', null],
      ]);
      const accept = mine.flatMap((k) => (k.verdict ? [k.verdict.fingerprint] : []));
      const done = await h!.call('cleanup.run', { accept });
      expect(done.removed.filter((r) => r.sessionId === s.id).map((r) => r.kind)).toEqual([
        'worktree',
        'branch',
        'record',
      ]);
      expect(existsSync(s.worktreePath)).toBe(false);
    },
  );
});

function canMakeImmutable(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = join(tmpdir(), `ms-chattr-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
    execFileSync('chattr', ['+i', probe], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { force: true });
  }
}
