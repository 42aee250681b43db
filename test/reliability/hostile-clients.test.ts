import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/engine/core/logger';
import { startHost, type Host } from '../../src/main/host/start-host';
import { startBrowserHost, type BrowserHost } from '../../src/main/server/browser-host';
import { makeIpcInvokeHandler, type InvokeEventLike } from '../../src/main/transports/electron-ipc/ipc-invoke';
import { isAppUrl, isExternalWebUrl, isTrustedSender } from '../../src/main/app/url-policy';
import type { Peer } from '../../src/main/engine/rpc/peer';
import { waitFor } from '../support/wait-for';
import { openAuthedWs, wsAttempt } from '../support/ws-auth';
import { PropertyTally } from './support/report';

// Hostile clients of browser mode: no token, wrong token, foreign Origin, rebound Host, clients that
// never finish a request or never read — refused or cut off. Plus the window's URL and sender rules.
const tally = new PropertyTally('hostile-clients');
const counts = {
  refusedHttp: 0,
  refusedUpgrade: 0,
  slowlorisCut: 0,
  nonReaderCut: 0,
  untrustedIpc: 0,
  navigationRefused: 0,
};
let host: Host;
/** Short timeouts, so the slowloris cases finish quickly. */
let fast: BrowserHost;
/** Product defaults (10 s headers timeout, 32 MB unread output). */
let std: BrowserHost;

beforeAll(async () => {
  host = await startHost({ dataDir: mkdtempSync(join(tmpdir(), 'ms-hostile-')), mode: 'browser', log: silentLogger });
  const common = {
    engine: host.engine,
    log: silentLogger,
    host: '127.0.0.1',
    port: 0,
    staticDir: join(tmpdir(), 'none'),
  };
  fast = await startBrowserHost({
    ...common,
    headersTimeoutMs: 1000,
    requestTimeoutMs: 2000,
    maxBufferedBytes: 1024 * 1024,
  });
  std = await startBrowserHost(common);
});
afterAll(async () => {
  Object.assign(tally.figures, counts, {
    refusedByReason: JSON.stringify({ ...fast.stats.refused }).replace(/"/g, ''),
  });
  tally.report();
  await fast.close();
  await std.close();
  await host.close();
});

function httpStatus(b: BrowserHost, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: b.port, path, headers, setHost: !('Host' in headers) },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Opens a TCP connection and reports when the server closes it (ms after opening). */
function rawConnection(
  b: BrowserHost,
  start: (s: Socket) => void,
): Promise<{ socket: Socket; closed: Promise<number> }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const socket = connect(b.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    const closed = new Promise<number>((r) => socket.once('close', () => r(Date.now() - t0)));
    socket.once('connect', () => {
      start(socket);
      resolve({ socket, closed });
    });
  });
}

/** Starts headers and then trickles one more header line every 300 ms, never finishing. */
function trickleHeaders(b: BrowserHost) {
  return rawConnection(b, (s) => {
    s.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${b.port}\r\n`);
    let i = 0;
    const timer = setInterval(() => (s.destroyed ? clearInterval(timer) : s.write(`X-Slow-${i++}: a\r\n`)), 300);
    s.once('close', () => clearInterval(timer));
  });
}

describe('hostile clients of browser mode', () => {
  it('requests and connections with a missing or wrong token, a foreign Origin or a rebound Host are refused', async () => {
    const hostHeader = `127.0.0.1:${fast.port}`;
    const t = fast.token;
    // The token is presented only in the WebSocket's first frame: every variant of it is refused there.
    const tokens: Array<[string, string | null, string?]> = [
      ['no first frame content', null, ''],
      ['not an auth frame', null, '{"t":"req","id":1,"name":"app.info","input":{}}'],
      ['garbage first frame', null, '\u0000\u0001not json'],
      ['empty token', ''],
      ['wrong token', 'wrong'],
      ['token with a different case', t.toUpperCase()],
      ['token as a prefix', t.slice(0, -1)],
      ['token with a suffix', `${t}x`],
      ['token with spaces', ` ${t} `],
    ];
    for (const [label, token, firstFrame] of tokens) {
      tally.fault();
      const r = await wsAttempt(fast.port, { token, firstFrame, headers: { Host: hostHeader } });
      if (tally.check(r === 'close 4401', `websocket ${label}: ${r}`)) counts.refusedUpgrade++;
    }
    // A Host or Origin that is not this server is refused before any token is looked at.
    const foreign: Array<[string, Record<string, string>]> = [
      ['foreign Origin', { Origin: 'http://evil.example' }],
      ['Origin on another port', { Origin: `http://127.0.0.1:${fast.port + 1}` }],
      ['null Origin', { Origin: 'null' }],
      ['Origin with a path', { Origin: `http://127.0.0.1:${fast.port}/x` }],
      ['rebound Host (DNS rebinding)', { Host: `evil.example:${fast.port}` }],
      ['Host lookalike', { Host: `127.0.0.1.evil.example:${fast.port}` }],
      ['Host on another port', { Host: `127.0.0.1:${fast.port + 1}` }],
      ['Host without port', { Host: '127.0.0.1' }],
      [
        'rebound Host with a matching Origin',
        { Host: `evil.example:${fast.port}`, Origin: `http://evil.example:${fast.port}` },
      ],
    ];
    for (const [label, headers] of foreign) {
      tally.fault(2);
      const h = await httpStatus(fast, '/healthz', { Host: hostHeader, ...headers });
      if (tally.check(h === 403, `HTTP ${label}: ${h}`)) counts.refusedHttp++;
      const u = await wsAttempt(fast.port, { token: t, headers: { Host: hostHeader, ...headers } });
      if (tally.check(u === 'http 403', `upgrade ${label}: ${u}`)) counts.refusedUpgrade++;
    }
    // A cookie or header carrying the token authorises nothing: only the first frame does.
    for (const headers of [{ Cookie: `ms_token=${t}` }, { Authorization: `Bearer ${t}` }] as Record<string, string>[]) {
      tally.fault();
      const r = await wsAttempt(fast.port, { token: null, firstFrame: '{}', headers });
      tally.check(r === 'close 4401', `token outside the first frame (${Object.keys(headers)[0]}): ${r}`);
    }
    // Controls: the app's files need no token (they hold no secret); the right token gets in.
    tally.check((await httpStatus(fast, '/healthz', { Host: hostHeader })) === 200, 'HTTP is served');
    tally.check(
      (await wsAttempt(fast.port, { token: t, headers: { Origin: fast.origin } })) === 'accepted',
      'the right token is accepted',
    );
    expect(tally.failed).toEqual([]);
  });

  it('guesses are rate-limited per address and logged in aggregate', async () => {
    const mark = tally.failed.length;
    const lines: string[] = [];
    const log = { ...silentLogger, warn: (_s: string, m: string) => void lines.push(m) };
    const limited = await startBrowserHost({
      engine: host.engine,
      log,
      host: '127.0.0.1',
      port: 0,
      staticDir: join(tmpdir(), 'none'),
      guessLimits: { freePerWindow: 10, perSecondWhenThrottled: 5, maxWaiting: 5 },
    });
    try {
      // The free ones: checked at once.
      const first: string[] = [];
      for (let i = 0; i < 10; i++) first.push(await wsAttempt(limited.port, { token: `guess-${i}` }));
      tally.fault(10);
      tally.check(
        first.every((o) => o === 'close 4401'),
        `the first 10 wrong tokens are refused: ${first.join(',')}`,
      );
      // Past them: a burst waits in a line of 5, checked 5 a second; the rest is refused unchecked.
      const t0 = Date.now();
      const burst = await Promise.all(
        Array.from({ length: 25 }, (_, i) => wsAttempt(limited.port, { token: `burst-${i}` })),
      );
      const burstMs = Date.now() - t0;
      tally.fault(25);
      const checked = burst.filter((o) => o === 'close 4401').length;
      const unchecked = burst.filter((o) => o === 'close 4429').length;
      // A waiting attempt that got its turn frees its place while the burst still arrives: 5 or a few more.
      tally.check(
        checked >= 5 && checked <= 10 && checked + unchecked === 25,
        `a burst of 25: ${checked} checked, ${unchecked} refused unchecked`,
      );
      // The real user is never locked out: the right token gets in after its turn.
      tally.check(
        (await wsAttempt(limited.port, { token: limited.token })) === 'accepted',
        'the right token during the throttle is accepted',
      );
      tally.check(lines.length <= 1, `guesses logged in aggregate, not one line each (${lines.length} lines so far)`);
      tally.figures.throttledGuessesPerSec = Math.round((checked / burstMs) * 1000 * 10) / 10;
    } finally {
      await limited.close();
    }
    tally.figures.guessLogLines = lines.length;
    tally.check(
      lines.some((l) => /\d+ more wrong access token/.test(l)),
      'the aggregate line is written on close',
    );
    expect(tally.since(mark)).toEqual([]);
  });

  it(
    'clients that never finish their request are cut off (short timeouts and the product defaults)',
    { timeout: 60_000 },
    async () => {
      const mark = tally.failed.length;
      // Product defaults: a trickle of headers must be cut by the 10 s headers timeout.
      const onDefault = await Promise.all(Array.from({ length: 3 }, () => trickleHeaders(std)));
      const conns = [
        ...(await Promise.all(Array.from({ length: 20 }, () => trickleHeaders(fast)))),
        // Connects and never sends a byte.
        ...(await Promise.all(Array.from({ length: 10 }, () => rawConnection(fast, () => undefined)))),
        // Complete headers, then a body trickled one byte at a time.
        ...(await Promise.all(
          Array.from({ length: 5 }, () =>
            rawConnection(fast, (s) => {
              s.write(`POST /healthz HTTP/1.1\r\nHost: 127.0.0.1:${fast.port}\r\nContent-Length: 100000\r\n\r\n`);
              const timer = setInterval(() => (s.destroyed ? clearInterval(timer) : s.write('a')), 300);
              s.once('close', () => clearInterval(timer));
            }),
          ),
        )),
      ];
      tally.fault(conns.length + onDefault.length);
      const timeout = <T>(p: Promise<T>, ms: number) =>
        Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), ms))]);
      const fastCut = await Promise.all(conns.map((c) => timeout(c.closed, 15_000)));
      // 10 s headers timeout plus a checking interval; without a short interval Node waited ~30 s.
      const defaultCut = await Promise.all(onDefault.map((c) => timeout(c.closed, 20_000)));
      for (const c of [...conns, ...onDefault]) c.socket.destroy();
      for (const [i, ms] of fastCut.entries())
        if (tally.check(ms !== null, `slow client ${i} on the 1 s host was never cut off`)) counts.slowlorisCut++;
      for (const [i, ms] of defaultCut.entries())
        if (tally.check(ms !== null, `slow client ${i} on the default host was never cut off`)) counts.slowlorisCut++;
      tally.figures.slowlorisCutMaxMs_1s = Math.max(...fastCut.map((x) => x ?? Infinity));
      tally.figures.slowlorisCutMaxMs_default = Math.max(...defaultCut.map((x) => x ?? Infinity));
      // The host still serves others.
      tally.check((await httpStatus(fast, '/healthz', {})) === 200, 'host still serves after the slow clients');
      expect(tally.since(mark)).toEqual([]);
    },
  );

  it(
    'a WebSocket client that never reads is cut off (1 MB limit and the 32 MB default)',
    { timeout: 60_000 },
    async () => {
      const mark = tally.failed.length;
      // Big answers: settings of ~2 MB (presets with long arguments) asked for again and again.
      const big = 'a'.repeat(60_000);
      await host.engine.router.dispatch(
        'settings.update',
        {
          presets: [0, 1].map((i) => ({
            id: `big${i}`,
            name: 'big',
            command: 'echo',
            args: Array.from({ length: 16 }, () => big),
          })),
        },
        { id: 't', kind: 'local', send: () => undefined, onClose: () => undefined, isOpen: () => true },
      );
      for (const [label, b, requests] of [
        ['1 MB', fast, 40],
        ['32 MB default', std, 60],
      ] as const) {
        tally.fault();
        const before = b.stats.cutOff;
        const ws = await openAuthedWs(`ws://127.0.0.1:${b.port}/ws`, b.token);
        ws.pause();
        const closed = new Promise<boolean>((r) => ws.once('close', () => r(true)));
        for (let i = 0; i < requests; i++)
          ws.send(JSON.stringify({ t: 'req', id: i, name: 'settings.get', input: {} }));
        // Keep asking until the host cuts us off (each answer beyond the limit is a cut).
        const cut = await Promise.race([
          (async () => {
            await waitFor(`the ${label} non-reader to be cut off`, () => b.stats.cutOff > before, 40_000);
            return true;
          })(),
          closed,
        ]).catch(() => false);
        ws.terminate();
        if (tally.check(cut, `a WebSocket client that never reads was not cut off (${label})`)) counts.nonReaderCut++;
        // Others are still served.
        const other = await openAuthedWs(`ws://127.0.0.1:${b.port}/ws`, b.token);
        const answered = await new Promise<boolean>((r) => {
          other.send(JSON.stringify({ t: 'req', id: 1, name: 'app.info', input: {} }));
          other.once('message', () => r(true));
          other.once('error', () => r(false));
        });
        other.close();
        tally.check(answered, `another client is served after the ${label} cut`);
      }
      expect(tally.since(mark)).toEqual([]);
    },
  );

  it('the Electron window: navigation, new windows and IPC from untrusted senders are refused', async () => {
    const mark = tally.failed.length;
    const fileApp = 'file:///opt/multisession/resources/app/out/renderer/index.html';
    const devApp = 'http://localhost:5173/';
    const navigations: Array<[string, string, boolean]> = [
      [fileApp, fileApp, true],
      [fileApp, `${fileApp}#/settings`, true],
      [fileApp, 'file:///etc/passwd', false],
      [fileApp, 'file:///opt/multisession/resources/app/out/renderer/other.html', false],
      [fileApp, 'https://evil.example/', false],
      [fileApp, 'javascript:alert(1)', false],
      [fileApp, 'data:text/html,<script>alert(1)</script>', false],
      [fileApp, 'about:blank', false],
      [fileApp, 'not a url', false],
      [fileApp, '', false],
      [devApp, 'http://localhost:5173/#/batch', true],
      [devApp, 'http://localhost:5174/', false],
      [devApp, 'http://localhost:5173.evil.example/', false],
      [devApp, 'https://localhost:5173/', false],
      [devApp, 'http://user@evil.example/', false],
      [devApp, 'blob:null/abc', false],
    ];
    for (const [allowed, url, ok] of navigations) {
      if (!ok) tally.fault();
      const verdict = isAppUrl(allowed, url);
      if (tally.check(verdict === ok, `navigation to ${JSON.stringify(url)} from ${allowed}: ${verdict}`) && !ok)
        counts.navigationRefused++;
    }
    for (const [url, ok] of [
      ['https://github.com/', true],
      ['http://example.com/x', true],
      ['file:///etc/passwd', false],
      ['javascript:alert(1)', false],
      ['data:text/html,x', false],
      ['smb://server/share', false],
      ['vscode://file/etc/passwd', false],
      ['garbage', false],
    ] as const) {
      if (!ok) tally.fault();
      tally.check(isExternalWebUrl(url) === ok, `new window ${url} handed to the browser: ${!ok}`);
    }
    // The IPC handler with the real sender rule: only our window showing our renderer is answered.
    const peer: Peer = { id: 'ipc', kind: 'ipc', send: () => undefined, onClose: () => undefined, isOpen: () => true };
    type Ev = InvokeEventLike & { ours: boolean };
    const handler = makeIpcInvokeHandler<Ev>({
      router: host.engine.router,
      log: silentLogger,
      isTrusted: (e) => isTrustedSender({ allowedUrl: fileApp, isOurWindow: e.ours, frameUrl: e.senderFrame?.url }),
      peerFor: () => peer,
    });
    const senders: Array<[string, Ev, boolean]> = [
      ['our renderer', { sender: { id: 1 }, senderFrame: { url: fileApp }, ours: true }, true],
      ['another window showing our URL', { sender: { id: 2 }, senderFrame: { url: fileApp }, ours: false }, false],
      [
        'a foreign iframe in our window',
        { sender: { id: 1 }, senderFrame: { url: 'https://evil.example/' }, ours: true },
        false,
      ],
      [
        'a file: frame elsewhere',
        { sender: { id: 1 }, senderFrame: { url: 'file:///tmp/evil.html' }, ours: true },
        false,
      ],
      [
        'devtools',
        { sender: { id: 3 }, senderFrame: { url: 'devtools://devtools/bundled/x.html' }, ours: false },
        false,
      ],
      ['no frame', { sender: { id: 1 }, senderFrame: null, ours: true }, false],
      ['a frame with a malformed URL', { sender: { id: 1 }, senderFrame: { url: '::::' }, ours: true }, false],
    ];
    for (const [label, event, ok] of senders) {
      if (!ok) tally.fault();
      const r = await handler(event, 'sessions.list', {});
      const verdict = r.ok ? 'ok' : r.error.code;
      if (tally.check(verdict === (ok ? 'ok' : 'FORBIDDEN'), `IPC from ${label}: ${verdict}`) && !ok)
        counts.untrustedIpc++;
    }
    expect(tally.since(mark)).toEqual([]);
  });
});
