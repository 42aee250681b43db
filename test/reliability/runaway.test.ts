import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameClient } from '../../src/shared/client';
import { waitFor } from '../support/wait-for';
import { repoRoot, startServeProcess, type ServeProcess } from '../support/serve-process';
import { makeTempRepo, type TempDir } from '../support/temp-repo';
import { PropertyTally } from './support/report';

// Runaway programs: five floods for 60 s against the built host (memory bounded, another session
// still echoes, the UI stream flow-controlled); a memory hog and a fork of 200 children are stopped
// by their limits and their whole process trees are gone.
const FLOOD_SECONDS = 60;
const FLOODS = 5;
/** The host pauses a PTY above 100 000 unacknowledged characters; one flush may overshoot it. */
const HIGH_WATERMARK = 100_000;
/** Generous bounds the issue asks for (reported figures are the point; these catch a runaway). */
const MAX_HOST_RSS_MB = 1024;
const MAX_ECHO_MS = 5000;

const built = existsSync(join(repoRoot, 'out/main/serve.js'));
const tally = new PropertyTally('runaway');
let serve: ServeProcess;
let repo: TempDir;
let client: FrameClient;

beforeAll(async () => {
  if (!built) return;
  repo = await makeTempRepo({ files: 2 });
  serve = await startServeProcess();
  client = await serve.client();
  await client.call('settings.update', { maxRunning: 50 });
});
afterAll(async () => {
  if (!built) return;
  tally.report();
  client.close();
  await serve.stopAll();
  await repo.cleanup();
});

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** All processes whose ancestry includes `root` (from /proc), root included. */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* exited */
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, ppid] of parent) if (ppid === out[i]) out.push(pid);
  return out.filter((p) => parent.has(p));
}

/** Alive and not a zombie (a zombie holds no memory and runs nothing). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const runningStatus = (s: string) => ['active', 'busy', 'idle', 'waiting'].includes(s);

describe.skipIf(!built)('runaway programs', () => {
  it(`${FLOODS} sessions flood output for ${FLOOD_SECONDS} s`, { timeout: (FLOOD_SECONDS + 60) * 1000 }, async () => {
    const line = 'flood '.repeat(20);
    const floods = await client.call('sessions.create', {
      name: 'flood',
      repoPath: repo.path,
      program: 'yes',
      args: [line],
      copies: FLOODS,
      autoStart: true,
    });
    const [echo] = await client.call('sessions.create', {
      name: 'echo',
      repoPath: repo.path,
      program: 'cat',
      autoStart: true,
    });
    tally.fault(FLOODS);

    // The UI: acknowledges each chunk a little later, as xterm's write callback would.
    const received = new Map<string, number>();
    const acked = new Map<string, number>();
    let maxOutstanding = 0;
    let echoText = '';
    client.on('terminals.data', ({ sessionId, data }) => {
      if (sessionId === echo.id) echoText += data;
      received.set(sessionId, (received.get(sessionId) ?? 0) + data.length);
      const out = (received.get(sessionId) ?? 0) - (acked.get(sessionId) ?? 0);
      if (out > maxOutstanding) maxOutstanding = out;
      setTimeout(() => {
        acked.set(sessionId, (acked.get(sessionId) ?? 0) + data.length);
        void client.request('terminals.ack', { sessionId, chars: data.length });
      }, 20);
    });
    // A stalled tab: attached to one flood, never acknowledges.
    const stalled = await serve.client();
    let stalledReceived = 0;
    stalled.on('terminals.data', ({ data }) => (stalledReceived += data.length));

    for (const s of floods)
      await waitFor('flood running', async () =>
        runningStatus((await client.call('sessions.get', { sessionId: s.id })).status),
      );
    for (const s of [...floods, echo]) await client.call('terminals.attach', { sessionId: s.id, cols: 120, rows: 30 });
    await stalled.call('terminals.attach', { sessionId: floods[0].id, cols: 120, rows: 30 });

    const started = Date.now();
    let peakRss = rssMb(serve.child.pid!);
    const echoMs: number[] = [];
    let n = 0;
    while (Date.now() - started < FLOOD_SECONDS * 1000) {
      const token = `ping-${++n}-`;
      const t0 = Date.now();
      await client.call('terminals.input', { sessionId: echo.id, data: `${token}\r` });
      let echoed = false;
      while (Date.now() - t0 < MAX_ECHO_MS * 2) {
        peakRss = Math.max(peakRss, rssMb(serve.child.pid!));
        if (echoText.includes(token)) {
          echoed = true;
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      const ms = Date.now() - t0;
      echoMs.push(ms);
      tally.check(echoed && ms <= MAX_ECHO_MS, `echo ${n} took ${ms} ms (bound ${MAX_ECHO_MS})`);
      await new Promise((r) => setTimeout(r, 1000));
      peakRss = Math.max(peakRss, rssMb(serve.child.pid!));
    }
    const floodChars = floods.reduce((sum, s) => sum + (received.get(s.id) ?? 0), 0);
    echoMs.sort((a, b) => a - b);
    tally.figures.floodSeconds = FLOOD_SECONDS;
    tally.figures.hostPeakRssMb = Math.round(peakRss);
    tally.figures.floodMBps = Math.round((floodChars / 1e6 / FLOOD_SECONDS) * 10) / 10;
    tally.figures.echoMedianMs = echoMs[Math.floor(echoMs.length / 2)];
    tally.figures.echoMaxMs = echoMs[echoMs.length - 1];
    tally.figures.uiMaxUnacked = maxOutstanding;
    tally.figures.stalledClientChars = stalledReceived;
    tally.check(peakRss < MAX_HOST_RSS_MB, `host peak RSS ${Math.round(peakRss)} MB (bound ${MAX_HOST_RSS_MB})`);
    tally.check(floodChars > 0, 'the floods streamed to the UI');
    tally.check(maxOutstanding <= 2 * HIGH_WATERMARK, `UI had ${maxOutstanding} unacknowledged characters outstanding`);
    tally.check(
      stalledReceived <= 2 * HIGH_WATERMARK,
      `a client that never acks was sent ${stalledReceived} characters`,
    );
    tally.check(serve.child.exitCode === null, 'the host is still up');

    for (const s of [...floods, echo]) await client.call('sessions.stop', { sessionId: s.id });
    stalled.close();
    expect(tally.failed).toEqual([]);
  });

  it(
    'a memory hog and a fork of 200 children are stopped by their limits; whole trees gone',
    { timeout: 90_000 },
    async () => {
      const mark = tally.failed.length;
      // A program may be stopped before any poll sees it running: pids come from the events.
      const pids = new Map<string, number>();
      const unsubscribe = client.on('sessions.changed', ({ session }) => {
        if (session.pid && !pids.has(session.id)) pids.set(session.id, session.pid);
      });
      const [hog] = await client.call('sessions.create', {
        name: 'hog',
        repoPath: repo.path,
        program: process.execPath,
        args: ['-e', 'const a=[];setInterval(()=>{a.push(Buffer.alloc(16*1024*1024,1))},50)'],
        limits: { memoryMb: 128 },
        autoStart: true,
      });
      const [fork] = await client.call('sessions.create', {
        name: 'fork',
        repoPath: repo.path,
        program: 'sh',
        args: ['-c', 'for i in $(seq 200); do sleep 300 & done; wait'],
        limits: { runtimeSec: 4 },
        autoStart: true,
      });
      tally.fault(2);
      const hogPid = await waitFor('hog pid', () => pids.get(hog.id) ?? null);
      const forkPid = await waitFor('fork pid', () => pids.get(fork.id) ?? null);
      unsubscribe();
      // Everything the two programs spawned, seen while they run.
      const seen = new Set<number>();
      const forkTree = await waitFor('the fork to spawn its children', () => {
        const d = descendants(forkPid);
        for (const p of d) seen.add(p);
        return d.length >= 200 ? d : null;
      });
      for (const p of descendants(hogPid)) seen.add(p);
      tally.figures.forkChildren = forkTree.length;

      const hogEnd = await waitFor(
        'the hog to be stopped',
        async () => {
          const s = await client.call('sessions.get', { sessionId: hog.id });
          for (const p of s.pid ? descendants(s.pid) : []) seen.add(p);
          return s.status === 'error' ? s : null;
        },
        45_000,
      );
      const forkEnd = await waitFor(
        'the fork to be stopped',
        async () => {
          const s = await client.call('sessions.get', { sessionId: fork.id });
          return s.status === 'error' ? s : null;
        },
        45_000,
      );
      tally.check(/memory limit/i.test(hogEnd.errorReason ?? ''), `hog stopped for: ${hogEnd.errorReason}`);
      tally.check(/time limit/i.test(forkEnd.errorReason ?? ''), `fork stopped for: ${forkEnd.errorReason}`);
      // `error` is announced only once the whole tree is gone, so nothing may be left at this point.
      const survivors = [...seen].filter(running);
      tally.figures.treeProcessesChecked = seen.size;
      tally.figures.treeSurvivors = survivors.length;
      tally.check(
        survivors.length === 0,
        `${survivors.length} processes of the hog/fork trees survived: ${survivors.slice(0, 10).join(', ')}`,
      );
      tally.check(serve.child.exitCode === null, 'the host is still up after the hog and the fork');
      expect(tally.since(mark)).toEqual([]);
    },
  );
});
