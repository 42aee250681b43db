import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from '../../../src/shared/domain';
import type { LossKind, RemovalVerdict } from '../../../src/shared/removal';
import type { Harness } from '../../support/engine-harness';
import { runGit } from '../../support/temp-repo';

// The kinds of work the one removal check knows, for the work-loss matrices (terminate and
// cleanup in work-loss.test.ts, pause in work-loss-pause.test.ts): each puts its work into a
// session's worktree and returns what must survive any removal that was not accepted.

export interface Kind {
  name: string;
  /** Loss kinds the check must list for: plain removal, removal with the branch. */
  expect: LossKind[];
  expectWithBranch: LossKind[];
  existingBranch?: boolean;
  /** Pause: done with nothing to accept, refused as not pausable, or refused listing these kinds until accepted. */
  pause: 'paused' | 'not-pausable' | LossKind[];
  /** Puts the work in place; returns what must survive any unaccepted removal. */
  make(s: Session): Promise<() => Promise<boolean>>;
}

export const file = (p: string, content: string) => {
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
};
export const holds = (p: string, content: string) => async () => existsSync(p) && readFileSync(p, 'utf8') === content;
/** Reachable from a ref, any worktree's HEAD or any reflog: somewhere the user can get it back. */
const reachable = (s: Session, sha: string) => async () =>
  (await runGit(s.repoPath, ['rev-list', '--all', '--reflog'])).split('\n').includes(sha);
async function commit(wt: string, label: string): Promise<string> {
  file(join(wt, `${label}.txt`), `${label}\n`);
  await runGit(wt, ['add', '--all']);
  await runGit(wt, ['commit', '--quiet', '-m', label]);
  return (await runGit(wt, ['rev-parse', 'HEAD'])).trim();
}
const nothing = async () => async () => true;
/** Writes `content` at `rel` in the session's worktree; it must survive as written. */
const writes = (rel: string, content: string) => async (s: Session) => {
  const p = join(s.worktreePath, rel);
  file(p, content);
  return holds(p, content);
};

export const kinds: Kind[] = [
  { name: 'clean', pause: 'paused', expect: [], expectWithBranch: [], make: nothing },
  {
    name: 'build-output',
    pause: ['ignored-work'],
    expect: [],
    expectWithBranch: [],
    make: async (s) => (file(join(s.worktreePath, 'node_modules/pkg/.env'), 'dep\n'), async () => true),
  },
  // `.env` is copied in from the repository at creation (default copy-in patterns).
  { name: 'placed-unedited', pause: 'paused', expect: [], expectWithBranch: [], make: nothing },
  {
    name: 'uncommitted',
    pause: 'paused',
    expect: ['uncommitted'],
    expectWithBranch: ['uncommitted'],
    make: writes('file-1.txt', 'edit\n'),
  },
  {
    name: 'untracked',
    pause: 'paused',
    expect: ['untracked'],
    expectWithBranch: ['untracked'],
    make: writes('notes/new.md', 'n\n'),
  },
  {
    name: 'ignored-work',
    pause: ['ignored-work'],
    expect: ['ignored-work'],
    expectWithBranch: ['ignored-work'],
    make: writes('config/.env.production', 'SECRET=1\n'),
  },
  {
    name: 'placed-edited',
    pause: ['ignored-work'],
    expect: ['ignored-work'],
    expectWithBranch: ['ignored-work'],
    make: writes('.env', 'EDITED=1\n'),
  },
  {
    name: 'branch-commits',
    pause: 'paused',
    expect: [],
    expectWithBranch: ['commits'],
    make: async (s) => reachable(s, await commit(s.worktreePath, `bc-${s.id}`)),
  },
  {
    name: 'detached-head',
    pause: 'not-pausable',
    expect: ['commits'],
    expectWithBranch: ['commits'],
    make: async (s) => {
      await runGit(s.worktreePath, ['checkout', '--quiet', '--detach']);
      return reachable(s, await commit(s.worktreePath, `dh-${s.id}`));
    },
  },
  {
    name: 'reflog-only',
    pause: ['reflog-commits'],
    expect: ['reflog-commits'],
    expectWithBranch: ['reflog-commits'],
    make: async (s) => {
      const sha = await commit(s.worktreePath, `rf-${s.id}`);
      await runGit(s.worktreePath, ['reset', '--quiet', '--hard', 'HEAD~1']);
      return reachable(s, sha);
    },
  },
  {
    name: 'stash',
    pause: ['stash'],
    expect: ['stash'],
    expectWithBranch: ['stash'],
    make: async (s) => {
      file(join(s.worktreePath, 'file-2.txt'), 'stashed\n');
      await runGit(s.worktreePath, ['stash', 'push', '--quiet', '-m', `parked ${s.id}`]);
      return async () => (await runGit(s.repoPath, ['stash', 'list'])).includes(`parked ${s.id}`);
    },
  },
  {
    name: 'submodule',
    pause: 'not-pausable',
    expect: ['submodule'],
    expectWithBranch: ['submodule'],
    make: async (s) => {
      await runGit(s.worktreePath, ['-c', 'protocol.file.allow=always', 'submodule', 'update', '--quiet', '--init']);
      const p = join(s.worktreePath, 'lib/sub/lib.txt');
      file(p, 'changed inside the submodule\n');
      return holds(p, 'changed inside the submodule\n');
    },
  },
  {
    name: 'locked',
    pause: 'not-pausable',
    expect: ['locked'],
    expectWithBranch: ['locked'],
    make: async (s) => {
      await runGit(s.repoPath, ['worktree', 'lock', '--reason', 'keep me', s.worktreePath]);
      return async () => existsSync(s.worktreePath);
    },
  },
  {
    name: 'foreign-branch',
    pause: 'paused',
    expect: [],
    expectWithBranch: ['foreign-branch'],
    existingBranch: true,
    make: nothing,
  },
];

let seq = 0;
/** A bash session (not started) for the kind, in `repoPath`; a foreign-branch kind gets a branch of its own. */
export async function create(h: Harness, k: Kind, repoPath: string): Promise<Session> {
  const n = ++seq;
  if (k.existingBranch) await runGit(repoPath, ['branch', `theirs-${n}`, 'main']);
  const [s] = await h.call('sessions.create', {
    name: `wl ${k.name} ${n}`,
    repoPath,
    program: 'bash',
    autoStart: false,
    ...(k.existingBranch ? { existingBranch: `theirs-${n}` } : {}),
  });
  return s;
}

export const kindsOf = (v: RemovalVerdict | undefined) =>
  new Set(v && v.verdict === 'loses' ? v.items.map((i) => i.kind) : []);
