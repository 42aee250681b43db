import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FrameClient } from '../../src/shared/client';
import { FLOW_HIGH_CHARS } from '../../src/shared/terminal-flow';
import { ContractFrameClient } from '../../src/shared/client';
import {
  TERMINAL_HOST_PROTOCOL,
  type TerminalHostEvents,
  type TerminalHostRequests,
} from '../../src/shared/terminal-host-contract';
import { connectSocketChannel } from '../../src/main/transports/socket/socket-channel';
import { repoRoot, startServeProcess, type ServeProcess } from '../support/serve-process';
import { makeTempRepo, type TempDir } from '../support/temp-repo';
import { stopTerminalHosts, terminalHostLock } from '../support/terminal-host';
import { waitFor } from '../support/wait-for';

// The UI host forwards the terminal host's output frames to its clients without decoding them
// (relay lines, src/main/terminal-host/relay-line.ts) — in production, where contract checks are
// off. With checks on (every other test) it parses and checks them first, so this is the one place
// the forwarding path itself runs.
const built =
  existsSync(join(repoRoot, 'out/main/serve.js')) && existsSync(join(repoRoot, 'out/main/terminal-host.js'));

let repo: TempDir | null = null;
let serve: ServeProcess | null = null;
afterEach(async () => {
  const home = serve?.home;
  if (serve) await serve.stop('SIGKILL');
  if (home) await stopTerminalHosts(home);
  serve = null;
  await repo?.cleanup();
  repo = null;
});

async function runningShell(client: FrameClient, repoPath: string, script: string) {
  const [s] = await client.call('sessions.create', {
    name: 'relay',
    repoPath,
    program: 'bash',
    args: ['--noprofile', '--norc', '-c', script],
  });
  return waitFor('the program to run', async () => {
    const x = await client.call('sessions.get', { sessionId: s.id });
    return x.pid !== null ? x : null;
  });
}

/** A client of the data dir's terminal host itself, to read a terminal's flow-control state. */
async function terminalHostClient(home: string) {
  const lock = await waitFor('the terminal host', () => terminalHostLock(home));
  const client = new ContractFrameClient<TerminalHostRequests, TerminalHostEvents>(
    await connectSocketChannel(lock.socketPath),
  );
  await client.call('hello', { protocol: TERMINAL_HOST_PROTOCOL, appVersion: 'test' });
  return client;
}

describe.skipIf(!built)('terminal output relayed by the UI host as the terminal host encoded it', () => {
  it('a flood reaches two clients byte for byte, in order, and each one is held by flow control', async () => {
    repo = await makeTempRepo({ files: 1 });
    serve = await startServeProcess({ env: { MULTISESSION_CONTRACT_CHECKS: '0' } });
    const fast = await serve.client();
    const slow = await serve.client();
    const count = 40_000;
    const s = await runningShell(fast, repo.path, `read x; seq 1 ${count}; echo seq-done; read y`);

    let fastText = '';
    fast.on('terminals.data', (e) => {
      if (e.sessionId !== s.id) return;
      fastText += e.data;
      void fast.request('terminals.ack', { sessionId: s.id, chars: e.data.length });
    });
    // The slow client acknowledges nothing at first: the program must wait for it.
    let slowText = '';
    let slowAcking = false;
    slow.on('terminals.data', (e) => {
      if (e.sessionId !== s.id) return;
      slowText += e.data;
      if (slowAcking) void slow.request('terminals.ack', { sessionId: s.id, chars: e.data.length });
    });
    await fast.call('terminals.attach', { sessionId: s.id, cols: 100, rows: 30 });
    await slow.call('terminals.attach', { sessionId: s.id, cols: 100, rows: 30 });
    await fast.call('terminals.input', { sessionId: s.id, data: '\r' });

    // The terminal host pauses the program for it, holding what it was sent under the high watermark.
    const host = await terminalHostClient(serve.home);
    const held = await waitFor('the terminal to pause for the slow client', async () => {
      const flow = await host.call('flowStats', { sessionId: s.id });
      return flow?.paused ? Math.max(...flow.peers.map((p) => p.unacked)) : null;
    });
    // The host counts what it sent; the UI host may still be relaying the last of it.
    await waitFor('the slow client to receive what the host sent it', () => slowText.length >= held);
    expect(held).toBeGreaterThan(FLOW_HIGH_CHARS / 2);
    expect(slowText.length).toBeLessThanOrEqual(FLOW_HIGH_CHARS);
    expect(fastText).not.toContain('seq-done');
    host.close();
    slowAcking = true;
    void slow.request('terminals.ack', { sessionId: s.id, chars: slowText.length });

    await waitFor('both clients to see the end', () => fastText.includes('seq-done') && slowText.includes('seq-done'));
    const expected = Array.from({ length: count }, (_, i) => String(i + 1)).join('\r\n');
    for (const text of [fastText, slowText]) {
      const start = text.indexOf('1\r\n2\r\n');
      expect(start).toBeGreaterThanOrEqual(0);
      expect(text.slice(start, start + expected.length)).toBe(expected);
      expect(text.slice(start + expected.length)).toMatch(/^\r\nseq-done\r\n$/);
    }
    fast.close();
    slow.close();
  });
});
