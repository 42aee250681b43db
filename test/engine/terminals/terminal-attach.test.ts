import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../../src/main/engine/rpc/event-hub';
import { silentLogger } from '../../../src/main/engine/core/logger';
import { RecordingPeer, renderTerminal } from '../../support/recording-peer';
import { waitFor } from '../../support/wait-for';
import { buildPtyEnv, TerminalService } from '../../../src/main/engine/terminals/terminal-service';

const fakeAgent = resolve(__dirname, '../../fixtures/fake-agent.mjs');
let service: TerminalService;
let dir: string;

beforeEach(() => {
  service = new TerminalService({ hub: new EventHub(), log: silentLogger, scrollback: 10_000 });
  dir = mkdtempSync(join(tmpdir(), 'ms-attach-'));
});

afterEach(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function ackingPeer(id: string): RecordingPeer {
  const peer: RecordingPeer = new RecordingPeer(id, (s, chars) => service.ack(s, peer, chars));
  return peer;
}

/** The numbers on the rendered lines, in order (lines that are exactly a number). */
function numbersIn(lines: string[]): number[] {
  return lines
    .map((l) => l.trim())
    .filter((l) => /^\d+$/.test(l))
    .map(Number);
}

/** 1..k each exactly once, in order: nothing lost, nothing duplicated. */
function expectContiguous(nums: number[]): void {
  expect(nums.length).toBeGreaterThan(0);
  nums.forEach((n, i) => expect(n).toBe(i + 1));
}

describe('attach', () => {
  it('snapshot + live data hold every line exactly once across 20 attach/detach cycles', async () => {
    const total = 4000;
    const cols = 80;
    const rows = 24;
    service.spawn({
      sessionId: 'seq',
      file: fakeAgent,
      args: ['--print-seq', String(total), '--seq-delay-ms', '10'],
      cwd: dir,
      env: buildPtyEnv({}),
      cols,
      rows,
    });
    // Any number on screen: under load the first ones may already have scrolled away.
    await waitFor('printing started', () => service.screenLines('seq')?.some((l) => /^\d+$/.test(l.trim())));
    let sawLive = 0;
    for (let cycle = 0; cycle < 20; cycle++) {
      const peer = ackingPeer(`p${cycle}`);
      const snap = await service.attach('seq', peer);
      // Detach once live data came after the snapshot (or the program is done printing): a fixed
      // window saw nothing under load, when the PTY's output arrives in bursts.
      await waitFor('live data after the snapshot, or the end', () => {
        const seen = snap.snapshot + peer.dataFor('seq');
        return /\d/.test(peer.dataFor('seq')) || seen.includes('seq done');
      });
      service.detach('seq', peer);
      const received = peer.dataFor('seq');
      if (/\d/.test(received)) sawLive++;
      const shown = await renderTerminal(snap.snapshot + received, cols, rows);
      expectContiguous(numbersIn(shown.lines));
      // Nothing arrives after detach.
      const count = peer.events.length;
      await new Promise((r) => setTimeout(r, 20));
      expect(peer.events.length).toBe(count);
    }
    // The cycles ran while the program printed, so most of them got live data after the snapshot.
    expect(sawLive).toBeGreaterThan(5);
    const last = ackingPeer('last');
    const snap = await service.attach('seq', last);
    await waitFor('sequence end', () => (snap.snapshot + last.dataFor('seq')).includes('seq done'), 30_000);
    const shown = await renderTerminal(snap.snapshot + last.dataFor('seq'), cols, rows);
    const nums = numbersIn(shown.lines);
    expect(nums.length).toBe(total);
    expectContiguous(nums);
  });

  it('a full-screen program (vim) comes back right from a snapshot', async () => {
    const file = join(dir, 'poem.txt');
    writeFileSync(file, Array.from({ length: 60 }, (_, i) => `poem-line-${String(i + 1).padStart(3, '0')}`).join('\n'));
    service.spawn({
      sessionId: 'vim',
      file: 'vim',
      args: ['-u', 'NONE', '-i', 'NONE', '-n', file],
      cwd: dir,
      env: buildPtyEnv({}),
      cols: 80,
      rows: 24,
    });
    await waitFor('vim drew the file', () => service.screenLines('vim')?.some((l) => l.includes('poem-line-001')));
    const snap = await service.attach('vim', ackingPeer('p'));
    expect(snap.snapshot).toContain('\x1b[?1049h');
    const shown = await renderTerminal(snap.snapshot, snap.cols, snap.rows);
    expect(shown.alternate).toBe(true);
    for (let i = 1; i <= 20; i++) {
      const text = `poem-line-${String(i).padStart(3, '0')}`;
      expect(shown.screen[i - 1]).toBe(text);
    }
    // Scrolling in vim is reflected in a fresh snapshot too.
    service.input('vim', 'G');
    await waitFor('vim at the end', () => service.screenLines('vim')?.some((l) => l.includes('poem-line-060')));
    const again = await service.attach('vim', ackingPeer('p2'));
    const shownAgain = await renderTerminal(again.snapshot, again.cols, again.rows);
    expect(shownAgain.screen.some((l) => l === 'poem-line-060')).toBe(true);
    expect(shownAgain.screen.some((l) => l === 'poem-line-001')).toBe(false);
    service.input('vim', '\x1b:q!\r');
    await waitFor('vim exit', () => !service.isRunning('vim'));
  });

  it('attach resizes the terminal and re-attaching the same peer replaces its subscription', async () => {
    service.spawn({
      sessionId: 'sh',
      file: 'bash',
      args: ['--norc', '--noprofile', '-i'],
      cwd: dir,
      env: buildPtyEnv({ PS1: '$ ' }),
    });
    const peer = ackingPeer('p');
    const first = await service.attach('sh', peer, 100, 30);
    expect({ cols: first.cols, rows: first.rows }).toEqual({ cols: 100, rows: 30 });
    await service.attach('sh', peer, 90, 20);
    peer.clear();
    service.input('sh', 'echo once-$((2+2)); stty size\r');
    await waitFor('output', () => peer.dataFor('sh').includes('20 90'));
    expect(peer.dataFor('sh').split('once-4').length - 1).toBe(1);
  });
});
