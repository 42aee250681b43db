import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/domain';
import { outcome } from '../support/accept-loss';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempDir, makeTempRepo, runGit, STRIP_OUTPUTS_FILTER, type TempDir } from '../support/temp-repo';
import { waitFor } from '../support/wait-for';

// Pause must never lose work it did not list (review3's BLOCKERs): commits hidden behind the app's
// own pause record, edits outside a sparse checkout, files written after the WIP commit; and a git
// failure half-way says so and leaves the session as it was. Real repositories, PTYs and SQLite.

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

  it('a sparse checkout: edited and new files outside the cone go into the WIP commit and come back on resume', async () => {
    const sparseRepo = await makeTempRepo({
      files: { 'app/main.txt': 'app\n', 'lib/big.txt': 'lib\n', 'top.txt': 'top\n' },
    });
    try {
      await h.call('settings.update', { repoSettings: { [sparseRepo.path]: { sparse: ['app'] } } });
      const s = await shellSession('sparse-out', sparseRepo.path);
      const wt = s.worktreePath;
      expect(existsSync(join(wt, 'lib/big.txt'))).toBe(false);
      // The agent writes where it does not see: a tracked file and a new one outside the cone.
      mkdirSync(join(wt, 'lib'), { recursive: true });
      writeFileSync(join(wt, 'lib/big.txt'), 'edit outside the cone\n');
      writeFileSync(join(wt, 'lib/new.txt'), 'new outside the cone\n');
      writeFileSync(join(wt, 'app/main.txt'), 'edit inside\n');
      const r = await h.request('sessions.pause', { sessionId: s.id });
      expect(outcome(r)).toBe('ok');
      expect(existsSync(wt)).toBe(false);
      const show = (path: string) => git(sparseRepo.path, 'show', `${s.branch}:${path}`);
      expect(await show('lib/big.txt')).toBe('edit outside the cone\n');
      expect(await show('lib/new.txt')).toBe('new outside the cone\n');
      expect(await show('app/main.txt')).toBe('edit inside\n');

      await h.call('sessions.resume', { sessionId: s.id });
      await h.call('sessions.stop', { sessionId: s.id });
      expect(readFileSync(join(wt, 'lib/big.txt'), 'utf8')).toBe('edit outside the cone\n');
      expect(readFileSync(join(wt, 'lib/new.txt'), 'utf8')).toBe('new outside the cone\n');
      expect(readFileSync(join(wt, 'app/main.txt'), 'utf8')).toBe('edit inside\n');
      const status = await git(wt, 'status', '--porcelain', '--untracked-files=all');
      expect(status.split('\n').filter(Boolean).sort()).toEqual([
        ' M app/main.txt',
        ' M lib/big.txt',
        '?? lib/new.txt',
      ]);
      expect(await git(wt, 'sparse-checkout', 'list')).toBe('app\n');
      await h.call('sessions.terminate', {
        sessionId: s.id,
        acceptLoss: (await h.call('sessions.removalCheck', { sessionId: s.id, deleteBranch: false })).fingerprint,
      });
    } finally {
      await sparseRepo.cleanup();
    }
  });

  it('a file written after the WIP commit and before the folder goes: the pause is refused and undone, nothing removed', async () => {
    const s = await shellSession('late');
    const wt = s.worktreePath;
    writeFileSync(join(wt, 'a.txt'), 'first edit\n');
    // A real process writes into the folder between the snapshot and the removal: git's own
    // reference-transaction hook, run when pause moves the branch to the WIP commit (once).
    const hook = join(repo.path, '.git/hooks/reference-transaction');
    writeFileSync(
      hook,
      [
        '#!/bin/sh',
        '[ "$1" = committed ] || exit 0',
        `grep -q ' refs/heads/${s.branch}$' || exit 0`,
        `printf 'second edit, after the WIP commit\\n' > '${wt}/a.txt'`,
        `printf 'late new file\\n' > '${wt}/new-late.txt'`,
        'rm -f "$0"',
        '',
      ].join('\n'),
    );
    chmodSync(hook, 0o755);
    const r = await h.request('sessions.pause', { sessionId: s.id });
    expect(existsSync(hook)).toBe(false); // the hook ran
    expect(outcome(r)).toMatch(
      /^WORK_AT_RISK: "late" was not paused: files changed while it was pausing \(a\.txt, new-late\.txt\)/,
    );
    // Undone: the branch back at its old tip, the folder and its files as written, no record left.
    const after = await h.call('sessions.get', { sessionId: s.id });
    expect(after).toMatchObject({ status: 'stopped', paused: null });
    expect((await git(repo.path, 'rev-parse', s.branch)).trim()).toBe((await git(wt, 'rev-parse', 'HEAD')).trim());
    expect(await git(repo.path, 'show', `${s.branch}:a.txt`)).toBe('a\n');
    expect(readFileSync(join(wt, 'a.txt'), 'utf8')).toBe('second edit, after the WIP commit\n');
    expect(readFileSync(join(wt, 'new-late.txt'), 'utf8')).toBe('late new file\n');
    expect(await git(repo.path, 'for-each-ref', `refs/multisession/paused/${s.id}`)).toBe('');
    expect((await git(wt, 'status', '--porcelain')).split('\n').filter(Boolean).sort()).toEqual([
      ' M a.txt',
      '?? new-late.txt',
    ]);

    // Once nothing writes there, pause takes everything.
    expect(outcome(await h.request('sessions.pause', { sessionId: s.id }))).toBe('ok');
    expect(await git(repo.path, 'show', `${s.branch}:a.txt`)).toBe('second edit, after the WIP commit\n');
    expect(await git(repo.path, 'show', `${s.branch}:new-late.txt`)).toBe('late new file\n');
  });

  it('a late write git would store the same (a clean filter, a line-ending conversion) is seen: the pause is refused, nothing removed', async () => {
    // .gitattributes rules: a notebook's outputs stripped by a clean filter (as nbstripout does),
    // and text normalised to LF. A write that changes only what they drop looks unchanged to git.
    const fRepo = await makeTempRepo({
      files: {
        '.gitattributes': '*.ipynb filter=strip\n*.txt text eol=lf\n',
        'nb.ipynb': 'cell\n',
        'notes.txt': 'one\ntwo\n',
      },
      config: STRIP_OUTPUTS_FILTER,
    });
    try {
      const s = await shellSession('filtered-late', fRepo.path);
      const wt = s.worktreePath;
      writeFileSync(join(wt, 'nb.ipynb'), 'cell\ncell 2\n');
      const hook = join(fRepo.path, '.git/hooks/reference-transaction');
      writeFileSync(
        hook,
        [
          '#!/bin/sh',
          '[ "$1" = committed ] || exit 0',
          `grep -q ' refs/heads/${s.branch}$' || exit 0`,
          `printf 'cell\\ncell 2\\nOUTPUT: 42\\n' > '${wt}/nb.ipynb'`,
          `printf 'one\\r\\ntwo\\r\\n' > '${wt}/notes.txt'`,
          'rm -f "$0"',
          '',
        ].join('\n'),
      );
      chmodSync(hook, 0o755);
      const r = await h.request('sessions.pause', { sessionId: s.id });
      expect(existsSync(hook)).toBe(false); // the hook ran
      expect(outcome(r)).toMatch(
        /^WORK_AT_RISK: "filtered-late" was not paused: files changed while it was pausing \(nb\.ipynb, notes\.txt\)/,
      );
      expect(await h.call('sessions.get', { sessionId: s.id })).toMatchObject({ status: 'stopped', paused: null });
      expect(readFileSync(join(wt, 'nb.ipynb'), 'utf8')).toBe('cell\ncell 2\nOUTPUT: 42\n');
      expect(readFileSync(join(wt, 'notes.txt'), 'utf8')).toBe('one\r\ntwo\r\n');
      expect((await git(fRepo.path, 'rev-parse', s.branch)).trim()).toBe((await git(wt, 'rev-parse', 'HEAD')).trim());
    } finally {
      await fRepo.cleanup();
    }
  });

  it('bytes a clean filter or a line-ending rule drops (no late write): resume gives the file back byte for byte, status as before', async () => {
    const fRepo = await makeTempRepo({
      files: {
        '.gitattributes': '*.ipynb filter=strip\n*.txt text eol=lf\n',
        'nb.ipynb': 'cell\n',
        'notes.txt': 'one\n',
      },
      config: STRIP_OUTPUTS_FILTER,
    });
    try {
      const s = await shellSession('filtered-bytes', fRepo.path);
      const wt = s.worktreePath;
      writeFileSync(join(wt, 'nb.ipynb'), 'cell\ncell 2\nOUTPUT: result of a 3-hour run\n');
      writeFileSync(join(wt, 'notes.txt'), 'one\r\ntwo\r\n');
      const statusBefore = await git(wt, 'status', '--porcelain', '--untracked-files=all');
      const paused = await h.call('sessions.pause', { sessionId: s.id });
      expect(paused.status).toBe('paused');
      // The branch holds what git stores (filtered, LF); the exact bytes wait in the data dir.
      expect(await git(fRepo.path, 'show', `${s.branch}:nb.ipynb`)).toBe('cell\ncell 2\n');
      await h.call('sessions.resume', { sessionId: s.id });
      await h.call('sessions.stop', { sessionId: s.id });
      expect(readFileSync(join(wt, 'nb.ipynb'), 'utf8')).toBe('cell\ncell 2\nOUTPUT: result of a 3-hour run\n');
      expect(readFileSync(join(wt, 'notes.txt'), 'utf8')).toBe('one\r\ntwo\r\n');
      expect(await git(wt, 'status', '--porcelain', '--untracked-files=all')).toBe(statusBefore);

      // Paused again, terminating would drop those bytes: listed, refused unless accepted.
      await h.call('sessions.pause', { sessionId: s.id });
      const v = await h.call('sessions.removalCheck', { sessionId: s.id, deleteBranch: false });
      const kept = v.verdict === 'loses' ? v.items.filter((i) => /kept aside while paused/.test(i.detail)) : [];
      expect(kept.map((i) => i.subject).sort()).toEqual(['nb.ipynb', 'notes.txt']);
      expect(outcome(await h.request('sessions.terminate', { sessionId: s.id }))).toMatch(/^WORK_AT_RISK/);
      expect(existsSync(join(home.path, 'paused', s.id))).toBe(true);
      const ended = await h.call('sessions.terminate', { sessionId: s.id, acceptLoss: v.fingerprint });
      expect(ended.status).toBe('terminated');
      expect(existsSync(join(home.path, 'paused', s.id))).toBe(false);
    } finally {
      await fRepo.cleanup();
    }
  });

  it('an accepted ignored folder covers what it held when the user looked: a file changed or added in it after asks again', async () => {
    const iRepo = await makeTempRepo({ files: { '.gitignore': 'config/\n', 'a.txt': 'a\n' } });
    try {
      const s = await shellSession('ignored-folder', iRepo.path);
      const wt = s.worktreePath;
      mkdirSync(join(wt, 'config'));
      writeFileSync(join(wt, 'config/.env'), 'KEY=1\n');
      const verdictOf = (r: Awaited<ReturnType<typeof h.request>>) =>
        (r.ok ? null : r.error.details?.verdict) as { fingerprint: string; items: Array<{ subject: string }> };
      const shown = verdictOf(await h.request('sessions.pause', { sessionId: s.id }));
      expect(shown.items.map((i) => i.subject)).toEqual(['config/']);
      // After the user looked: the secret in the accepted folder is edited (same size), then a file is added.
      writeFileSync(join(wt, 'config/.env'), 'KEY=2\n');
      const edited = await h.request('sessions.pause', { sessionId: s.id, acceptLoss: shown.fingerprint });
      expect(outcome(edited)).toMatch(/^WORK_AT_RISK: .*The list changed since it was shown/);
      const second = verdictOf(edited);
      writeFileSync(join(wt, 'config/notes.md'), 'new\n');
      const added = await h.request('sessions.pause', { sessionId: s.id, acceptLoss: second.fingerprint });
      expect(outcome(added)).toMatch(/^WORK_AT_RISK: .*The list changed since it was shown/);
      expect(readFileSync(join(wt, 'config/.env'), 'utf8')).toBe('KEY=2\n');
      expect(await h.call('sessions.get', { sessionId: s.id })).toMatchObject({ status: 'stopped', paused: null });
      // Accepting what is there now pauses.
      const paused = await h.call('sessions.pause', { sessionId: s.id, acceptLoss: verdictOf(added).fingerprint });
      expect(paused.status).toBe('paused');
    } finally {
      await iRepo.cleanup();
    }
  });

  it('a git failure while committing the work (after the program was stopped): a clear typed error, nothing changed, the session starts again', async () => {
    const [s] = await h.call('sessions.create', {
      name: 'failing-add',
      repoPath: repo.path,
      program: 'bash',
      args: ['--noprofile', '--norc'],
    });
    const wt = s.worktreePath;
    const tip = (await git(wt, 'rev-parse', 'HEAD')).trim();
    await waitFor('the shell to run', async () => (await h.call('sessions.get', { sessionId: s.id })).pid !== null);
    // A required clean filter that fails: `git add` of the new file fails (status does not run it).
    await git(repo.path, 'config', 'filter.broken.clean', 'false');
    await git(repo.path, 'config', 'filter.broken.required', 'true');
    writeFileSync(join(repo.path, '.git/info/attributes'), '*.bin filter=broken\n');
    try {
      writeFileSync(join(wt, 'data.bin'), 'data\n');
      const r = await h.request('sessions.pause', { sessionId: s.id });
      expect(outcome(r)).toMatch(
        /^GIT_ERROR: Pausing "failing-add" failed while committing its work; nothing was changed .* Start it to go on\./,
      );
      const after = await h.call('sessions.get', { sessionId: s.id });
      expect(after).toMatchObject({ status: 'stopped', paused: null });
      expect((await git(repo.path, 'rev-parse', s.branch)).trim()).toBe(tip);
      expect(readFileSync(join(wt, 'data.bin'), 'utf8')).toBe('data\n');
      expect(await git(repo.path, 'for-each-ref', `refs/multisession/paused/${s.id}`)).toBe('');
      expect((await h.call('sessions.start', { sessionId: s.id })).pid).not.toBeNull();
      await h.call('sessions.stop', { sessionId: s.id });
    } finally {
      writeFileSync(join(repo.path, '.git/info/attributes'), '');
      await git(repo.path, 'config', '--remove-section', 'filter.broken');
    }
  });
});
