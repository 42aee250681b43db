import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../../src/main/engine/rpc/event-hub';
import { silentLogger } from '../../../src/main/engine/core/logger';
import { RecordingPeer } from '../../support/recording-peer';
import { waitFor } from '../../support/wait-for';
import { buildPtyEnv, TerminalService } from '../../../src/main/engine/terminals/terminal-service';
import {
  RememberedView,
  rememberedColoursPath,
  rememberedSizePath,
} from '../../../src/main/engine/terminals/viewer-memory';

const probe = resolve(__dirname, '../../fixtures/terminal-probe.mjs');
let service: TerminalService;
let dir: string;

beforeEach(() => {
  service = new TerminalService({ hub: new EventHub(), log: silentLogger });
  dir = mkdtempSync(join(tmpdir(), 'ms-viewers-'));
});

afterEach(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function viewer(id: string): RecordingPeer {
  const peer: RecordingPeer = new RecordingPeer(id, (s, chars) => service.ack(s, peer, chars));
  return peer;
}

function start(id: string, cols = 90, rows = 20): void {
  service.spawn({ sessionId: id, file: process.execPath, args: [probe], cwd: dir, env: buildPtyEnv({}), cols, rows });
}

/** The sizes the program printed, oldest first. */
async function programSizes(id: string): Promise<string[]> {
  return ((await service.serialize(id)) ?? '').match(/SIZE \d+x\d+/g) ?? [];
}

async function lastProgramSize(id: string): Promise<string | undefined> {
  return (await programSizes(id)).at(-1);
}

/** The `terminals.size` events a viewer was sent. */
function toldSizes(peer: RecordingPeer): string[] {
  return peer.events
    .filter((e) => e.name === 'terminals.size')
    .map((e) => {
      const p = e.payload as { cols: number; rows: number };
      return `${p.cols}x${p.rows}`;
    });
}

function replies(id: string): string[] {
  return (service.screenLines(id) ?? []).filter((l) => l.startsWith('REPLY '));
}

describe('one size for several viewers', () => {
  it('latest: two tabs and an attach of three sizes — the last used wins, everyone is told, the size returns', async () => {
    start('s');
    await waitFor('program up', async () => (await lastProgramSize('s')) === 'SIZE 90x20');
    const tabA = viewer('tab-a');
    const tabB = viewer('tab-b');
    const attach = viewer('attach');
    expect((await service.attach('s', tabA, 100, 30)).cols).toBe(100);
    await waitFor('program at tab A', async () => (await lastProgramSize('s')) === 'SIZE 100x30');
    const b = await service.attach('s', tabB, 80, 24);
    expect(`${b.cols}x${b.rows}`).toBe('80x24');
    await service.attach('s', attach, 120, 40);
    await waitFor('program at the attach', async () => (await lastProgramSize('s')) === 'SIZE 120x40');
    // Every viewer hears of it, also the ones that did not cause it.
    await waitFor('tabs told', () => toldSizes(tabA).at(-1) === '120x40' && toldSizes(tabB).at(-1) === '120x40');

    // Typing in tab A makes it the latest used: its size comes back.
    service.input('s', 'x', tabA);
    await waitFor('program at tab A again', async () => (await lastProgramSize('s')) === 'SIZE 100x30');
    expect(toldSizes(attach).at(-1)).toBe('100x30');

    // The attach leaves: nothing changes for tab A, the latest. Tab A leaves: tab B's size returns.
    service.detach('s', attach);
    service.detach('s', tabA);
    await waitFor('program at tab B', async () => (await lastProgramSize('s')) === 'SIZE 80x24');
    expect(toldSizes(tabB).at(-1)).toBe('80x24');
  });

  it('smallest: the smallest width and height of all viewers, back up when the small one leaves', async () => {
    service.setSizePolicy('smallest');
    start('s');
    const wide = viewer('wide');
    const tall = viewer('tall');
    await service.attach('s', wide, 150, 20);
    await service.attach('s', tall, 70, 50);
    await waitFor('program at the smallest of both', async () => (await lastProgramSize('s')) === 'SIZE 70x20');
    service.resize('s', 60, 45, tall);
    await waitFor('program follows a shrinking window', async () => (await lastProgramSize('s')) === 'SIZE 60x20');
    service.detach('s', tall);
    await waitFor('back to the wide viewer', async () => (await lastProgramSize('s')) === 'SIZE 150x20');
    expect(toldSizes(wide).at(-1)).toBe('150x20');
  });

  it("a program started while a viewer waits starts at that viewer's size, not the default", async () => {
    service.restore('s', 'earlier output\r\n');
    const tab = viewer('tab');
    await service.attach('s', tab, 111, 33);
    start('s', 120, 32);
    await waitFor('program printed its size', async () => (await programSizes('s')).length > 0);
    expect((await programSizes('s'))[0]).toBe('SIZE 111x33');
  });
});

describe('terminal queries are answered exactly once', () => {
  it('no viewer: the host answers cursor position, device attributes and background colour', async () => {
    start('s');
    await waitFor('program up', async () => (await lastProgramSize('s')) !== undefined);
    service.input('s', 'cdo');
    await waitFor('three replies', () => replies('s').length === 3);
    const text = replies('s').join('\n');
    expect(text).toMatch(/REPLY "\\u001b\[\d+;1R"/);
    expect(text).toMatch(/REPLY "\\u001b\[\?1;2c"/);
    expect(text).toMatch(/REPLY "\\u001b\]11;rgb:1e1e\/1e1e\/1e1e/);
  });

  it('one viewer: the viewer gets the query and the host stays silent', async () => {
    start('s');
    const tab = viewer('tab');
    await service.attach('s', tab, 90, 20);
    service.input('s', 'c', tab);
    await waitFor('the viewer saw the query', () => tab.dataFor('s').includes('\x1b[6n'));
    // The viewer's terminal answers (as xterm would, typed into the program).
    service.input('s', '\x1b[5;7R', tab);
    await waitFor('one reply', () => replies('s').length === 1);
    expect(replies('s')).toEqual(['REPLY "\\u001b[5;7R"']);
    expect(service.primaryViewer('s')).toBe(tab);
  });

  it('two viewers: only the primary (latest used) gets queries, the other never sees them', async () => {
    start('s');
    const tab = viewer('tab');
    const attach = viewer('attach');
    await service.attach('s', tab, 90, 20);
    await service.attach('s', attach, 90, 20);
    service.input('s', 'c', attach);
    await waitFor('the primary saw it', () => attach.dataFor('s').includes('\x1b[6n'));
    service.input('s', 'o', tab); // now the tab is the most recently used
    await waitFor('the tab saw the colour query', () => tab.dataFor('s').includes('\x1b]11;?'));
    service.input('s', 'xyz', tab);
    await waitFor('later input echoed', () => (service.screenLines('s') ?? []).some((l) => l.includes('"z"')));
    expect(tab.dataFor('s')).not.toContain('\x1b[6n');
    expect(attach.dataFor('s')).not.toContain('\x1b]11;?');
    // Nobody answered, so the host did not either: no reply reached the program.
    expect(replies('s')).toEqual([]);
  });

  it("after the last viewer leaves the host answers again, with that viewer's colours", async () => {
    start('s');
    const tab = viewer('tab');
    await service.attach('s', tab, 90, 20, { foreground: '#222222', background: '#fafafa', cursor: '#222222' });
    service.detach('s', tab);
    service.input('s', 'o');
    await waitFor('one reply', () => replies('s').length === 1);
    expect(replies('s')[0]).toContain('rgb:fafa/fafa/fafa');
  });

  it('a program no viewer ever looked at answers with the theme a viewer of another terminal last reported', async () => {
    start('seen');
    const tab = viewer('tab');
    await service.attach('seen', tab, 90, 20, { foreground: '#222222', background: '#fafafa', cursor: '#222222' });
    start('unseen'); // e.g. auto-started from the wizard before its tab opened
    await waitFor('program up', async () => (await lastProgramSize('unseen')) !== undefined);
    service.input('unseen', 'o');
    await waitFor('one reply', () => replies('unseen').length === 1);
    expect(replies('unseen')[0]).toContain('rgb:fafa/fafa/fafa');
  });

  it('the colours outlive the service: a host started later in the same data dir answers with them', async () => {
    const first = new TerminalService({
      hub: new EventHub(),
      log: silentLogger,
      colours: new RememberedView(dir, silentLogger),
    });
    try {
      first.spawn({ sessionId: 'a', file: process.execPath, args: [probe], cwd: dir, env: buildPtyEnv({}) });
      await first.attach('a', new RecordingPeer('tab', null), 90, 20, {
        foreground: '#101010',
        background: '#f0f0f0',
        cursor: '#101010',
      });
    } finally {
      await first.dispose();
    }
    await service.dispose();
    service = new TerminalService({
      hub: new EventHub(),
      log: silentLogger,
      colours: new RememberedView(dir, silentLogger),
    });
    start('s');
    await waitFor('program up', async () => (await lastProgramSize('s')) !== undefined);
    service.input('s', 'o');
    await waitFor('one reply', () => replies('s').length === 1);
    expect(replies('s')[0]).toContain('rgb:f0f0/f0f0/f0f0');
  });

  it('the latest report wins, whichever process heard it: the file is read at each query', async () => {
    await service.dispose();
    service = new TerminalService({
      hub: new EventHub(),
      log: silentLogger,
      colours: new RememberedView(dir, silentLogger),
    });
    start('seen');
    await service.attach('seen', viewer('tab'), 90, 20, {
      foreground: '#222222',
      background: '#fafafa',
      cursor: '#222222',
    });
    // Another process (the app's engine, told the theme changed) remembers a dark theme.
    new RememberedView(dir, silentLogger).note({ foreground: '#eeeeee', background: '#101820', cursor: '#eeeeee' });
    start('s');
    await waitFor('program up', async () => (await lastProgramSize('s')) !== undefined);
    service.input('s', 'o');
    await waitFor('one reply', () => replies('s').length === 1);
    expect(replies('s')[0]).toContain('rgb:1010/1818/2020');
  });

  it('a remembered file that is not a colour set or size is ignored', async () => {
    const view = new RememberedView(dir, silentLogger);
    writeFileSync(rememberedColoursPath(dir), '{"background": "white"}');
    expect(view.get()).toBeNull();
    writeFileSync(rememberedColoursPath(dir), 'not json');
    expect(view.get()).toBeNull();
    writeFileSync(rememberedSizePath(dir), '{"cols": 0, "rows": 20}');
    expect(view.size()).toBeNull();
    view.noteSize(80, 24);
    expect(view.size()).toEqual({ cols: 80, rows: 24 });
  });
});

describe('restarts are visible', () => {
  it('a restarted program starts on a clean screen under a separator with the time and reason', async () => {
    start('s');
    await waitFor('first run up', async () => (await lastProgramSize('s')) !== undefined);
    service.input('s', 'a'); // the program leaves the terminal in a state a restart must undo
    await waitFor('alternate screen', () => (service.screenLines('s') ?? []).some((l) => l.includes('ALT')));
    const exited = new Promise((r) => service.onExit(r));
    service.input('s', '\x04');
    await exited;
    service.spawn({
      sessionId: 's',
      file: process.execPath,
      args: [probe],
      cwd: dir,
      env: buildPtyEnv({}),
      restartReason: 'restarted · last run exited with code 0',
    });
    await waitFor('second run up', () => (service.screenLines('s') ?? []).some((l) => l.startsWith('SIZE')));
    const screen = service.screenLines('s') ?? [];
    expect(screen[0]).toMatch(/^── restarted · last run exited with code 0 · \d\d:\d\d:\d\d ─+$/);
    expect(screen[1]).toMatch(/^SIZE \d+x\d+$/);
    expect(screen.slice(2).every((l) => l.trim() === '')).toBe(true);
    // The first run's output is still in the scrollback above.
    expect(((await service.serialize('s')) ?? '').match(/SIZE/g)?.length).toBe(2);
  });
});
