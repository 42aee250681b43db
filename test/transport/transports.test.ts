import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/engine/core/logger';
import type { Host } from '../../src/main/host/start-host';
import { startInProcessHost, type InProcessHost } from '../support/in-process-host';
import { startBrowserHost, type BrowserHost } from '../../src/main/server/browser-host';
import { connectWsChannel, wsUrlFromServeUrl } from '../../src/main/transports/websocket/ws-channel';
import { makeIpcInvokeHandler, type InvokeEventLike } from '../../src/main/transports/electron-ipc/ipc-invoke';
import { FrameClient } from '../../src/shared/client';
import { openAuthedWs, wsAttempt } from '../support/ws-auth';
import { MAX_FRAME_BYTES } from '../../src/shared/rpc';
import { z } from 'zod';
import { parseJson } from '../../src/shared/json';
import type { Peer } from '../../src/main/engine/rpc/peer';

let host: Host;
let browser: BrowserHost;
let inProcess: InProcessHost;

beforeAll(async () => {
  inProcess = await startInProcessHost('ms-transport-');
  ({ host, browser } = inProcess);
});
afterAll(async () => {
  await inProcess.close();
});

/** A raw socket so malformed frames can be sent as they are. */
async function rawSocket(): Promise<{ ws: WebSocket; next(): Promise<Record<string, unknown>> }> {
  const ws = await openAuthedWs(wsUrlFromServeUrl(browser.url));
  const queue: Array<Record<string, unknown>> = [];
  const waiters: Array<(f: Record<string, unknown>) => void> = [];
  ws.on('message', (d) => {
    const parsed = parseJson(z.record(z.string(), z.unknown()), d.toString());
    if (!parsed.ok) throw new Error(`the host sent a malformed frame: ${parsed.error}`);
    const f = parsed.value;
    if (f.t !== 'res') return;
    const w = waiters.shift();
    if (w) w(f);
    else queue.push(f);
  });
  return { ws, next: () => new Promise((r) => (queue.length ? r(queue.shift()!) : waiters.push(r))) };
}

const codeOf = (f: Record<string, unknown>) => (f.error as { code: string } | undefined)?.code;

describe('the WebSocket transport', () => {
  it('answers requests with typed values and pushes events', async () => {
    const client = new FrameClient(await connectWsChannel(wsUrlFromServeUrl(browser.url)));
    const info = await client.call('app.info', {});
    expect(info.mode).toBe('browser');
    const changed = new Promise((r) => client.on('settings.changed', r));
    await client.call('settings.update', { maxRunning: 5 });
    expect(await changed).toMatchObject({ settings: { maxRunning: 5 } });
    client.close();
  });

  it('refuses malformed frames, unknown requests and bad input with typed errors and keeps serving', async () => {
    const { ws, next } = await rawSocket();
    const other = new FrameClient(await connectWsChannel(wsUrlFromServeUrl(browser.url)));
    const cases: Array<[string | Buffer, string]> = [
      ['this is not json', 'BAD_INPUT'],
      ['{"t":"req"}', 'BAD_INPUT'],
      ['[1,2,3]', 'BAD_INPUT'],
      ['null', 'BAD_INPUT'],
      [JSON.stringify({ t: 'req', id: 1, name: 'no.such.request', input: {} }), 'UNKNOWN_REQUEST'],
      [JSON.stringify({ t: 'req', id: 2, name: 'sessions.get', input: { sessionId: 42 } }), 'BAD_INPUT'],
      [JSON.stringify({ t: 'req', id: 3, name: 'sessions.get', input: {} }), 'BAD_INPUT'],
      [JSON.stringify({ t: 'req', id: 4, name: 'sessions.get', input: { sessionId: 'nope' } }), 'NOT_FOUND'],
      [
        JSON.stringify({
          t: 'req',
          id: 5,
          name: 'sessions.create',
          input: { name: 'x', repoPath: '/nope', priority: 99 },
        }),
        'BAD_INPUT',
      ],
      [
        JSON.stringify({ t: 'req', id: 6, name: 'terminals.input', input: { sessionId: 'nope', data: 'x' } }),
        'NOT_FOUND',
      ],
      [JSON.stringify({ t: 'req', id: 7, name: '__proto__', input: {} }), 'UNKNOWN_REQUEST'],
      ['x'.repeat(MAX_FRAME_BYTES + 10), 'FRAME_TOO_LARGE'],
    ];
    for (const [frame, code] of cases) {
      ws.send(frame);
      expect(codeOf(await next())).toBe(code);
    }
    // The same connection and another client are still served.
    ws.send(JSON.stringify({ t: 'req', id: 99, name: 'app.info', input: {} }));
    expect((await next()).ok).toBe(true);
    expect((await other.call('app.info', {})).name).toBe('Multisession');
    ws.close();
    other.close();
  });

  it('refuses a missing or wrong token, a foreign Origin or a rebound Host', async () => {
    const p = browser.port;
    expect(await wsAttempt(p, { token: null, firstFrame: 'hello' })).toBe('close 4401');
    expect(await wsAttempt(p, { token: '' })).toBe('close 4401');
    expect(await wsAttempt(p, { token: 'wrong' })).toBe('close 4401');
    expect(await wsAttempt(p, { token: browser.token, headers: { Origin: 'http://evil.example' } })).toBe('http 403');
    expect(await wsAttempt(p, { token: browser.token, headers: { Host: `evil.example:${p}` } })).toBe('http 403');
    expect(await wsAttempt(p, { token: browser.token, headers: { Origin: browser.origin } })).toBe('accepted');
    // Only the first frame can authenticate; a request before it is a wrong token.
    const req = JSON.stringify({ t: 'req', id: 1, name: 'app.info', input: {} });
    expect(await wsAttempt(p, { firstFrame: req })).toBe('close 4401');
  });

  it('refuses to bind a non-loopback address without explicit consent', async () => {
    await expect(
      startBrowserHost({ engine: host.engine, log: silentLogger, host: '0.0.0.0', port: 0, staticDir: '/nonexistent' }),
    ).rejects.toThrow(/--allow-remote/);
  });
});

describe('the IPC server', () => {
  const events: string[] = [];
  const peer: Peer = {
    id: 'ipc-test',
    kind: 'ipc',
    send: (name) => void events.push(name),
    onClose: () => undefined,
    isOpen: () => true,
  };
  const trustedUrl = 'file:///app/out/renderer/index.html';
  const handler = () =>
    makeIpcInvokeHandler<InvokeEventLike>({
      router: host.engine.router,
      log: silentLogger,
      isTrusted: (e) => e.senderFrame?.url === trustedUrl,
      peerFor: () => peer,
    });

  it('answers a trusted sender through the same router', async () => {
    const r = await handler()({ sender: { id: 1 }, senderFrame: { url: trustedUrl } }, 'app.info', {});
    expect(r.ok).toBe(true);
  });

  it('refuses untrusted senders and bad input with typed errors', async () => {
    const h = handler();
    const trusted = { sender: { id: 1 }, senderFrame: { url: trustedUrl } };
    const cases: Array<[InvokeEventLike, unknown, unknown, string]> = [
      [{ sender: { id: 2 }, senderFrame: { url: 'https://evil.example/' } }, 'app.info', {}, 'FORBIDDEN'],
      [{ sender: { id: 2 }, senderFrame: null }, 'app.info', {}, 'FORBIDDEN'],
      [trusted, 'no.such', {}, 'UNKNOWN_REQUEST'],
      [trusted, 42, {}, 'UNKNOWN_REQUEST'],
      [trusted, 'sessions.get', { sessionId: ['x'] }, 'BAD_INPUT'],
      [trusted, 'sessions.get', null, 'BAD_INPUT'],
      [trusted, 'settings.update', { maxRunning: -1 }, 'BAD_INPUT'],
      [trusted, 'sessions.terminate', { sessionId: 'missing' }, 'NOT_FOUND'],
    ];
    for (const [event, name, input, code] of cases) {
      const r = await h(event, name, input);
      expect(r.ok ? 'ok' : r.error.code).toBe(code);
    }
  });
});
