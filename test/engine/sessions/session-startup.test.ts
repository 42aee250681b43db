import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/shared/domain';
import { isAlive } from '../../../src/main/engine/process/process-tree';
import { Database } from '../../../src/main/engine/store/database';
import { RuntimeStore } from '../../../src/main/engine/store/runtime-store';
import { SessionStore } from '../../../src/main/engine/store/session-store';
import { openEngine, type Harness } from '../../support/engine-harness';
import { makeTempDir, makeTempRepo, runGit, type TempDir } from '../../support/temp-repo';
import { stopTerminalHosts, terminalHostLock } from '../../support/terminal-host';
import { waitFor } from '../../support/wait-for';

// What an engine finds when it opens on a data dir whose programs lived on without it (in the
// detached terminal host), died with it, or belong to no record any more — and the terminal host
// dying under a running engine. Each test quits the app keeping its programs, changes the world
// the way a crash, a reboot or an exit would, and opens the engine again.
let home: TempDir;
let repo: TempDir;
let h: Harness | null = null;

beforeEach(async () => {
  home = await makeTempDir('ms-startup-');
  repo = await makeTempRepo();
  h = await openEngine({ home: home.path });
});
afterEach(async () => {
  await h?.close();
  h = null;
  await stopTerminalHosts(home.path);
  await home.cleanup();
  await repo.cleanup();
});

async function createRunning(name: string, program: string, args: string[]): Promise<Session> {
  const [s] = await h!.call('sessions.create', { name, repoPath: repo.path, program, args });
  return waitFor(`${name} to run`, async () => {
    const x = await h!.call('sessions.get', { sessionId: s.id });
    return x.pid !== null && x.status !== 'queued' ? x : null;
  });
}

/** The app quits and leaves its programs running in the terminal host, as quitting does. */
async function quitKeepingPrograms(): Promise<void> {
  await h!.close({ stopPrograms: false });
  h = null;
}

async function withStore<T>(f: (db: Database) => Promise<T>): Promise<T> {
  const db = await Database.open(join(home.path, 'multisession.db'));
  try {
    return await f(db);
  } finally {
    await db.close();
  }
}

const get = (id: string) => h!.call('sessions.get', { sessionId: id });

describe('opening on what the last engine left', () => {
  it('a program that exited while no engine ran has its exit code recorded', async () => {
    const s = await createRunning('exits', 'sh', ['-c', 'while [ ! -e go ]; do sleep 0.05; done; exit 3']);
    await quitKeepingPrograms();
    writeFileSync(join(s.worktreePath, 'go'), '');
    await waitFor('the program to exit', () => !isAlive(s.pid!));
    h = await openEngine({ home: home.path });
    const after = await waitFor('the exit to be recorded', async () => {
      const x = await get(s.id);
      return x.status === 'error' ? x : null;
    });
    expect(after).toMatchObject({ exitCode: 3, pid: null, errorReason: 'Program exited with code 3' });
  });

  it('programs that died with the terminal host while the app was closed are errors that say so', async () => {
    const s = await createRunning('lost', 'sleep', ['300']);
    await quitKeepingPrograms();
    await stopTerminalHosts(home.path);
    expect(isAlive(s.pid!)).toBe(false);
    h = await openEngine({ home: home.path });
    const after = await get(s.id);
    expect(after.status).toBe('error');
    expect(after.pid).toBeNull();
    expect(after.errorReason).toMatch(/program was lost: its terminal host stopped while Multisession was not running/);
    // Nothing is started behind the user's back; starting again works.
    const started = await h.call('sessions.start', { sessionId: s.id });
    expect(['queued', 'active', 'idle', 'busy']).toContain(started.status);
  });

  it('after a reboot with "restore after restart" off, running sessions are stopped and left for the user', async () => {
    const s = await createRunning('rebooted', 'sleep', ['300']);
    await h!.engine.settings.update({ restoreAfterRestart: false });
    await quitKeepingPrograms();
    await stopTerminalHosts(home.path);
    await withStore((db) => new RuntimeStore(db).update({ bootId: 'a-boot-before-the-restart' }));
    h = await openEngine({ home: home.path });
    const after = await get(s.id);
    expect(after).toMatchObject({ status: 'stopped', pid: null, restoredAs: null });
    expect(existsSync(after.worktreePath)).toBe(true);
  });

  it('a program still running for a record that is gone is stopped as an orphan', async () => {
    const s = await createRunning('orphan', 'sleep', ['300']);
    await quitKeepingPrograms();
    await withStore((db) => new SessionStore(db).delete(s.id));
    expect(isAlive(s.pid!)).toBe(true);
    h = await openEngine({ home: home.path });
    await waitFor('the orphaned program to be stopped', () => !isAlive(s.pid!));
    expect((await h.request('sessions.get', { sessionId: s.id })).ok).toBe(false);
  });
});

describe('the terminal host dies under a running engine', () => {
  it('its running sessions become errors naming the loss; a stopped one is untouched', async () => {
    const running = await createRunning('running', 'sleep', ['300']);
    const [stopped] = await h!.call('sessions.create', {
      name: 'stopped',
      repoPath: repo.path,
      program: 'bash',
      autoStart: false,
    });
    const lock = terminalHostLock(home.path);
    expect(lock).not.toBeNull();
    process.kill(lock!.pid, 'SIGKILL');
    const after = await waitFor('the session to be marked lost', async () => {
      const x = await get(running.id);
      return x.status === 'error' ? x : null;
    });
    expect(after.pid).toBeNull();
    expect(after.errorReason).toMatch(/the program was lost\. Start the session again to continue\./);
    expect((await get(stopped.id)).status).toBe('stopped');
    // Said once for all lost sessions, after their records.
    const notice = await waitFor('the notification', () =>
      h!.peer.events.find((e) => e.name === 'notify' && JSON.stringify(e.payload).includes('terminal host stopped')),
    );
    expect(notice.payload).toMatchObject({
      kind: 'error',
      sessionId: running.id,
      title: 'The terminal host stopped: 1 session lost',
    });
  });
});

describe('an interrupted creation', () => {
  it('is found by the folder it claimed; recover finishes the checkout without overwriting and keeps the work', async () => {
    const [s] = await h!.call('sessions.create', {
      name: 'cut',
      repoPath: repo.path,
      program: 'bash',
      autoStart: false,
    });
    // Not interrupted: nothing to recover.
    const refused = await h!.request('sessions.recover', { sessionId: s.id });
    expect(refused.ok ? null : refused.error.code).toBe('INVALID_STATE');
    await quitKeepingPrograms();
    // The host stopped between claiming the folder and saving the path, mid-checkout: no index
    // yet, a tracked file not written, and the user (or a setup step) already wrote one file.
    const gitDir = (await runGit(s.worktreePath, ['rev-parse', '--absolute-git-dir'])).trim();
    rmSync(join(gitDir, 'index'));
    rmSync(join(s.worktreePath, 'README.md'));
    writeFileSync(join(s.worktreePath, 'notes.txt'), 'mine\n');
    await withStore((db) => new SessionStore(db).save({ ...s, status: 'initializing', worktreePath: '', branch: '' }));
    h = await openEngine({ home: home.path });
    const found = await get(s.id);
    expect(found).toMatchObject({
      status: 'error',
      recovery: 'interrupted-create',
      worktreePath: s.worktreePath,
      branch: s.branch,
    });
    expect(found.errorReason).toMatch(/Creation was interrupted/);
    const kept = await h.call('sessions.recover', { sessionId: s.id });
    expect(kept).toMatchObject({ status: 'stopped', recovery: null, errorReason: null });
    expect(readFileSync(join(s.worktreePath, 'README.md'), 'utf8')).toBe('# test repository\n');
    expect(readFileSync(join(s.worktreePath, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect((await runGit(s.worktreePath, ['status', '--porcelain'])).trim()).toBe('?? notes.txt');
  });
});
