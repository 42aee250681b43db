import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../../src/main/engine/rpc/event-hub';
import { silentLogger } from '../../../src/main/engine/core/logger';
import { RecordingPeer } from '../../support/recording-peer';
import { waitFor } from '../../support/wait-for';
import { buildPtyEnv, TerminalService } from '../../../src/main/engine/terminals/terminal-service';

const batchCap = 65_536;
const high = 100_000;
let service: TerminalService;

beforeEach(() => {
  service = new TerminalService({ hub: new EventHub(), log: silentLogger, highWatermark: high, lowWatermark: 5_000 });
});

afterEach(async () => {
  await service.dispose();
});

function spawnYes(sessionId: string): void {
  service.spawn({ sessionId, file: 'yes', args: ['flood-line'], cwd: process.cwd(), env: buildPtyEnv({}) });
}

function spawnBash(sessionId: string): void {
  service.spawn({
    sessionId,
    file: 'bash',
    args: ['--norc', '--noprofile', '-i'],
    cwd: process.cwd(),
    env: buildPtyEnv({ PS1: '$ ' }),
  });
}

/** Types a command into a shell and waits for its output (proof the terminal is not starved). */
async function shellAnswers(sessionId: string, peer: RecordingPeer, n: number): Promise<void> {
  service.input(sessionId, `echo answer-$((${n}+1000))\r`);
  await waitFor(`shell ${sessionId} answer ${n}`, () => peer.dataFor(sessionId).includes(`answer-${n + 1000}`), 20_000);
}

describe('flow control', () => {
  it('bounds unacknowledged output for a slow client while other terminals keep answering', async () => {
    spawnYes('flood');
    spawnBash('sh');
    const slow: RecordingPeer = new RecordingPeer('slow', (s, chars) => service.ack(s, slow, chars), 8_000);
    const fast: RecordingPeer = new RecordingPeer('fast', (s, chars) => service.ack(s, fast, chars));
    await service.attach('flood', slow);
    await service.attach('sh', fast);
    const end = Date.now() + 5_000;
    let round = 0;
    let maxSeen = 0;
    while (Date.now() < end) {
      await shellAnswers('sh', fast, round++);
      const stats = service.flowStats('flood');
      for (const p of stats?.peers ?? []) maxSeen = Math.max(maxSeen, p.unacked);
      slow.clear();
    }
    const stats = service.flowStats('flood');
    expect(stats).not.toBeNull();
    expect(stats?.pauses).toBeGreaterThan(0);
    expect(stats?.maxUnacked).toBeGreaterThan(0);
    expect(stats?.maxUnacked).toBeLessThanOrEqual(high + batchCap);
    expect(maxSeen).toBeLessThanOrEqual(high + batchCap);
    expect(round).toBeGreaterThan(1);
    // The flood kept flowing, only throttled to the client's pace.
    expect(service.stats('flood')?.outputBytes).toBeGreaterThan(high);
  });

  it('a client that never acks pauses only its terminal, and closing it resumes the flood', async () => {
    spawnYes('flood');
    spawnBash('sh');
    const stuck = new RecordingPeer('stuck', null);
    const fast: RecordingPeer = new RecordingPeer('fast', (s, chars) => service.ack(s, fast, chars));
    await service.attach('flood', stuck);
    await service.attach('sh', fast);
    await waitFor('flood paused', () => service.flowStats('flood')?.paused);
    // Paused means the output stops growing: two reads in a row agree.
    let previous = -1;
    const stalledAt = await waitFor('output to stop', async () => {
      const now = service.stats('flood')?.outputBytes ?? 0;
      const same = now === previous;
      previous = now;
      await new Promise((r) => setTimeout(r, 200));
      return same ? now : null;
    });
    const unacked = service.flowStats('flood')?.peers.find((p) => p.peerId === 'stuck')?.unacked ?? 0;
    // Paused close to the mark, never past it: the host stops early enough that a flush in flight fits.
    expect(unacked).toBeGreaterThan(high / 2);
    expect(unacked).toBeLessThanOrEqual(high);
    await shellAnswers('sh', fast, 1);
    await shellAnswers('sh', fast, 2);
    expect(service.stats('flood')?.outputBytes).toBe(stalledAt);

    stuck.close();
    await waitFor('flood resumed', () => (service.stats('flood')?.outputBytes ?? 0) > stalledAt + high);
    expect(service.flowStats('flood')?.paused).toBe(false);
    expect(service.flowStats('flood')?.peers).toEqual([]);
  });

  it('a flood with no client attached keeps the host-side buffer bounded', async () => {
    spawnYes('flood');
    await waitFor('a megabyte of output', () => (service.stats('flood')?.outputBytes ?? 0) > 1_000_000, 30_000);
    const pending = service.flowStats('flood')?.hostPending ?? Infinity;
    // The headless screen is a consumer too: at most its high watermark (1 M chars) plus one batch.
    expect(pending).toBeLessThanOrEqual(1_000_000 + batchCap);
    const exit = await service.stop('flood', { graceMs: 200 });
    expect(exit?.sessionId).toBe('flood');
  });

  it('a program that exits while paused still has its last output drained', async () => {
    const tight = new TerminalService({
      hub: new EventHub(),
      log: silentLogger,
      highWatermark: 500,
      lowWatermark: 100,
    });
    try {
      const stuck = new RecordingPeer('stuck', null);
      // ~8 KB: more than is read before the pause (one PTY read, ~4 KB), little enough for the
      // rest to fit the kernel's PTY buffer, so the program exits while its tail is still unread
      // behind a paused stream. (With more, the program blocks writing: that is flow control.)
      tight.spawn({
        sessionId: 'short',
        file: 'bash',
        args: ['-c', 'sleep 0.3; for i in $(seq 1 800); do echo line-$i; done; echo THE-END'],
        cwd: process.cwd(),
        env: buildPtyEnv({}),
      });
      await tight.attach('short', stuck);
      const exit = await new Promise((r) => tight.onExit(r));
      expect(exit).toMatchObject({ sessionId: 'short', exitCode: 0 });
      expect(tight.flowStats('short')?.pauses).toBeGreaterThan(0);
      expect(await tight.serialize('short')).toContain('THE-END');
    } finally {
      await tight.dispose();
    }
  });
});
