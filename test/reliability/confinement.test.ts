import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseJson } from '../../src/shared/json';
import { markerPathFor } from '../../src/main/engine/safety/owned-folders';
import { repoFolderName } from '../../src/main/engine/git/worktree-paths';
import { Database } from '../../src/main/engine/store/database';
import { cleanupAccepting, terminateAccepting } from '../support/accept-loss';
import { openEngine } from '../support/engine-harness';
import { makeTempDir, makeTempRepo, type TempDir } from '../support/temp-repo';
import { PropertyTally } from './support/report';

// Ownership and confinement: the app removes only folders it created (recorded in the store and
// marked) under its worktree root; the root can never be `/`, the home folder, a repository, or a
// folder holding someone else's files — refused with UNSAFE_PATH, with or without force.
const tally = new PropertyTally('confinement');
let repo: TempDir;
let scratch: TempDir;

beforeAll(async () => {
  repo = await makeTempRepo({ files: 2 });
  scratch = await makeTempDir('ms-conf-');
});
afterAll(async () => {
  tally.report();
  await repo.cleanup();
  await scratch.cleanup();
});

/** Every file under `dir` with its content: what must not change. */
function snapshot(dir: string): string {
  if (!existsSync(dir)) return '(missing)';
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `${join(e.parentPath, e.name)}=${readFileSync(join(e.parentPath, e.name), 'utf8')}`)
    .sort()
    .join('\n');
}

describe('the worktree root', () => {
  it('refuses /, home, repositories and folders holding other files; nothing is saved or written', async () => {
    const h = await openEngine();
    try {
      const userFolder = join(scratch.path, 'user-stuff');
      mkdirSync(join(userFolder, 'project'), { recursive: true });
      writeFileSync(join(userFolder, 'project', 'thesis.tex'), 'years of work\n');
      writeFileSync(join(scratch.path, 'a-file'), 'x\n');
      const cases: Array<[string, string]> = [
        ['/', 'the root of the disk'],
        ['~', 'home'],
        ['~/', 'home'],
        [homedir(), 'home'],
        // The folder holding home (`/` when home is /root): refused either way.
        [join(homedir(), '..'), ''],
        [repo.path, 'repository'],
        [join(repo.path, 'sub', 'worktrees'), 'repository'],
        [userFolder, 'Multisession did not create'],
        [join(scratch.path, 'a-file'), 'file'],
      ];
      const before = await h.call('settings.get', {});
      const disk = snapshot(scratch.path);
      for (const [path, why] of cases) {
        tally.fault();
        const r = await h.request('settings.update', { worktreeRoot: path });
        tally.check(
          !r.ok && r.error.code === 'UNSAFE_PATH',
          `worktreeRoot ${path}: ${r.ok ? 'accepted' : r.error.code}`,
        );
        tally.check(
          !r.ok && r.error.message.includes(why),
          `worktreeRoot ${path}: message ${r.ok ? '' : r.error.message}`,
        );
      }
      tally.check(
        JSON.stringify(await h.call('settings.get', {})) === JSON.stringify(before),
        'a refused root changed the settings',
      );
      tally.check(snapshot(scratch.path) === disk, 'a refused root wrote into the folder');
      tally.check(!existsSync(join(repo.path, 'sub')), 'a refused root inside a repository created folders');
      // A new or empty folder is fine: created and marked; `~` expands.
      const fresh = join(scratch.path, 'fresh-root');
      const ok = await h.call('settings.update', { worktreeRoot: fresh });
      tally.check(
        ok.worktreeRoot === fresh && existsSync(join(fresh, '.multisession-root')),
        'a new root was not marked',
      );
    } finally {
      await h.close();
    }
    expect(tally.failed).toEqual([]);
  });

  it('`~` is expanded to the home folder', async () => {
    const home = await makeTempDir('ms-home-');
    const saved = process.env.HOME;
    process.env.HOME = home.path;
    const h = await openEngine();
    try {
      const s = await h.call('settings.update', { worktreeRoot: '~/ms-worktrees' });
      tally.check(s.worktreeRoot === join(home.path, 'ms-worktrees'), `~ not expanded: ${s.worktreeRoot}`);
      tally.check(existsSync(join(home.path, 'ms-worktrees', '.multisession-root')), 'the expanded root was not made');
    } finally {
      await h.close();
      process.env.HOME = saved;
      await home.cleanup();
    }
    expect(tally.failed).toEqual([]);
  });
});

describe('removal is confined to the app’s own folders', () => {
  it('user folders inside the root, a forged marker, and a stored `/` root survive cleanup with force', async () => {
    const h = await openEngine();
    const root = join(scratch.path, 'root-in-use');
    try {
      await h.call('settings.update', { worktreeRoot: root });
      const [a, b] = await h.call('sessions.create', {
        name: 'conf',
        repoPath: repo.path,
        program: 'bash',
        autoStart: false,
        copies: 2,
      });
      const group = join(root, repoFolderName(repo.path));
      // The user's own things, put there later: beside the groups, inside a group, and one with a
      // copied (forged) ownership marker that the store knows nothing about.
      const mine = [join(root, 'my-notes'), join(group, 'my-experiment'), join(group, 'forged')];
      for (const d of mine) {
        mkdirSync(d, { recursive: true });
        writeFileSync(join(d, 'keep.txt'), `${d}\n`);
      }
      writeFileSync(markerPathFor(join(group, 'forged')), readFileSync(markerPathFor(a.worktreePath)));
      const before = mine.map(snapshot);
      tally.fault(mine.length);
      const preview = await h.call('cleanup.preview', {});
      for (const d of mine.slice(1)) {
        const item = preview.kept.find((k) => k.path === d);
        tally.check(Boolean(item) && item?.verdict === null, `${d}: not reported as never removable`);
      }
      const forced = await cleanupAccepting(h);
      tally.check(forced.ok, 'cleanup with force failed');
      // Terminating the sessions with their loss accepted leaves the group folder (it is not empty).
      for (const s of [a, b]) tally.check((await terminateAccepting(h, s.id)).ok, `terminate ${s.name} failed`);
      await cleanupAccepting(h);
      tally.check(
        mine.every((d, i) => snapshot(d) === before[i]),
        'a folder the app did not create was touched',
      );
      tally.check(
        !existsSync(a.worktreePath) && !existsSync(b.worktreePath),
        'the app’s own worktrees were not removed',
      );
    } finally {
      await h.close();
    }
    // A root stored before roots were checked (here `/`): creation refuses, cleanup searches nothing.
    const db = await Database.open(join(h.home, 'multisession.db'));
    const row = await db.get<{ value: string }>("SELECT value FROM settings WHERE key = 'settings'");
    const stored = parseJson(z.record(z.string(), z.unknown()), row?.value ?? '{}');
    if (!stored.ok) throw new Error(`stored settings unreadable: ${stored.error}`);
    await db.run("UPDATE settings SET value = ? WHERE key = 'settings'", [
      JSON.stringify({ ...stored.value, worktreeRoot: '/' }),
    ]);
    await db.close();
    const h2 = await openEngine({ home: h.home });
    try {
      tally.fault();
      const r = await h2.request('sessions.create', { name: 'slash', repoPath: repo.path, program: 'bash' });
      tally.check(!r.ok && r.error.code === 'UNSAFE_PATH', `create under / was ${r.ok ? 'accepted' : r.error.code}`);
      tally.check(
        (await h2.call('sessions.list', {})).every((s) => s.name !== 'slash'),
        'a refused create left a record',
      );
      const forced = await cleanupAccepting(h2);
      tally.check(forced.ok && forced.value.removed.length === 0, 'cleanup with root / removed something');
      tally.check(!existsSync('/.multisession-root'), 'the app marked /');
    } finally {
      await h2.close();
    }
    expect(tally.failed).toEqual([]);
  });
});
