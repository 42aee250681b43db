import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/main/engine/core/logger';
import {
  describeLeftover,
  ProcessLedger,
  startTicksOf,
  type LedgerEntry,
} from '../../../src/main/engine/process/process-ledger';
import { descendantsOf, isAlive, killTree, listProcesses } from '../../../src/main/engine/process/process-tree';
import { Database } from '../../../src/main/engine/store/database';
import { makeTempDir, type TempDir } from '../../support/temp-repo';
import { waitFor } from '../../support/wait-for';

// The process ledger against a real SQLite file and real processes: what a host writes down,
// and what the next host (a new ledger on the same file, as after kill -9) does with it.
let dir: TempDir;
let db: Database;
const started: ChildProcess[] = [];
const warnings: string[] = [];
const log: Logger = {
  info: () => undefined,
  warn: (_scope, message) => void warnings.push(message),
  error: (_scope, message) => void warnings.push(message),
};

beforeEach(async () => {
  dir = await makeTempDir('ms-ledger-');
  db = await Database.open(join(dir.path, 'multisession.db'));
  warnings.length = 0;
});
afterEach(async () => {
  for (const c of started.splice(0)) if (c.pid && isAlive(c.pid)) await killTree(c.pid, { graceMs: 100 });
  await db.close().catch(() => undefined);
  await dir.cleanup();
});

/** A shell leading its own group with a child of its own (like a command the host started). */
async function startTree(): Promise<{ pid: number; child: number }> {
  const c = spawn('sh', ['-c', 'sleep 300 & wait'], { detached: true, stdio: 'ignore' });
  started.push(c);
  const pid = c.pid!;
  const child = await waitFor(
    'the shell to start its child',
    async () => descendantsOf(pid, await listProcesses())[1]?.pid,
  );
  return { pid, child };
}

const rows = () => db.all<{ pid: number }>('SELECT pid FROM process_ledger');

describe('process ledger', () => {
  it('a tree left running by a crashed host is stopped by the next one, only because boot and start time prove it is the same', async () => {
    const { pid, child } = await startTree();
    // Written down, never crossed out: the host was killed.
    new ProcessLedger({ db, log }).track({ kind: 'command', pid, label: 'make test', sessionId: 's1', batchId: 'b1' });
    await waitFor('the entry to be written', async () => (await rows()).length === 1);

    const next = new ProcessLedger({ db, log });
    const [left, ...more] = await next.recover();
    expect(more).toEqual([]);
    expect(left).toMatchObject({
      kind: 'command',
      pid,
      sessionId: 's1',
      batchId: 'b1',
      label: 'make test',
      outcome: 'stopped',
    });
    expect(isAlive(pid)).toBe(false);
    expect(isAlive(child)).toBe(false);
    expect(await rows()).toEqual([]);
    expect(describeLeftover(left, 'its command')).toBe(
      `its command (pid ${pid}) was still running and was stopped when the host started again`,
    );
  });

  it('never stops a process that merely has the pid now (other start time), nor one it cannot verify', async () => {
    const { pid } = await startTree();
    const insert = (id: string, ticks: string | null, boot: string | null) =>
      db.run(
        `INSERT INTO process_ledger (id, kind, session_id, batch_id, pid, start_ticks, boot_id, started_at, label)
         VALUES (?, 'program', 's1', NULL, ?, ?, ?, ?, 'agent')`,
        [id, pid, ticks, boot, Date.now()],
      );
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const realTicks = startTicksOf(pid)!;
    await insert('reused', String(Number(realTicks) - 1), bootId); // the pid was another process's
    await insert('other-boot', realTicks, 'an-earlier-boot');
    await insert('unproven', null, null); // written where /proc could not say
    const left = await new ProcessLedger({ db, log }).recover();
    const byId = Object.fromEntries(left.map((l) => [l.id, l.outcome]));
    expect(byId).toEqual({ reused: 'ended', 'other-boot': 'ended', unproven: 'unverified' });
    expect(isAlive(pid)).toBe(true);
    expect(await rows()).toEqual([]);
    const unproven = left.find((l) => l.id === 'unproven')!;
    expect(describeLeftover(unproven, 'its program')).toBe(
      `its program (pid ${pid}) could not be checked and was left alone`,
    );
    expect(describeLeftover({ ...unproven, outcome: 'ended' }, 'its program')).toBe(
      `its program (pid ${pid}) had already ended`,
    );
  });

  it('an entry claimed at recovery (a re-adopted program) stays until its own crossing-out', async () => {
    const { pid } = await startTree();
    new ProcessLedger({ db, log }).track({ kind: 'program', pid, label: 'claude', sessionId: 's1' });
    await waitFor('the entry to be written', async () => (await rows()).length === 1);
    const next = new ProcessLedger({ db, log });
    let claimed: LedgerEntry | null = null;
    const left = await next.recover((e) => ((claimed = e), e.sessionId === 's1'));
    expect(left).toEqual([]);
    expect(claimed).toMatchObject({ kind: 'program', pid, sessionId: 's1' });
    expect(next.isSameProcess(claimed!)).toBe(true);
    expect(isAlive(pid)).toBe(true);
    expect(await rows()).toHaveLength(1);
    const crossOut = next.crossOut(claimed!);
    await crossOut();
    await crossOut(); // twice is once
    expect(await rows()).toEqual([]);
  });

  it('a process that ended is crossed out; a database that fails is logged, never thrown into the caller', async () => {
    const ledger = new ProcessLedger({ db, log });
    const { pid } = await startTree();
    const crossOut = ledger.track({ kind: 'setup', pid, label: 'setup.sh', sessionId: 's2' });
    await ledger.flush();
    expect(await rows()).toEqual([{ pid }]);
    await crossOut();
    expect(await rows()).toEqual([]);

    await db.close();
    const late = ledger.track({ kind: 'command', pid, label: 'after close' });
    await ledger.flush();
    await late();
    expect(warnings.some((w) => w.startsWith(`could not record pid ${pid}`))).toBe(true);
    const claimed = ledger.crossOut({
      id: 'x',
      kind: 'program',
      sessionId: null,
      batchId: null,
      pid,
      startTicks: null,
      bootId: null,
      startedAt: 0,
      label: 'x',
    });
    await claimed();
    // Both crossing-outs (the one whose entry was never written, and the claimed one) said so.
    expect(warnings.filter((w) => w.startsWith(`could not cross out pid ${pid}`))).toHaveLength(2);
  });
});
