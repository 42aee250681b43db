import { existsSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/main/engine/process/process-tree';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempRepo, type TempDir } from '../support/temp-repo';
import { waitFor } from '../support/wait-for';
import { PropertyTally } from './support/report';

// Refusals change nothing; operations on one session are serialised. A terminate that will be
// refused is refused before the program is stopped; terminate cancels that session's commands and
// batch items (nothing writes into a removed worktree); of two terminates at once exactly one
// succeeds; a read-only or full data dir refuses before anything changes, memory and disk agreeing.
const tally = new PropertyTally('serialised-ops');
let repo: TempDir;
let h: Harness;

beforeAll(async () => {
  repo = await makeTempRepo({ files: 2 });
  h = await openEngine();
});
afterAll(async () => {
  tally.report();
  await h.close();
  await repo.cleanup();
});

async function session(name: string, autoStart = false) {
  const [s] = await h.call('sessions.create', { name, repoPath: repo.path, program: 'bash', autoStart });
  if (autoStart) await waitFor(`${name} running`, async () => (await h.call('sessions.get', { sessionId: s.id })).pid);
  return h.call('sessions.get', { sessionId: s.id });
}

/** The worktree folders under the engine's root (markers are dot-files). */
function worktreeFolders(): string {
  const root = join(h.home, 'worktrees');
  const visible = (d: string) => (existsSync(d) ? readdirSync(d).filter((e) => !e.startsWith('.')) : []);
  return visible(root)
    .flatMap((g) => visible(join(root, g)).map((w) => join(g, w)))
    .sort()
    .join(',');
}

/** Processes whose working directory is inside `dir` (Linux /proc). */
function processesIn(dir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cwd = readlinkSync(`/proc/${name}/cwd`).replace(/ \(deleted\)$/, '');
      if (cwd === dir || cwd.startsWith(`${dir}/`)) out.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

describe('one operation per session at a time', () => {
  it(
    'terminate during a batch command cancels it, kills it, then removes the worktree',
    { timeout: 120_000 },
    async () => {
      const a = await session('batch-a');
      const b = await session('batch-b');
      const batch = await h.call('batch.run', {
        selector: { sessionIds: [a.id, b.id] },
        command: 'sleep',
        args: ['60'],
        concurrency: 1,
      });
      // a's item runs; b's waits behind it (concurrency 1).
      const pids = await waitFor('the batch command to run', () => {
        const p = processesIn(a.worktreePath);
        return p.length > 0 ? p : null;
      });
      tally.fault(2);
      const [ra, rb] = await Promise.all([
        h.request('sessions.terminate', { sessionId: a.id }),
        h.request('sessions.terminate', { sessionId: b.id }),
      ]);
      tally.check(ra.ok && rb.ok, `terminates during the batch failed: ${JSON.stringify([ra, rb]).slice(0, 300)}`);
      tally.check(
        pids.every((p) => !isAlive(p)),
        `the batch command survived terminate (${pids})`,
      );
      tally.check(!existsSync(a.worktreePath) && !existsSync(b.worktreePath), 'a worktree survived terminate');
      const done = await waitFor('the batch to finish', async () => {
        const x = await h.call('batch.get', { batchId: batch.id });
        return x.status !== 'running' ? x : null;
      });
      for (const item of done.items) {
        tally.check(
          item.status === 'cancelled',
          `batch item of ${item.sessionName} is ${item.status}, not cancelled: ${item.outputTail}`,
        );
      }
      const history = await h.call('commands.history', { sessionId: a.id, limit: 10 });
      tally.check(history.length === 1 && history[0].exitCode === null, 'the killed command was not recorded');
      tally.check(!existsSync(a.worktreePath), 'something wrote into the removed worktree');
      expect(tally.failed).toEqual([]);
    },
  );

  it('of two terminates at once exactly one succeeds', async () => {
    for (let i = 0; i < 3; i++) {
      const s = await session(`twice-${i}`, i === 0);
      tally.fault();
      const rs = await Promise.all([
        h.request('sessions.terminate', { sessionId: s.id }),
        h.request('sessions.terminate', { sessionId: s.id }),
      ]);
      const oks = rs.filter((r) => r.ok).length;
      tally.check(oks === 1, `two terminates at once: ${oks} succeeded`);
      const failed = rs.find((r) => !r.ok);
      tally.check(!failed || (!failed.ok && failed.error.code === 'INVALID_STATE'), 'the loser did not say why');
    }
    expect(tally.failed).toEqual([]);
  });

  it('a terminate that will be refused is refused before the program is stopped', async () => {
    const s = await session('refused-running', true);
    writeFileSync(join(s.worktreePath, 'unsaved.txt'), 'work\n');
    tally.fault();
    const r = await h.request('sessions.terminate', { sessionId: s.id, deleteBranch: true });
    const after = await h.call('sessions.get', { sessionId: s.id });
    tally.check(!r.ok && r.error.code === 'WORK_AT_RISK', 'not refused');
    tally.check(after.pid === s.pid && s.pid !== null && isAlive(s.pid), 'the refused terminate stopped the program');
    tally.check(existsSync(join(s.worktreePath, 'unsaved.txt')), 'the refused terminate lost work');
    expect(tally.failed).toEqual([]);
  });

  it('a read-only data dir refuses before the program is killed; no phantom sessions', async () => {
    const s = await session('read-only', true);
    const listed = (await h.call('sessions.list', {})).length;
    await h.engine.db.exec('PRAGMA query_only = ON');
    try {
      tally.fault(3);
      for (const [name, r] of [
        ['terminate', await h.request('sessions.terminate', { sessionId: s.id })],
        ['stop', await h.request('sessions.stop', { sessionId: s.id })],
        ['create', await h.request('sessions.create', { name: 'phantom', repoPath: repo.path, program: 'bash' })],
      ] as const) {
        tally.check(
          !r.ok && r.error.code === 'DATA_DIR_READ_ONLY',
          `${name} on a read-only data dir: ${r.ok ? 'ok' : r.error.code}`,
        );
      }
      const after = await h.call('sessions.get', { sessionId: s.id });
      tally.check(after.status === s.status && s.pid !== null && isAlive(s.pid), 'the program was stopped anyway');
      tally.check((await h.call('sessions.list', {})).length === listed, 'a refused create left a phantom session');
    } finally {
      await h.engine.db.exec('PRAGMA query_only = OFF');
    }
    tally.check((await h.request('sessions.terminate', { sessionId: s.id })).ok, 'writable again: terminate failed');
    expect(tally.failed).toEqual([]);
  });

  it('a full disk gives DISK_FULL and leaves no phantom session or folder', { timeout: 120_000 }, async () => {
    const pages = await h.engine.db.get<{ page_count: number }>('PRAGMA page_count');
    await h.engine.db.exec(`PRAGMA max_page_count = ${pages?.page_count ?? 1}`);
    let refused = 0;
    try {
      for (let i = 0; i < 30 && refused === 0; i++) {
        const before = (await h.call('sessions.list', {})).length;
        const folders = worktreeFolders();
        const r = await h.request('sessions.create', {
          name: `full-${i}`,
          repoPath: repo.path,
          program: 'bash',
          autoStart: false,
        });
        if (r.ok) continue;
        refused++;
        tally.fault();
        tally.check(r.error.code === 'DISK_FULL', `create on a full disk: ${r.error.code} ${r.error.message}`);
        tally.check((await h.call('sessions.list', {})).length === before, 'a refused create left a phantom session');
        tally.check(worktreeFolders() === folders, 'a refused create left a worktree folder');
      }
      tally.check(refused === 1, 'the disk never filled up');
    } finally {
      await h.engine.db.exec('PRAGMA max_page_count = 1073741823');
    }
    expect(tally.failed).toEqual([]);
  });
});
