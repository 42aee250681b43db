import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FrameClient } from '../../src/shared/client';
import { renderTerminal } from '../support/recording-peer';
import { pidRunning } from '../support/pid-running';
import { repoRoot, startServeProcess, type ServeProcess } from '../support/serve-process';
import { makeTempRepo, type TempDir } from '../support/temp-repo';
import { stopTerminalHosts, terminalHostLock } from '../support/terminal-host';
import { waitFor } from '../support/wait-for';

const fakeAgent = resolve(__dirname, '../fixtures/fake-agent.mjs');
const built =
  existsSync(join(repoRoot, 'out/main/serve.js')) && existsSync(join(repoRoot, 'out/main/terminal-host.js'));

let repo: TempDir;
let serve: ServeProcess | null = null;
let home: string | null = null;
beforeEach(async () => {
  repo = await makeTempRepo({ files: 2 });
});
afterEach(async () => {
  if (serve) await serve.stop('SIGKILL');
  if (home) await stopTerminalHosts(home);
  serve = null;
  home = null;
  await repo.cleanup();
});

/** A viewer like the renderer: collects a terminal's data and acknowledges it as it is consumed. */
function viewer(client: FrameClient, sessionId: string) {
  let data = '';
  client.on('terminals.data', (e) => {
    if (e.sessionId !== sessionId) return;
    data += e.data;
    void client.request('terminals.ack', { sessionId, chars: e.data.length });
  });
  return {
    attach: async () => {
      const r = await client.call('terminals.attach', { sessionId, cols: 100, rows: 30 });
      return r;
    },
    text: () => data,
  };
}

async function running(client: FrameClient, name: string, program: string, args: string[] = []) {
  const [s] = await client.call('sessions.create', { name, repoPath: repo.path, program, args });
  return waitFor(`${name} to run`, async () => {
    const x = await client.call('sessions.get', { sessionId: s.id });
    return x.pid !== null && ['active', 'busy', 'idle', 'waiting'].includes(x.status) ? x : null;
  });
}

describe.skipIf(!built)('sessions outlive the UI host', () => {
  it('kill -9 of the UI host: the same programs (same PIDs) run on, and the terminal continues where it was', async () => {
    serve = await startServeProcess();
    home = serve.home;
    let client = await serve.client();
    const a = await running(client, 'shell a', 'bash', ['--noprofile', '--norc']);
    const b = await running(client, 'shell b', 'bash', ['--noprofile', '--norc']);
    const va = viewer(client, a.id);
    await va.attach();
    await client.call('terminals.input', { sessionId: a.id, data: 'echo before-$((6*7))\r' });
    await waitFor('the echo before the crash', () => va.text().includes('before-42'));
    client.close();

    await serve.stop('SIGKILL');
    serve = null;
    expect(pidRunning(a.pid!)).toBe(true);
    expect(pidRunning(b.pid!)).toBe(true);

    serve = await startServeProcess({ home });
    client = await serve.client();
    const after = await client.call('sessions.list', {});
    const byId = new Map(after.map((s) => [s.id, s]));
    expect(byId.get(a.id)?.pid).toBe(a.pid);
    expect(byId.get(b.id)?.pid).toBe(b.pid);
    expect(['active', 'busy', 'idle', 'waiting']).toContain(byId.get(a.id)?.status);
    const va2 = viewer(client, a.id);
    const snap = await va2.attach();
    expect(snap.running).toBe(true);
    expect(snap.snapshot).toContain('before-42');
    // The same shell: its variables are still set, and it still answers.
    await client.call('terminals.input', { sessionId: a.id, data: 'echo after-$$\r' });
    await waitFor('the echo after the restart', () => va2.text().includes(`after-${a.pid}`));
    client.close();
  });

  it('quitting during a flood loses and doubles nothing: snapshot + live after the restart hold every line once', async () => {
    serve = await startServeProcess();
    home = serve.home;
    let client = await serve.client();
    const lines = 3000;
    // About 9 s of counting: the restart happens while it goes on.
    const s = await running(client, 'counter', process.execPath, [
      fakeAgent,
      '--wait-enter',
      '--print-seq',
      String(lines),
      '--seq-delay-ms',
      '30',
    ]);
    const v = viewer(client, s.id);
    await v.attach();
    await client.call('terminals.input', { sessionId: s.id, data: '\r' });
    await waitFor('the count to be under way', () => /\n1\d\d\r/.test(v.text()));
    // Quit (SIGTERM: "keep sessions running" is on by default) while the program is still printing.
    await serve.stop('SIGTERM');
    serve = null;
    expect(pidRunning(s.pid!)).toBe(true);

    serve = await startServeProcess({ home });
    client = await serve.client();
    const v2 = viewer(client, s.id);
    const snap = await v2.attach();
    await waitFor('the count to finish', () => (snap.snapshot + v2.text()).includes('seq done'));
    // Some of the count arrived live after the reattach, not only in the snapshot.
    expect(v2.text()).toMatch(/\d+\r+\n/);
    const screen = await renderTerminal(snap.snapshot + v2.text(), 100, 30);
    const numbers = screen.lines.filter((l) => /^\d+$/.test(l)).map(Number);
    expect(numbers.length).toBe(lines);
    expect(numbers.every((n, i) => n === i + 1)).toBe(true);
    client.close();
  });

  it('kill -9 of the terminal host: the app names the lost sessions and starts a new terminal host', async () => {
    serve = await startServeProcess();
    home = serve.home;
    const client = await serve.client();
    const notes: string[] = [];
    client.on('notify', (n) => notes.push(`${n.title}: ${n.body}`));
    const s = await running(client, 'doomed shell', 'bash', ['--noprofile', '--norc']);
    const host = terminalHostLock(home)!;
    expect(host).not.toBeNull();
    process.kill(host.pid, 'SIGKILL');

    const lost = await waitFor('the session to be reported lost', async () => {
      const x = await client.call('sessions.get', { sessionId: s.id });
      return x.status === 'error' ? x : null;
    });
    expect(lost.errorReason).toMatch(/terminal host/i);
    expect(lost.pid).toBeNull();
    await waitFor('the notification naming it', () => notes.some((n) => n.includes('doomed shell')));
    const next = await waitFor('a new terminal host', () => {
      const l = terminalHostLock(home!);
      return l && l.pid !== host.pid ? l : null;
    });
    expect(pidRunning(next.pid)).toBe(true);
    // The app works on: the session starts again in the new host.
    await client.call('sessions.start', { sessionId: s.id });
    const again = await waitFor('the restart', async () => {
      const x = await client.call('sessions.get', { sessionId: s.id });
      return x.pid !== null ? x : null;
    });
    expect(again.pid).not.toBe(s.pid);
    client.close();
  });
});
