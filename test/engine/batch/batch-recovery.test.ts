import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Batch, BatchItem } from '../../../src/shared/domain';
import { BatchService } from '../../../src/main/engine/batch/batch-service';
import { BatchStore } from '../../../src/main/engine/batch/batch-store';
import { CommandService } from '../../../src/main/engine/commands/command-service';
import { silentLogger } from '../../../src/main/engine/core/logger';
import { ProcessLedger } from '../../../src/main/engine/process/process-ledger';
import { isAlive } from '../../../src/main/engine/process/process-tree';
import { EventHub } from '../../../src/main/engine/rpc/event-hub';
import { SkillRegistry } from '../../../src/main/engine/skills/skill-registry';
import { Database } from '../../../src/main/engine/store/database';
import { defaultSettings } from '../../../src/main/engine/store/settings-store';
import { ArraySessionLookup, makeSession } from '../../support/session-fixtures';
import { makeTempDir, type TempDir } from '../../support/temp-repo';

// A batch the previous host was running when it was killed (kill -9: nothing was cancelled or
// saved after the last progress write). The next host shows it as cancelled, each item saying
// what happened, from what the process ledger found of its command.
let dir: TempDir;
let db: Database;

beforeEach(async () => {
  dir = await makeTempDir('ms-batch-recovery-');
  db = await Database.open(join(dir.path, 'multisession.db'));
});
afterEach(async () => {
  await db.close();
  await dir.cleanup();
});

const item = (sessionId: string, over: Partial<BatchItem> = {}): BatchItem => ({
  sessionId,
  sessionName: `session ${sessionId}`,
  status: 'pending',
  exitCode: null,
  durationMs: null,
  outputTail: '',
  timedOut: false,
  commandId: null,
  ...over,
});

function nextHost(): BatchService {
  const hub = new EventHub();
  const sessions = new ArraySessionLookup(['a', 'b', 'c', 'd'].map((id) => makeSession(id, dir.path)));
  const skills = new SkillRegistry({ getSettingsSkills: async () => [] });
  return new BatchService({
    db,
    hub,
    log: silentLogger,
    sessions,
    commands: new CommandService({ db, hub, log: silentLogger, sessions, skills }),
    getSettings: async () => defaultSettings,
  });
}

describe('a batch cut off by a crash', () => {
  it('is shown cancelled and stored so: a running item stopped now, one never started, one whose command had ended', async () => {
    // What the killed host had written: item a done, b running (its command still runs), c
    // running (its command had ended), d pending but its command already spawned (the crash came
    // before 'running' was saved), e… pending and never started.
    const b = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    const d = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    const old = new ProcessLedger({ db, log: silentLogger });
    old.track({ kind: 'command', pid: b.pid!, label: 'make', sessionId: 'b', batchId: 'batch-1' });
    old.track({ kind: 'command', pid: d.pid!, label: 'make', sessionId: 'd', batchId: 'batch-1' });
    await old.flush();
    const batch: Batch = {
      id: 'batch-1',
      command: 'make',
      args: [],
      shell: false,
      concurrency: 2,
      status: 'running',
      createdAt: Date.now() - 1000,
      finishedAt: null,
      items: [
        item('a', { status: 'succeeded', exitCode: 0, durationMs: 5, outputTail: 'ok' }),
        item('b', { status: 'running', outputTail: 'building' }),
        item('c', { status: 'running' }),
        item('d'),
        item('e'),
      ],
    };
    await new BatchStore(db).save(batch, 30);

    const host = nextHost();
    // Before recovery, nothing runs it: reading it already shows it cut off.
    const seen = await host.get('batch-1');
    expect(seen.status).toBe('cancelled');
    expect(seen.items.map((i) => i.status)).toEqual(['succeeded', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(seen.items[2].outputTail).toBe('Interrupted: the host stopped while this batch ran');
    expect((await host.list()).map((x) => x.status)).toEqual(['cancelled']);

    const leftovers = await new ProcessLedger({ db, log: silentLogger }).recover();
    expect(leftovers.map((l) => l.outcome)).toEqual(['stopped', 'stopped']);
    expect([isAlive(b.pid!), isAlive(d.pid!)]).toEqual([false, false]);
    expect(await host.recoverInterrupted(leftovers)).toBe(1);

    const stored = (await new BatchStore(db).get('batch-1'))!;
    expect(stored.timeoutSec).toBe(30);
    expect(stored.batch.status).toBe('cancelled');
    expect(stored.batch.finishedAt).not.toBeNull();
    const [a, bi, c, di, e] = stored.batch.items;
    expect(a).toEqual(batch.items[0]);
    expect(bi.status).toBe('cancelled');
    expect(bi.outputTail).toBe(
      `building\nInterrupted: the host stopped while this ran; its command (pid ${b.pid}) was still running and was stopped when the host started again.`,
    );
    expect(c.outputTail).toBe('Interrupted: the host stopped while this ran; its command was not found running.');
    expect(di.outputTail).toMatch(new RegExp(`^Interrupted: .*its command \\(pid ${d.pid}\\) was still running`));
    expect(e).toMatchObject({ status: 'cancelled', outputTail: 'Not started: the host stopped first.' });
    // Recovered once: a second start finds nothing left to fix.
    expect(await host.recoverInterrupted([])).toBe(0);
  });
});
