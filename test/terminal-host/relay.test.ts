import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FrameClient } from '../../src/shared/client';
import { FLOW_HIGH_CHARS } from '../../src/shared/terminal-flow';
import { repoRoot, startServeProcess, type ServeProcess } from '../support/serve-process';
import { makeTempRepo, type TempDir } from '../support/temp-repo';
import { stopTerminalHosts } from '../support/terminal-host';
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
    // The slow client acknowledges only in large batches: the program must wait for it, so what it
    // holds unacknowledged never passes the high watermark.
    let slowText = '';
    let slowUnacked = 0;
    let slowMax = 0;
    slow.on('terminals.data', (e) => {
      if (e.sessionId !== s.id) return;
      slowText += e.data;
      slowUnacked += e.data.length;
      slowMax = Math.max(slowMax, slowUnacked);
      if (slowUnacked >= 60_000) {
        void slow.request('terminals.ack', { sessionId: s.id, chars: slowUnacked });
        slowUnacked = 0;
      }
    });
    await fast.call('terminals.attach', { sessionId: s.id, cols: 100, rows: 30 });
    await slow.call('terminals.attach', { sessionId: s.id, cols: 100, rows: 30 });
    await fast.call('terminals.input', { sessionId: s.id, data: '\r' });

    await waitFor('both clients to see the end', () => fastText.includes('seq-done') && slowText.includes('seq-done'));
    const expected = Array.from({ length: count }, (_, i) => String(i + 1)).join('\r\n');
    for (const text of [fastText, slowText]) {
      const start = text.indexOf('1\r\n2\r\n');
      expect(start).toBeGreaterThanOrEqual(0);
      expect(text.slice(start, start + expected.length)).toBe(expected);
      expect(text.slice(start + expected.length)).toMatch(/^\r\nseq-done\r\n$/);
    }
    expect(slowMax).toBeGreaterThan(60_000);
    expect(slowMax).toBeLessThanOrEqual(FLOW_HIGH_CHARS);
    fast.close();
    slow.close();
  });
});
