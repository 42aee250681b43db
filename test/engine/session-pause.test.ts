import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/main/engine/process/process-tree';
import type { Session } from '../../src/shared/domain';
import { outcome, terminateAccepting } from '../support/accept-loss';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempDir, makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { waitFor } from '../support/wait-for';

// Pause / resume (claude-squad's) on real repositories, real PTYs and real SQLite: the work goes
// to the branch, the folder goes, and resume gives back every file, the staged state and the
// agent's conversation.

const fakeAgent = resolve(__dirname, '../fixtures/fake-agent.mjs');
let home: TempDir;
let repo: TempDir;
let bin: TempDir;
let h: Harness;

beforeAll(async () => {
  home = await makeTempDir('ms-pause-');
  repo = await makeTempRepo({
    files: { 'a.txt': 'a\n', 'b.txt': 'b\n', 'gone.txt': 'x\n', '.gitignore': 'node_modules/\n.env*\n' },
  });
  bin = await makeTempDir('ms-pause-bin-');
  // The fake agent under Claude Code's name: the resume table gives it `--continue`.
  writeFileSync(
    join(bin.path, 'claude'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(fakeAgent)} "$@"\n`,
  );
  chmodSync(join(bin.path, 'claude'), 0o755);
  h = await openEngine({ home: home.path, terminals: 'in-process' });
});
afterAll(async () => {
  await h?.close();
  for (const d of [home, repo, bin]) await d.cleanup();
});

const git = (cwd: string, ...args: string[]) => runGit(cwd, args);
const screen = async (id: string) => (await h.engine.terminals.serialize(id)) ?? '';
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

async function shellSession(name: string): Promise<Session> {
  const [s] = await h.call('sessions.create', { name, repoPath: repo.path, program: 'bash', autoStart: false });
  return s;
}

describe('pause and resume', () => {
  it('pause commits every change to the branch and frees the folder; resume gives back files, staged state and the conversation', async () => {
    const [s] = await h.call('sessions.create', {
      name: 'pauser',
      repoPath: repo.path,
      program: join(bin.path, 'claude'),
      args: ['--no-confirm', '--spin-ms', '50', '--hold'],
      env: { FAKE_AGENT_HOME: join(home.path, 'fake-agent-home') },
    });
    const convo = await waitFor('the conversation to start', async () =>
      /Conversation ([0-9a-f]{12})/.exec(await screen(s.id)),
    );
    const wt = s.worktreePath;
    // The fake agent writes its file once it is under way; the snapshot below includes it.
    await waitFor('the agent to write its file', () => existsSync(join(wt, 'AGENT_EDIT.md')));
    // Staged, staged-then-edited, unstaged, deleted, new and executable files.
    writeFileSync(join(wt, 'a.txt'), 'a staged\n');
    await git(wt, 'add', 'a.txt');
    writeFileSync(join(wt, 'a.txt'), 'a staged, then edited\n');
    writeFileSync(join(wt, 'b.txt'), 'b unstaged\n');
    await git(wt, 'rm', '-q', 'gone.txt');
    mkdirSync(join(wt, 'src/deep'), { recursive: true });
    writeFileSync(join(wt, 'src/deep/new.ts'), 'export const x = 1;\n');
    writeFileSync(join(wt, 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    const files = ['a.txt', 'b.txt', 'src/deep/new.ts', 'run.sh'];
    const before = Object.fromEntries(files.map((f) => [f, readFileSync(join(wt, f), 'utf8')]));
    const statusBefore = await git(wt, 'status', '--porcelain=v1', '--untracked-files=all');
    const stagedBefore = await git(wt, 'diff', '--cached');
    const headBefore = (await git(wt, 'rev-parse', 'HEAD')).trim();
    const pid = (await h.call('sessions.get', { sessionId: s.id })).pid!;

    const paused = await h.call('sessions.pause', { sessionId: s.id });
    expect(paused.status).toBe('paused');
    expect(paused.pid).toBeNull();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(wt)).toBe(false);
    expect(paused.worktreeMissing).toBeNull();
    // The branch holds the work: one commit on top of the old tip with every file as it was.
    const tip = (await git(repo.path, 'rev-parse', s.branch)).trim();
    expect(tip).toBe(paused.paused!.wip);
    expect((await git(repo.path, 'rev-parse', `${s.branch}~1`)).trim()).toBe(headBefore);
    for (const f of files) expect(await git(repo.path, 'show', `${s.branch}:${f}`)).toBe(before[f]);
    await expect(git(repo.path, 'show', `${s.branch}:gone.txt`)).rejects.toThrow();
    expect((await git(repo.path, 'worktree', 'list')).includes(wt)).toBe(false);
    // A paused session cannot start or pause its way around resume.
    expect(code(await h.request('sessions.start', { sessionId: s.id }))).toBe('INVALID_STATE');
    expect((await h.call('sessions.pause', { sessionId: s.id })).status).toBe('paused');

    const resumed = await h.call('sessions.resume', { sessionId: s.id });
    expect(resumed.paused).toBeNull();
    expect(resumed.restoredAs).toBe('resumed');
    expect(existsSync(wt)).toBe(true);
    for (const f of files) expect(readFileSync(join(wt, f), 'utf8')).toBe(before[f]);
    expect(existsSync(join(wt, 'gone.txt'))).toBe(false);
    expect(await git(wt, 'status', '--porcelain=v1', '--untracked-files=all')).toBe(statusBefore);
    expect(await git(wt, 'diff', '--cached')).toBe(stagedBefore);
    expect((await git(wt, 'rev-parse', 'HEAD')).trim()).toBe(headBefore);
    expect(await git(repo.path, 'for-each-ref', 'refs/multisession/')).toBe('');
    await waitFor('the agent to continue its conversation', async () =>
      (await screen(s.id)).includes(`Resumed conversation ${convo[1]}`),
    );
    expect(code(await h.request('sessions.resume', { sessionId: s.id }))).toBe('INVALID_STATE');
    // Pausing again needs nothing accepted: the first WIP commit is not "lost work" of the new folder.
    expect(outcome(await h.request('sessions.pause', { sessionId: s.id }))).toBe('ok');
    await h.call('sessions.resume', { sessionId: s.id });
    expect(await git(wt, 'status', '--porcelain=v1', '--untracked-files=all')).toBe(statusBefore);
    await h.call('sessions.stop', { sessionId: s.id });
  });

  it('ignored files are listed and the pause refused unless exactly that loss is accepted', async () => {
    const s = await shellSession('ignored');
    const wt = s.worktreePath;
    mkdirSync(join(wt, 'node_modules/pkg'), { recursive: true });
    writeFileSync(join(wt, 'node_modules/pkg/index.js'), 'module.exports = 1;\n');
    writeFileSync(join(wt, '.env.local'), 'SECRET=1\n');
    writeFileSync(join(wt, 'b.txt'), 'changed\n');
    const tip = (await git(repo.path, 'rev-parse', s.branch)).trim();
    const refused = await h.request('sessions.pause', { sessionId: s.id });
    expect(code(refused)).toBe('WORK_AT_RISK');
    const verdict = (refused.ok ? null : refused.error.details?.verdict) as {
      fingerprint: string;
      items: Array<{ subject: string }>;
    };
    expect(verdict.items.map((i) => i.subject).sort()).toEqual(['.env.local', 'node_modules/']);
    // Nothing changed: folder, files, branch, status.
    expect(readFileSync(join(wt, 'b.txt'), 'utf8')).toBe('changed\n');
    expect((await git(repo.path, 'rev-parse', s.branch)).trim()).toBe(tip);
    expect((await h.call('sessions.get', { sessionId: s.id })).status).toBe('stopped');
    // A terminate's acceptance is not a pause's.
    const terminateVerdict = await h.call('sessions.removalCheck', { sessionId: s.id, deleteBranch: false });
    expect(code(await h.request('sessions.pause', { sessionId: s.id, acceptLoss: terminateVerdict.fingerprint }))).toBe(
      'WORK_AT_RISK',
    );
    // A file edited after the user looked is not covered by what they accepted.
    writeFileSync(join(wt, '.env.local'), 'SECRET=2\n');
    expect(code(await h.request('sessions.pause', { sessionId: s.id, acceptLoss: verdict.fingerprint }))).toBe(
      'WORK_AT_RISK',
    );
    const fresh = await h.request('sessions.pause', { sessionId: s.id });
    const fp = (fresh.ok ? null : fresh.error.details?.verdict) as { fingerprint: string };
    const paused = await h.call('sessions.pause', { sessionId: s.id, acceptLoss: fp.fingerprint });
    expect(paused.status).toBe('paused');
    expect(existsSync(wt)).toBe(false);
    expect(await git(repo.path, 'show', `${s.branch}:b.txt`)).toBe('changed\n');
    const back = await h.call('sessions.resume', { sessionId: s.id });
    expect(readFileSync(join(back.worktreePath, 'b.txt'), 'utf8')).toBe('changed\n');
    expect(existsSync(join(wt, '.env.local'))).toBe(false);
    await h.call('sessions.stop', { sessionId: s.id });
  });

  it('refuses with nothing changed: a merge under way, a locked worktree; resume into an occupied folder', async () => {
    const s = await shellSession('blocked');
    const wt = s.worktreePath;
    await git(wt, 'switch', '-q', '-c', 'side');
    writeFileSync(join(wt, 'a.txt'), 'side\n');
    await git(wt, 'commit', '-qam', 'side');
    await git(wt, 'switch', '-q', s.branch);
    writeFileSync(join(wt, 'a.txt'), 'mine\n');
    await git(wt, 'commit', '-qam', 'mine');
    await git(wt, 'merge', 'side').catch(() => undefined); // stops with a conflict
    const merging = await h.request('sessions.pause', { sessionId: s.id });
    expect(code(merging)).toBe('NOT_PAUSABLE');
    expect(merging.ok ? '' : merging.error.message).toMatch(/merge is under way/);
    expect(existsSync(join(wt, 'a.txt'))).toBe(true);
    await git(wt, 'merge', '--abort');
    await git(repo.path, 'worktree', 'lock', wt);
    expect(code(await h.request('sessions.pause', { sessionId: s.id }))).toBe('NOT_PAUSABLE');
    await git(repo.path, 'worktree', 'unlock', wt);

    await h.call('sessions.pause', { sessionId: s.id });
    mkdirSync(wt);
    writeFileSync(join(wt, 'someone-else.txt'), 'keep me\n');
    const busy = await h.request('sessions.resume', { sessionId: s.id });
    expect(code(busy)).toBe('FOLDER_IN_USE');
    expect(readFileSync(join(wt, 'someone-else.txt'), 'utf8')).toBe('keep me\n');
    expect((await h.call('sessions.get', { sessionId: s.id })).status).toBe('paused');
  });

  it('a paused session survives a restart of the engine, and terminating it keeps its work unless accepted', async () => {
    const s = await shellSession('restart');
    writeFileSync(join(s.worktreePath, 'work.txt'), 'precious\n');
    await h.call('sessions.pause', { sessionId: s.id });
    await h.close();
    h = await openEngine({ home: home.path, terminals: 'in-process' });
    const again = await h.call('sessions.get', { sessionId: s.id });
    expect(again.status).toBe('paused');
    expect(again.worktreeMissing).toBeNull();
    // Cleanup does not count the paused folder as an orphan, nor its record as left over.
    const preview = await h.call('cleanup.preview', {});
    expect([...preview.removed, ...preview.kept].filter((i) => i.sessionId === s.id)).toEqual([]);

    // Deleting the branch would lose the WIP commit: refused unless accepted.
    const refused = await h.request('sessions.terminate', { sessionId: s.id, deleteBranch: true });
    expect(code(refused)).toBe('WORK_AT_RISK');
    expect(await git(repo.path, 'show', `${s.branch}:work.txt`)).toBe('precious\n');
    const ended = await h.request('sessions.terminate', { sessionId: s.id, deleteBranch: false });
    expect(outcome(ended)).toBe('ok');
    expect(await git(repo.path, 'show', `${s.branch}:work.txt`)).toBe('precious\n');
    expect(await git(repo.path, 'for-each-ref', `refs/multisession/paused/${s.id}`)).toBe('');
    const gone = await shellSession('gone');
    await h.call('sessions.pause', { sessionId: gone.id });
    expect(outcome(await terminateAccepting(h, gone.id, { deleteBranch: true }))).toBe('ok');
  });

  it("files Multisession copied in and the setup script's output come back on resume without being committed or listed", async () => {
    writeFileSync(join(repo.path, '.env.development'), 'TOKEN=from-the-repo\n');
    const [s] = await h.call('sessions.create', {
      name: 'copied',
      repoPath: repo.path,
      program: 'bash',
      autoStart: false,
      copyInPatterns: ['.env.development'],
      setupScript: 'printf generated > setup-output.txt',
    });
    const wt = s.worktreePath;
    expect(readFileSync(join(wt, '.env.development'), 'utf8')).toBe('TOKEN=from-the-repo\n');
    writeFileSync(join(wt, 'mine.txt'), 'my work\n');
    // Nothing to accept: the placed files are kept aside, not lost.
    const paused = await h.call('sessions.pause', { sessionId: s.id });
    expect(paused.status).toBe('paused');
    const committed = await git(repo.path, 'ls-tree', '-r', '--name-only', s.branch);
    expect(committed).toContain('mine.txt');
    expect(committed).not.toContain('.env.development');
    expect(committed).not.toContain('setup-output.txt');
    // Kept aside in the data dir, owner-only, never in the repository's object store (where a
    // `push --mirror` of refs/* would upload the secret).
    const blob = (await git(repo.path, 'hash-object', '.env.development')).trim();
    await expect(git(repo.path, 'cat-file', '-e', blob)).rejects.toThrow();
    const aside = join(home.path, 'paused', s.id);
    expect(statSync(aside).mode & 0o777).toBe(0o700);
    const keptFiles = readdirSync(aside, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(keptFiles.map((e) => e.name).sort()).toContain('.env.development');
    for (const f of keptFiles) expect(statSync(join(f.parentPath ?? f.path, f.name)).mode & 0o077).toBe(0);
    // The repository's copy changes meanwhile: resume gives back what the worktree had.
    writeFileSync(join(repo.path, '.env.development'), 'TOKEN=changed-later\n');
    await h.call('sessions.resume', { sessionId: s.id });
    expect(readFileSync(join(wt, '.env.development'), 'utf8')).toBe('TOKEN=from-the-repo\n');
    expect(readFileSync(join(wt, 'setup-output.txt'), 'utf8')).toBe('generated');
    expect(readFileSync(join(wt, 'mine.txt'), 'utf8')).toBe('my work\n');
    expect(await git(wt, 'status', '--porcelain', '--untracked-files=all')).toBe('?? mine.txt\n?? setup-output.txt\n');
    expect(existsSync(aside)).toBe(false);
    await h.call('sessions.stop', { sessionId: s.id });
  });

  it('a pause the removal refuses late is undone: branch back at its tip, folder and record untouched', async () => {
    const s = await shellSession('undone');
    const wt = s.worktreePath;
    writeFileSync(join(wt, 'b.txt'), 'edited\n');
    const tip = (await git(repo.path, 'rev-parse', s.branch)).trim();
    // The folder's ownership marker is gone: the one executor refuses (UNSAFE_PATH) after the WIP commit was made.
    rmSync(join(dirname(wt), `.${basename(wt)}.multisession`));
    const refused = await h.request('sessions.pause', { sessionId: s.id });
    expect(code(refused)).toBe('UNSAFE_PATH');
    expect((await git(repo.path, 'rev-parse', s.branch)).trim()).toBe(tip);
    expect(await git(wt, 'status', '--porcelain')).toBe(' M b.txt\n');
    expect(await git(repo.path, 'for-each-ref', 'refs/multisession/')).toBe('');
    const after = await h.call('sessions.get', { sessionId: s.id });
    expect([after.status, after.paused]).toEqual(['stopped', null]);
  });

  it('a resume the host stopped after the checkout is finished on the next start', async () => {
    const s = await shellSession('half-resumed');
    const wt = s.worktreePath;
    writeFileSync(join(wt, 'b.txt'), 'staged\n');
    await git(wt, 'add', 'b.txt');
    writeFileSync(join(wt, 'c.txt'), 'new\n');
    const statusBefore = await git(wt, 'status', '--porcelain', '--untracked-files=all');
    const paused = await h.call('sessions.pause', { sessionId: s.id });
    await h.close();
    // What resume does first, then the host stops: the folder is back on the WIP commit.
    await git(repo.path, 'worktree', 'add', '--quiet', wt, s.branch);
    h = await openEngine({ home: home.path, terminals: 'in-process' });
    const after = await h.call('sessions.get', { sessionId: s.id });
    expect([after.status, after.paused]).toEqual(['stopped', null]);
    expect((await git(wt, 'rev-parse', 'HEAD')).trim()).toBe(paused.paused!.base);
    expect(await git(wt, 'status', '--porcelain', '--untracked-files=all')).toBe(statusBefore);
  });

  it('a sparse checkout comes back with the same folders', async () => {
    const sparseRepo = await makeTempRepo({
      files: { 'app/main.txt': 'app\n', 'lib/big.txt': 'lib\n', 'top.txt': 'top\n' },
    });
    try {
      await h.call('settings.update', { repoSettings: { [sparseRepo.path]: { sparse: ['app'] } } });
      const [s] = await h.call('sessions.create', {
        name: 'sparse',
        repoPath: sparseRepo.path,
        program: 'bash',
        autoStart: false,
      });
      const wt = s.worktreePath;
      expect(existsSync(join(wt, 'lib/big.txt'))).toBe(false);
      writeFileSync(join(wt, 'app/main.txt'), 'app, edited\n');
      await git(wt, 'add', 'app/main.txt');
      writeFileSync(join(wt, 'app/new.txt'), 'new\n');
      const statusBefore = await git(wt, 'status', '--porcelain', '--untracked-files=all');
      await h.call('sessions.pause', { sessionId: s.id });
      await h.call('sessions.resume', { sessionId: s.id });
      expect(existsSync(join(wt, 'lib/big.txt'))).toBe(false);
      expect(readFileSync(join(wt, 'app/main.txt'), 'utf8')).toBe('app, edited\n');
      expect(await git(wt, 'status', '--porcelain', '--untracked-files=all')).toBe(statusBefore);
      expect(await git(wt, 'sparse-checkout', 'list')).toBe('app\n');
      await h.call('sessions.stop', { sessionId: s.id });
    } finally {
      await sparseRepo.cleanup();
    }
  });
});
