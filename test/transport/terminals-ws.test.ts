import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Terminal } from '@xterm/headless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../src/main/host/start-host';
import type { BrowserHost } from '../../src/main/server/browser-host';
import { startInProcessHost, type InProcessHost } from '../support/in-process-host';
import { connectWsChannel, wsUrlFromServeUrl } from '../../src/main/transports/websocket/ws-channel';
import { FrameClient } from '../../src/shared/client';
import type { Session } from '../../src/shared/domain';
import { makeTempRepo, type TempDir } from '../support/temp-repo';
import { waitFor } from '../support/wait-for';

const fakeAgent = resolve(__dirname, '../fixtures/fake-agent.mjs');
let host: Host;
let browser: BrowserHost;
let repo: TempDir;

let inProcess: InProcessHost;

beforeAll(async () => {
  inProcess = await startInProcessHost('ms-term-ws-');
  ({ host, browser } = inProcess);
  repo = await makeTempRepo({
    files: { 'notes.txt': Array.from({ length: 40 }, (_, i) => `line-${i + 1} of the file`).join('\n') + '\n' },
  });
});
afterAll(async () => {
  await inProcess.close();
  await repo.cleanup();
});

/** A client that behaves like the renderer: keeps per-session text and acknowledges what it got. */
async function terminalClient(opts: { ack?: boolean } = {}) {
  const client = new FrameClient(await connectWsChannel(wsUrlFromServeUrl(browser.url)));
  const text = new Map<string, string>();
  const received = new Map<string, number>();
  client.on('terminals.data', ({ sessionId, data }) => {
    text.set(sessionId, (text.get(sessionId) ?? '') + data);
    received.set(sessionId, (received.get(sessionId) ?? 0) + data.length);
    if (opts.ack !== false) void client.request('terminals.ack', { sessionId, chars: data.length });
  });
  return { client, text, received };
}

async function shellSession(
  client: FrameClient,
  name: string,
  program = 'bash',
  args: string[] = [],
): Promise<Session> {
  const [s] = await client.call('sessions.create', { name, repoPath: repo.path, program, args, autoStart: true });
  await waitFor(`${name} to start`, async () => (await client.call('sessions.get', { sessionId: s.id })).pid);
  return client.call('sessions.get', { sessionId: s.id });
}

/** Renders a serialized snapshot (plus any later data) into a fresh headless xterm and reads its screen. */
async function render(data: string, cols = 100, rows = 30): Promise<{ lines: string[]; alternate: boolean }> {
  const t = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 10_000 });
  await new Promise<void>((r) => t.write(data, r));
  const buf = t.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '');
  const alternate = buf.type === 'alternate';
  t.dispose();
  return { lines, alternate };
}

describe('terminals over the WebSocket transport', () => {
  it('typing into a real shell echoes', async () => {
    const { client, text } = await terminalClient();
    const s = await shellSession(client, 'echo');
    await client.call('terminals.attach', { sessionId: s.id, cols: 100, rows: 30 });
    await client.call('terminals.input', { sessionId: s.id, data: 'echo "hello $((6*7))"\r' });
    await waitFor('the echo of the command output', () => text.get(s.id)?.includes('hello 42'));
    client.close();
  });

  it('a yes flood stays under the high watermark while another session still echoes', async () => {
    const { client: flooder, received } = await terminalClient();
    const flood = await shellSession(flooder, 'flood', 'yes', ['multisession-flood']);
    await flooder.call('terminals.attach', { sessionId: flood.id, cols: 100, rows: 30 });
    const { client: other, text } = await terminalClient();
    const quiet = await shellSession(other, 'quiet');
    await other.call('terminals.attach', { sessionId: quiet.id, cols: 100, rows: 30 });
    const deadline = Date.now() + 10_000;
    let echoes = 0;
    let maxUnacked = 0;
    while (Date.now() < deadline) {
      const marker = `ping-${echoes}`;
      await other.call('terminals.input', { sessionId: quiet.id, data: `echo ${marker}\r` });
      await waitFor(`echo of ${marker}`, () => (text.get(quiet.id) ?? '').split(marker).length >= 3);
      echoes++;
      maxUnacked = Math.max(maxUnacked, (await host.engine.terminals.flowStats(flood.id))?.maxUnacked ?? 0);
    }
    const flow = (await host.engine.terminals.flowStats(flood.id))!;
    expect(received.get(flood.id) ?? 0).toBeGreaterThan(100_000);
    expect(echoes).toBeGreaterThan(3);
    // High watermark plus at most one output batch in flight.
    expect(flow.maxUnacked).toBeLessThanOrEqual(100_000 + 65_536);
    await flooder.call('sessions.stop', { sessionId: flood.id });
    flooder.close();
    other.close();
  });

  it('a client that never acks pauses only its terminal and is bounded', async () => {
    const { client: lazy, received } = await terminalClient({ ack: false });
    const flood = await shellSession(lazy, 'never-acks', 'yes', ['x']);
    await lazy.call('terminals.attach', { sessionId: flood.id, cols: 80, rows: 24 });
    await waitFor('the PTY to pause', async () => (await host.engine.terminals.flowStats(flood.id))?.paused);
    const before = received.get(flood.id) ?? 0;
    await new Promise((r) => setTimeout(r, 500));
    expect((received.get(flood.id) ?? 0) - before).toBeLessThanOrEqual(65_536);
    expect(received.get(flood.id) ?? 0).toBeLessThanOrEqual(100_000 + 65_536);
    lazy.close();
    // Gone client: the PTY resumes (the headless screen keeps consuming).
    await waitFor(
      'the PTY to resume after the client left',
      async () => (await host.engine.terminals.flowStats(flood.id))?.paused === false,
    );
    const { client } = await terminalClient();
    await client.call('sessions.stop', { sessionId: flood.id });
    client.close();
  });

  it('attaching again and again to a numbered sequence yields every number exactly once', async () => {
    const script = 'i=0; while [ $i -lt 400 ]; do i=$((i+1)); echo "n=$i"; sleep 0.01; done; sleep 600';
    const { client: owner } = await terminalClient();
    const s = await shellSession(owner, 'sequence', 'sh', ['-c', script]);
    let all = '';
    for (let round = 0; round < 20; round++) {
      const { client, text } = await terminalClient();
      const { snapshot } = await client.call('terminals.attach', { sessionId: s.id, cols: 100, rows: 30 });
      await new Promise((r) => setTimeout(r, 40 + round * 5));
      await client.call('terminals.detach', { sessionId: s.id });
      if (round === 19) {
        all = snapshot + (text.get(s.id) ?? '');
      }
      client.close();
    }
    // Let the sequence finish, then one final attach must hold all 400 numbers once.
    const { client, text } = await terminalClient();
    await waitFor(
      'the sequence to finish',
      async () => {
        const { snapshot } = await client.call('terminals.attach', { sessionId: s.id, cols: 100, rows: 30 });
        all = snapshot;
        await client.call('terminals.detach', { sessionId: s.id });
        return snapshot.includes('n=400');
      },
      30_000,
    );
    void text;
    const { lines } = await render(all);
    const numbers = lines
      .map((l) => /^n=(\d+)$/.exec(l.trim())?.[1])
      .filter(Boolean)
      .map(Number);
    expect(numbers).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    await owner.call('sessions.stop', { sessionId: s.id });
    client.close();
    owner.close();
  });

  it('snapshot plus live stream across a boundary has no gap and no duplicate', async () => {
    const script = 'i=0; while [ $i -lt 300 ]; do i=$((i+1)); echo "m=$i"; sleep 0.005; done; sleep 600';
    const { client: owner } = await terminalClient();
    const s = await shellSession(owner, 'boundary', 'sh', ['-c', script]);
    await new Promise((r) => setTimeout(r, 300));
    const { client, text } = await terminalClient();
    const { snapshot } = await client.call('terminals.attach', { sessionId: s.id, cols: 100, rows: 30 });
    await waitFor('the rest of the sequence live', () => (snapshot + (text.get(s.id) ?? '')).includes('m=300'), 30_000);
    const { lines } = await render(snapshot + (text.get(s.id) ?? ''));
    const numbers = lines
      .map((l) => /^m=(\d+)$/.exec(l.trim())?.[1])
      .filter(Boolean)
      .map(Number);
    expect(numbers).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    await owner.call('sessions.stop', { sessionId: s.id });
    client.close();
    owner.close();
  });

  it('a full-screen program looks right in a snapshot', async () => {
    const { client } = await terminalClient();
    const s = await shellSession(client, 'pager', 'less', [join(repo.path, 'notes.txt')]);
    await waitFor('less to draw', async () => {
      const { snapshot } = await client.call('terminals.attach', { sessionId: s.id, cols: 100, rows: 30 });
      return snapshot.includes('line-1 of the file');
    });
    const { snapshot } = await client.call('terminals.attach', { sessionId: s.id, cols: 100, rows: 30 });
    const { lines, alternate } = await render(snapshot);
    expect(alternate).toBe(true);
    const screen = lines.slice(-30);
    expect(screen[0]).toBe('line-1 of the file');
    expect(screen).toContain('line-29 of the file');
    await client.call('sessions.stop', { sessionId: s.id });
    client.close();
  });

  it('the fake agent goes busy → waiting → busy → completed, seen as events', async () => {
    const { client } = await terminalClient();
    const statuses: string[] = [];
    let id = '';
    client.on('sessions.changed', ({ session }) => {
      if (session.id === id && statuses[statuses.length - 1] !== session.status) statuses.push(session.status);
    });
    writeFileSync(join(repo.path, 'untracked-note.txt'), 'x');
    const [s] = await client.call('sessions.create', {
      name: 'agent',
      repoPath: repo.path,
      program: process.execPath,
      args: [fakeAgent, '--spin-ms', '1500', '--work-ms', '1500'],
      autoStart: false,
    });
    id = s.id;
    await client.call('sessions.start', { sessionId: s.id });
    await waitFor('waiting', () => statuses.includes('waiting'), 30_000);
    await client.call('terminals.input', { sessionId: s.id, data: 'y' });
    await waitFor('completed', () => statuses.includes('completed'), 30_000);
    const from = statuses.indexOf('waiting');
    expect(statuses.slice(0, from)).toContain('busy');
    expect(statuses.slice(from + 1)).toContain('busy');
    expect(statuses[statuses.length - 1]).toBe('completed');
    client.close();
  });

  it('bad terminal input gets typed errors or clamped values', async () => {
    const { client } = await terminalClient();
    const s = await shellSession(client, 'bad-input');
    const unknown = await client.request('terminals.input', { sessionId: 'nope', data: 'x' });
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('NOT_FOUND');
    const zero = await client.request('terminals.resize', { sessionId: s.id, cols: 0, rows: 0 });
    expect(zero.ok ? 'ok' : zero.error.code).toBe('BAD_INPUT');
    const huge = await client.call('terminals.resize', { sessionId: s.id, cols: 100_000, rows: 100_000 });
    expect(huge.cols).toBeLessThanOrEqual(1000);
    expect(huge.rows).toBeLessThanOrEqual(500);
    await client.call('sessions.stop', { sessionId: s.id });
    const exited = await client.request('terminals.input', { sessionId: s.id, data: 'x' });
    expect(exited.ok ? 'ok' : exited.error.code).toBe('TERMINAL_NOT_FOUND');
    client.close();
  });
});
