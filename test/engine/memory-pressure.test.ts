import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/shared/contract';
import type { Session } from '../../src/shared/domain';
import { isAlive } from '../../src/main/engine/process/process-tree';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempDir, makeTempRepo, type TempDir } from '../support/temp-repo';
import { waitFor } from '../support/wait-for';

const holder = resolve(__dirname, '../fixtures/memory-holder.mjs');
const HOLD_MB = 80;
let h: Harness;
let repo: TempDir;
let bin: TempDir;

beforeAll(async () => {
  // The holder under Aider's name: an agent whose conversation a wake continues — the only
  // kind the policy hibernates. The plain holder (node) stands for a program that cannot resume.
  bin = await makeTempDir('ms-pressure-bin-');
  // One `aider` per mode: the engine adds Aider's own launch arguments, the holder's stay fixed.
  for (const mode of ['idle', 'busy', 'ask']) {
    mkdirSync(join(bin.path, mode));
    const file = join(bin.path, mode, 'aider');
    writeFileSync(
      file,
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(holder)} ${HOLD_MB} ${mode}\n`,
    );
    chmodSync(file, 0o755);
  }
  // No start grace: the sessions here are idle the moment their screen says so.
  h = await openEngine({ metricsIntervalMs: 250, terminals: 'in-process', memoryPressure: { startGraceMs: 0 } });
  repo = await makeTempRepo({ files: 1 });
});
afterAll(async () => {
  await h?.close();
  await repo?.cleanup();
  await bin?.cleanup();
});

const get = (id: string) => h.call('sessions.get', { sessionId: id });
/** A session whose program holds HOLD_MB of real memory; waits until it shows `status`. */
async function holding(
  name: string,
  mode: 'idle' | 'busy' | 'ask',
  status: Session['status'],
  as: 'agent' | 'plain' = 'agent',
): Promise<Session> {
  const [s] = await h.call('sessions.create', {
    name,
    repoPath: repo.path,
    ...(as === 'agent'
      ? { program: join(bin.path, mode, 'aider') }
      : { program: process.execPath, args: [holder, String(HOLD_MB), mode] }),
  });
  return waitFor(`${name} to be ${status}`, async () => {
    const x = await get(s.id);
    return x.status === status ? x : null;
  });
}
/** The policy's status once its last pass (the one that hibernated `name`) has finished. */
const lastPass = (name: string) =>
  waitFor(`the pass that hibernated ${name} to finish`, async () => {
    const st = await h.call('memory.status', {});
    return st.lastAction?.hibernated.some((x) => x.name === name) ? st : null;
  });
const notes = () => h.peer.events.filter((e) => e.name === 'notify').map((e) => e.payload as EventPayload<'notify'>);

describe('memory-pressure policy', () => {
  let oldest: Session, older: Session, newest: Session, busy: Session, asking: Session;

  it('does nothing while it is off, whatever the figures', async () => {
    // One at a time, each idle before the next starts: their last activity orders them.
    oldest = await holding('oldest', 'idle', 'idle');
    older = await holding('older', 'idle', 'idle');
    busy = await holding('busy', 'busy', 'busy');
    asking = await holding('asking', 'ask', 'waiting');
    newest = await holding('newest', 'idle', 'idle');
    await h.call('settings.update', { memoryPressure: { enabled: false, minAvailableMb: null, maxSessionsMb: 16 } });
    expect(await h.engine.memoryPressure.check()).toBeNull();
    const st = await h.call('memory.status', {});
    expect(st.sessionsMb).toBeGreaterThan(5 * HOLD_MB);
    expect(st.pressure).toBeNull();
    for (const s of [oldest, older, busy, asking, newest]) expect((await get(s.id)).status).not.toBe('hibernated');
  });

  it('an enabled policy with no threshold is refused, nothing saved', async () => {
    const r = await h.request('settings.update', {
      memoryPressure: { enabled: true, minAvailableMb: null, maxSessionsMb: null },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('BAD_INPUT');
    expect((await h.call('settings.get', {})).memoryPressure.enabled).toBe(false);
  });

  it('over the sessions threshold: the idlest idle sessions are hibernated, first the oldest, until it is relieved', async () => {
    const mem = await h.engine.metrics.memoryBySession();
    const total = [...mem.values()].reduce((a, b) => a + b, 0);
    const m = (s: Session) => mem.get(s.id) ?? 0;
    expect(m(oldest)).toBeGreaterThan(HOLD_MB);
    // Relieved once the two idlest are hibernated, not after the first: half of the second's
    // memory is the margin either way.
    const threshold = Math.round(total - m(oldest) - m(older) / 2);
    const before = notes().length;
    // The metrics pass that follows the change is what acts (the policy's own trigger).
    await h.call('settings.update', {
      memoryPressure: { enabled: true, minAvailableMb: null, maxSessionsMb: threshold },
    });
    await waitFor('the two idlest to hibernate', async () => (await get(older.id)).status === 'hibernated');
    const st = await lastPass('older');
    expect(st.lastAction?.hibernated.map((x) => x.name)).toEqual(['oldest', 'older']);
    expect(st.lastAction?.relieved).toBe(true);
    expect(st.pressure).toBeNull();
    expect(st.sessionsMb).toBeLessThanOrEqual(threshold);
    // The programs are gone; the newest idle one, the busy and the waiting one still run.
    const o = await get(oldest.id);
    expect(o.status).toBe('hibernated');
    expect(isAlive(oldest.pid!)).toBe(false);
    expect(o.errorReason).toMatch(/to free memory: the sessions used .* above the .* threshold/);
    expect((await get(newest.id)).status).toBe('idle');
    expect((await get(busy.id)).status).toBe('busy');
    expect((await get(asking.id)).status).toBe('waiting');
    const told = notes()
      .slice(before)
      .find((n) => n.title.includes('to free memory'));
    expect(told?.body).toMatch(/idlest first: oldest \(.*\), older \(.*\)\. Memory is no longer short/);
  });

  it('under the machine figure (a threshold above the available memory): every idle one goes; busy, waiting and one running a command are kept', async () => {
    // Off while one more session starts (it would cross the threshold of the test before).
    await h.call('settings.update', { memoryPressure: { enabled: false, minAvailableMb: null, maxSessionsMb: 16 } });
    // Idle on screen, but a command runs in its worktree: not idle work-wise.
    const working = await holding('working', 'idle', 'idle');
    // Idle and older than every agent left, but a plain program: a wake could not bring its state back.
    const plain = await holding('plain', 'idle', 'idle', 'plain');
    expect(plain.agent).not.toBe('aider');
    void h.request('commands.execute', { sessionId: working.id, command: 'sleep', args: ['60'] });
    await waitFor('the command to run', () => h.engine.commands.runningIn(working.id) === 1);
    const before = notes().length;
    // The real MemAvailable is always below this: pressure that hibernating cannot relieve.
    await h.call('settings.update', {
      memoryPressure: { enabled: true, minAvailableMb: 16_000_000, maxSessionsMb: null },
    });
    await waitFor('the newest to hibernate', async () => (await get(newest.id)).status === 'hibernated');
    expect((await get(newest.id)).errorReason).toMatch(
      /the machine had .* available, below the 16,000,000 MB threshold/,
    );
    const st = await lastPass('newest');
    expect(st.source).toBe(process.platform === 'linux' ? 'MemAvailable' : 'freemem');
    expect(st.lastAction?.relieved).toBe(false);
    // Two more passes find nothing to hibernate: said once, busy and waiting untouched.
    await h.engine.memoryPressure.check();
    await h.engine.memoryPressure.check();
    const mine = notes().slice(before);
    expect(mine.filter((n) => n.title.includes('to free memory'))).toHaveLength(1);
    expect(mine.find((n) => n.title.includes('to free memory'))?.body).toMatch(/Memory is still short/);
    expect(mine.filter((n) => n.title === 'Memory is short').length).toBeLessThanOrEqual(1);
    expect((await get(busy.id)).status).toBe('busy');
    expect((await get(asking.id)).status).toBe('waiting');
    expect(isAlive((await get(busy.id)).pid!)).toBe(true);
    const p = await get(plain.id);
    expect(p.status).toBe('idle');
    expect(isAlive(p.pid!)).toBe(true);
    const w = await get(working.id);
    expect(w.status).toBe('idle');
    expect(isAlive(w.pid!)).toBe(true);
  });

  it('a hibernated session wakes and its reason goes', async () => {
    await h.call('settings.update', { memoryPressure: { enabled: false, minAvailableMb: 1024, maxSessionsMb: null } });
    const woke = await h.call('sessions.wake', { sessionId: oldest.id });
    expect(woke.errorReason).toBeNull();
    await waitFor('oldest to run again', async () => (await get(oldest.id)).pid !== null);
  });
});
