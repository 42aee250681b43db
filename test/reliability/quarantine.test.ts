import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/main/engine/store/database';
import { cleanupAccepting } from '../support/accept-loss';
import { openEngine } from '../support/engine-harness';
import { makeTempRepo, type TempDir } from '../support/temp-repo';
import { PropertyTally } from './support/report';

// The store never hides data: a record that fails JSON parsing or validation is quarantined and
// shown (sessions.quarantined, the status count, `list`), its worktree is protected from cleanup
// even with force, and the rest of the data dir keeps working.
const tally = new PropertyTally('quarantine');
let repo: TempDir;

beforeAll(async () => {
  repo = await makeTempRepo({ files: 2 });
});
afterAll(async () => {
  tally.report();
  await repo.cleanup();
});

describe('damaged session records', () => {
  it('one bad row among good ones: quarantined, shown, its worktree protected, the rest works', async () => {
    let h = await openEngine();
    const home = h.home;
    const sessions = await h.call('sessions.create', {
      name: 'q',
      repoPath: repo.path,
      program: 'bash',
      autoStart: false,
      copies: 4,
    });
    const [broken, invalid, goodA, goodB] = sessions;
    // Work in the damaged sessions' worktrees: nothing may delete it while the record is unreadable.
    writeFileSync(join(broken.worktreePath, 'unsaved.txt'), 'work\n');
    await h.close();
    const db = await Database.open(join(home, 'multisession.db'));
    // One row cut off mid-JSON (a torn write), one that parses but fails validation.
    const row = await db.get<{ data: string }>('SELECT data FROM sessions WHERE id = ?', [broken.id]);
    await db.run('UPDATE sessions SET data = ? WHERE id = ?', [row!.data.slice(0, 120), broken.id]);
    await db.run('UPDATE sessions SET data = ? WHERE id = ?', [
      JSON.stringify({ ...invalid, status: 'exploded', priority: 'high' }),
      invalid.id,
    ]);
    await db.close();
    tally.fault(2);

    h = await openEngine({ home });
    try {
      const q = await h.call('sessions.quarantined', {});
      tally.check(q.length === 2, `${q.length} records quarantined, expected 2`);
      const byId = new Map(q.map((r) => [r.id, r]));
      tally.check(/JSON/.test(byId.get(broken.id)?.reason ?? ''), 'the torn row does not say it is not JSON');
      tally.check(
        /status|priority/.test(byId.get(invalid.id)?.reason ?? ''),
        'the invalid row does not say what is wrong',
      );
      tally.check(
        byId.get(invalid.id)?.worktreePath === invalid.worktreePath,
        'the invalid row lost its worktree path',
      );
      tally.check(
        byId.get(broken.id)?.name === 'q-1' || byId.get(broken.id)?.name === broken.name,
        'the torn row lost its name',
      );
      const listed = (await h.call('sessions.list', {})).map((s) => s.id).sort();
      tally.check(
        JSON.stringify(listed) === JSON.stringify([goodA.id, goodB.id].sort()),
        `good sessions listed: ${listed}`,
      );
      const status = await h.call('metrics.system', {});
      tally.check(status.quarantinedSessions === 2, `status shows ${status.quarantinedSessions} quarantined`);

      // Cleanup with force must not touch the quarantined sessions' worktrees.
      const forced = await cleanupAccepting(h);
      tally.check(forced.ok, 'cleanup with force failed');
      tally.check(existsSync(join(broken.worktreePath, 'unsaved.txt')), 'cleanup removed the torn record’s work');
      tally.check(existsSync(invalid.worktreePath), 'cleanup removed the invalid record’s worktree');

      // The rest keeps working: terminate a good one, create a new one.
      tally.check(
        (await h.request('sessions.terminate', { sessionId: goodA.id })).ok,
        'terminate failed next to bad rows',
      );
      const [fresh] = await h.call('sessions.create', {
        name: 'after',
        repoPath: repo.path,
        program: 'bash',
        autoStart: false,
      });
      tally.check(existsSync(fresh.worktreePath), 'create failed next to bad rows');
    } finally {
      await h.close();
    }
    // The damaged rows are still in the store, untouched (nothing rewrote or dropped them).
    const db2 = await Database.open(join(home, 'multisession.db'));
    const left = await db2.all<{ id: string }>('SELECT id FROM sessions WHERE id IN (?, ?)', [broken.id, invalid.id]);
    await db2.close();
    tally.check(left.length === 2, 'a damaged row was dropped from the store');
    expect(tally.failed).toEqual([]);
  });
});
