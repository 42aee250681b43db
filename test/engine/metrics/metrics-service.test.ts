import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../support/temp-repo';
import { executeInputSchema, requests } from '../../../src/shared/contract';
import type { SessionMetrics } from '../../../src/shared/domain';
import { AppError } from '../../../src/shared/errors';
import { CommandService } from '../../../src/main/engine/commands/command-service';
import { makeRepoWithSessions, type ArraySessionLookup } from '../../support/session-fixtures';
import { EventHub } from '../../../src/main/engine/rpc/event-hub';
import { silentLogger } from '../../../src/main/engine/core/logger';
import { killTree } from '../../../src/main/engine/process/process-tree';
import { SkillRegistry } from '../../../src/main/engine/skills/skill-registry';
import { Database } from '../../../src/main/engine/store/database';
import { MetricsService } from '../../../src/main/engine/metrics/metrics-service';
import { waitFor } from '../../support/wait-for';

let dataDir: TempDir;
let repo: TempDir;
let db: Database;
let hub: EventHub;
let lookup: ArraySessionLookup;
let commands: CommandService;
let metrics: MetricsService;
let offences: { sessionId: string; kind: string; reason: string }[];
let emitted: { t: number; sessions: SessionMetrics[] }[];
const children: ChildProcess[] = [];

function startProgram(script: string): ChildProcess {
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
  children.push(child);
  return child;
}

function makeMetrics(intervalMs = 2000): MetricsService {
  return new MetricsService({
    db,
    hub,
    log: silentLogger,
    sessions: lookup,
    commands,
    intervalMs,
    outputBytes: (id) => (id === 'a' ? 1234 : 0),
    onLimitExceeded: (sessionId, kind, reason) => offences.push({ sessionId, kind, reason }),
    countWorktrees: () => 3,
  });
}

beforeEach(async () => {
  dataDir = await makeTempDir('ms-metrics-');
  db = await Database.open(join(dataDir.path, 'db.sqlite'));
  hub = new EventHub();
  offences = [];
  emitted = [];
  hub.on('metrics.sample', (p) => emitted.push(p));
  ({ repo, lookup } = await makeRepoWithSessions(['a', 'b', 'c']));
  commands = new CommandService({
    db,
    hub,
    log: silentLogger,
    sessions: lookup,
    skills: new SkillRegistry({ getSettingsSkills: async () => [] }),
  });
  metrics = makeMetrics();
});
afterEach(async () => {
  metrics.stop();
  for (const c of children.splice(0)) if (c.pid) await killTree(c.pid, { graceMs: 200 });
  await db.close();
  await dataDir.cleanup();
  await repo.cleanup();
});

describe('MetricsService', () => {
  it('reports a memory offence once, measuring the whole process tree', async () => {
    // The allocation happens in a child of the session's pid: only a whole-tree measure sees it.
    const child = startProgram(
      `node -e "const a=[];for(let i=0;i<20;i++)a.push(Buffer.alloc(10*1024*1024,1));setInterval(()=>{},1000)"; true`,
    );
    lookup.update('a', {
      status: 'busy',
      pid: child.pid ?? null,
      startedAt: Date.now(),
      limits: { memoryMb: 100, runtimeSec: null, commandTimeoutSec: null },
    });
    await waitFor('the memory limit', async () => {
      await metrics.sampleNow();
      return offences.length > 0;
    });
    expect(offences).toHaveLength(1);
    expect(offences[0].sessionId).toBe('a');
    expect(offences[0].kind).toBe('memory');
    expect(offences[0].reason).toMatch(/^Memory limit exceeded: \d+ MB used, limit 100 MB$/);
    const m = await metrics.sessionMetrics('a');
    expect(m.memoryMb).toBeGreaterThan(100);
    expect(m.outputBytes).toBe(1234);
    await metrics.sampleNow();
    expect(offences).toHaveLength(1);
  });

  it('reports a runtime offence', async () => {
    const child = startProgram('sleep 30');
    lookup.update('b', {
      status: 'active',
      pid: child.pid ?? null,
      startedAt: Date.now() - 2500,
      limits: { memoryMb: 4096, runtimeSec: 1, commandTimeoutSec: null },
    });
    await metrics.sampleNow();
    expect(offences).toEqual([{ sessionId: 'b', kind: 'runtime', reason: 'Time limit reached: ran 2 s, limit 1 s' }]);
    await metrics.sampleNow();
    expect(offences).toHaveLength(1);
    const m = await metrics.sessionMetrics('b');
    expect(m.uptimeSec).toBeGreaterThanOrEqual(2);
  });

  it('measures CPU of a busy program from the delta between ticks', async () => {
    const child = startProgram(`node -e "for(;;){}"`);
    lookup.update('c', { status: 'busy', pid: child.pid ?? null, startedAt: Date.now() });
    await metrics.sampleNow();
    await waitFor('CPU use', async () => {
      await new Promise((r) => setTimeout(r, 300));
      await metrics.sampleNow();
      return (await metrics.sessionMetrics('c')).cpuPercent > 0;
    });
    const last = emitted.at(-1);
    expect(last?.sessions.map((s) => s.sessionId).sort()).toEqual(['a', 'b', 'c']);
    expect(last?.sessions.find((s) => s.sessionId === 'c')?.cpuPercent).toBeGreaterThan(0);
    expect(last?.sessions.find((s) => s.sessionId === 'a')?.cpuPercent).toBe(0);
    for (const s of last?.sessions ?? []) expect(requests['sessions.metrics'].output.safeParse(s).success).toBe(true);
  });

  it('reports counters, success rate and system status', async () => {
    await commands.execute(executeInputSchema.parse({ sessionId: 'a', command: 'true' }));
    await commands.execute(executeInputSchema.parse({ sessionId: 'a', command: 'false' }));
    await commands.execute(executeInputSchema.parse({ sessionId: 'b', command: 'true' }));
    await commands.execute(executeInputSchema.parse({ sessionId: 'b', command: 'true' }));
    const child = startProgram('sleep 30');
    lookup.update('a', { status: 'busy', pid: child.pid ?? null, startedAt: Date.now() });
    lookup.update('b', { status: 'queued' });
    lookup.update('c', { status: 'terminated' });

    const a = await metrics.sessionMetrics('a');
    expect(a).toMatchObject({ commandsExecuted: 2, commandsSucceeded: 1, successRate: 50, tasksCompleted: 1 });
    const all = await metrics.allSessionMetrics();
    expect(all.find((m) => m.sessionId === 'b')).toMatchObject({ commandsExecuted: 2, successRate: 100 });
    await expect(metrics.sessionMetrics('zzz')).rejects.toBeInstanceOf(AppError);

    const status = await metrics.systemStatus();
    expect(status).toMatchObject({
      totalSessions: 3,
      activeSessions: 1,
      sessionsByStatus: { busy: 1, queued: 1, terminated: 1 },
      gitWorktrees: 3,
      commandsExecuted: 4,
      successRate: 75,
      runningPrograms: 1,
      queuedSessions: 1,
    });
    expect(status.uptimeSec).toBeGreaterThanOrEqual(0);
    expect(requests['metrics.system'].output.safeParse(status).success).toBe(true);
  });

  it('downsamples series to at most maxPoints per session and keeps status counts', async () => {
    const from = 1_000_000;
    const ticks = 2000;
    await db.transaction(async (tx) => {
      for (let i = 0; i < ticks; i++) {
        const t = from + i * 2000;
        for (const id of ['a', 'b']) {
          await tx.run('INSERT INTO metric_samples (t, session_id, cpu, mem, status) VALUES (?, ?, ?, ?, ?)', [
            t,
            id,
            id === 'a' ? 10 : i % 2 === 0 ? 0 : 100,
            50,
            i < ticks / 2 ? 'busy' : 'idle',
          ]);
        }
        await tx.run('INSERT INTO status_counts (t, counts) VALUES (?, ?)', [
          t,
          JSON.stringify(i < ticks / 2 ? { busy: 2 } : { idle: 2 }),
        ]);
      }
    });
    const to = from + (ticks - 1) * 2000;
    const s = await metrics.series({ from, to, maxPoints: 100 });
    for (const id of ['a', 'b']) {
      const pts = s.samples.filter((p) => p.sessionId === id);
      expect(pts.length).toBeLessThanOrEqual(100);
      expect(pts.length).toBeGreaterThan(50);
      for (let i = 1; i < pts.length; i++) expect(pts[i].t).toBeGreaterThan(pts[i - 1].t);
    }
    // Bucket averages: b alternates 0 and 100.
    for (const p of s.samples.filter((x) => x.sessionId === 'b')) expect(p.cpuPercent).toBe(50);
    expect(s.samples.at(-1)?.status).toBe('idle');
    expect(s.statusCounts.length).toBeLessThanOrEqual(100);
    expect(s.statusCounts[0].counts).toEqual({ busy: 2 });
    expect(s.statusCounts.at(-1)?.counts).toEqual({ idle: 2 });
    expect(requests['metrics.series'].output.safeParse(s).success).toBe(true);
    // A narrow window returns the raw points.
    const raw = await metrics.series({ from, to: from + 9 * 2000, maxPoints: 100 });
    expect(raw.samples.filter((p) => p.sessionId === 'a')).toHaveLength(10);
  });

  it('persists samples of running programs and status counts on each pass', async () => {
    const child = startProgram('sleep 30');
    lookup.update('a', { status: 'busy', pid: child.pid ?? null, startedAt: Date.now() });
    const before = Date.now();
    await metrics.sampleNow();
    await metrics.sampleNow();
    const s = await metrics.series({ from: before, maxPoints: 100 });
    expect(s.samples.map((p) => p.sessionId)).toEqual(['a', 'a']);
    expect(s.statusCounts.at(-1)?.counts).toEqual({ busy: 1, idle: 2 });
    expect(s.commands).toEqual([]);
  });

  it('only writes a slow heartbeat while no program runs, and samples each tick when one does', async () => {
    const countRows = async () => (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM status_counts'))?.n ?? 0;
    metrics = makeMetrics(40);
    metrics.start();
    // The pass writes its row and then emits its sample: wait for both, or the emit lands after.
    await waitFor('the first heartbeat', async () => (await countRows()) === 1 && emitted.length === 1);
    const ticksBefore = emitted.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(await countRows()).toBe(1);
    expect(emitted.length).toBe(ticksBefore);

    const child = startProgram('sleep 30');
    lookup.update('a', { status: 'busy', pid: child.pid ?? null, startedAt: Date.now() });
    await waitFor('ticks while a program runs', async () => (await countRows()) >= 4);
    metrics.stop();
  });
});
