import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/domain';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempRepo, type TempDir } from '../support/temp-repo';
import { waitFor } from '../support/wait-for';

const holder = resolve(__dirname, '../fixtures/memory-holder.mjs');
const HOLD_MB = 40;
let h: Harness;
let repo: TempDir;

beforeAll(async () => {
  // The timed metrics pass never comes during the test: every pass counted below is one that
  // `memory.status` itself asked for.
  h = await openEngine({ metricsIntervalMs: 3_600_000, terminals: 'in-process' });
  repo = await makeTempRepo({ files: 1 });
});
afterAll(async () => {
  await h?.close();
  await repo?.cleanup();
});

async function holding(name: string): Promise<Session> {
  const [s] = await h.call('sessions.create', {
    name,
    repoPath: repo.path,
    program: process.execPath,
    args: [holder, String(HOLD_MB), 'idle'],
  });
  // Idle once it has printed its line, which it does after writing every page it holds.
  return waitFor(`${name} to hold its memory`, async () => {
    const x = await h.call('sessions.get', { sessionId: s.id });
    return x.status === 'idle' ? x : null;
  });
}

describe('memory.status (Settings polls it every 5 s)', () => {
  it('answers from the last metrics pass, reading memory again only when a program started or ended', async () => {
    const a = await holding('a');
    const passes = h.engine.metrics.passes;
    const first = await h.call('memory.status', {});
    expect(first.sessionsMb).toBeGreaterThan(HOLD_MB);
    const readings = h.engine.metrics.memoryReadings;
    for (let i = 0; i < 5; i++) {
      const again = await h.call('memory.status', {});
      expect(again.sessionsMb).toBe(first.sessionsMb);
    }
    // Five answers, not one process scan among them.
    expect(h.engine.metrics.memoryReadings).toBe(readings);

    // A program started since: its memory is read, not left out.
    const b = await holding('b');
    const two = await h.call('memory.status', {});
    expect(h.engine.metrics.memoryReadings).toBeGreaterThan(readings);
    expect(two.sessionsMb).toBeGreaterThan(first.sessionsMb + HOLD_MB);

    // One ended: it no longer counts.
    await h.call('sessions.stop', { sessionId: b.id });
    await waitFor('b to stop', async () =>
      (await h.call('sessions.get', { sessionId: b.id })).pid === null ? true : null,
    );
    const one = await h.call('memory.status', {});
    expect(one.sessionsMb).toBeLessThan(two.sessionsMb - HOLD_MB);
    expect(one.sessionsMb).toBeGreaterThan(HOLD_MB);
    expect((await h.call('sessions.get', { sessionId: a.id })).pid).not.toBeNull();
    // None of it was a metrics pass: no history row, no sample event, no CPU share over milliseconds.
    expect(h.engine.metrics.passes).toBe(passes);
  });
});
