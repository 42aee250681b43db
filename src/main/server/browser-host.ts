import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { RpcEndpoint } from '../engine/rpc/endpoint';
import type { Logger } from '../engine/core/logger';
import { createWsServer } from '../transports/websocket/ws-server';
import { GuessLimiter, type GuessLimits } from './guess-limiter';
import { RequestGuard, isLoopback, tokenMatches } from './request-guard';
import { SECURITY_HEADERS, createStaticHandler, requestPath } from './static-files';
import { weakTokenReason } from './access-token';

export interface BrowserHostOptions {
  engine: RpcEndpoint;
  log: Logger;
  host: string;
  port: number;
  /** Binding anything but loopback needs this explicit consent. */
  allowRemote?: boolean;
  /** Host names (a reverse proxy's, this machine's DNS name) whose Host header is accepted. */
  allowedHostNames?: string[];
  /** The access token (the data dir's stable one); a random one when absent (tests). */
  token?: string;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** A client must finish sending request headers within this (slowloris); default 10 s. */
  headersTimeoutMs?: number;
  /** A client must finish sending a whole request within this; default 30 s. */
  requestTimeoutMs?: number;
  /** A WebSocket client that leaves this much of our output unread is cut off; default 32 MB. */
  maxBufferedBytes?: number;
  /** How wrong tokens are rate-limited per address (defaults: 20 a minute at once, then 5 a second). */
  guessLimits?: GuessLimits;
}

export interface BrowserHost {
  /** The URL to open: the token rides in the fragment, which browsers never send to a server. */
  url: string;
  origin: string;
  token: string;
  port: number;
  stats: {
    refused: Record<string, number>;
    cutOff: number;
    wrongTokens: number;
    limited: number;
    handlerErrors: number;
  };
  close(): Promise<void>;
}

/** Browser mode cannot start as asked (a refused address, a port in use, a weak token): the message says why. */
export class BrowserHostError extends Error {}

/**
 * Browser mode: the built renderer over HTTP (no secret in it, so no credential needed) and the
 * contract over a WebSocket whose first frame must carry the token. Every request must name this
 * server in Host (and Origin, when a browser sends one). Binds loopback unless told otherwise.
 * Every input path is total: malformed requests get a 4xx, and a handler bug answers 500 and is
 * logged — the host keeps serving.
 */
export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const { engine, log } = opts;
  if (!isLoopback(opts.host) && !opts.allowRemote) {
    throw new BrowserHostError(
      `Refusing to bind ${opts.host}: browser mode runs shell commands, so it listens on 127.0.0.1 only unless you pass --allow-remote.`,
    );
  }
  if (opts.token !== undefined) {
    const weak = weakTokenReason(opts.token);
    if (weak)
      throw new BrowserHostError(`Refusing this --token: ${weak}. Leave --token out to use the data dir's own.`);
  }
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const guesses = new GuessLimiter(log, opts.guessLimits);
  const stats = {
    refused: {} as Record<string, number>,
    cutOff: 0,
    get wrongTokens() {
      return guesses.wrong;
    },
    get limited() {
      return guesses.limited;
    },
    handlerErrors: 0,
  };
  const refuse = (kind: string) => {
    stats.refused[kind] = (stats.refused[kind] ?? 0) + 1;
  };
  const serveStatic = createStaticHandler(opts.staticDir);
  // Known once the port is bound (port 0 picks one).
  let guard: RequestGuard | null = null;

  const headersTimeout = opts.headersTimeoutMs ?? 10_000;
  // Slow or stalled clients (slowloris) are cut off instead of holding sockets forever. Node only
  // checks these timeouts every connectionsCheckingInterval (30 s by default), which would let a
  // stalled client live 40 s instead of 10: check often enough for the timeouts to mean what they say.
  const server = createServer(
    {
      headersTimeout,
      requestTimeout: opts.requestTimeoutMs ?? 30_000,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
    },
    (req, res) => {
      handleHttp(req, res).catch((e: unknown) => handlerFailed('HTTP request', e, res));
    },
  );
  server.keepAliveTimeout = 5_000;
  server.on('timeout', () => stats.cutOff++);
  // Requests Node cannot even parse (bad request line, header, encoding): a 400, never a crash.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    refuse(timedOut ? 'timeout' : 'unparsable');
    const status = timedOut ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable && err.code !== 'ECONNRESET') {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else socket.destroy();
  });

  function handlerFailed(what: string, e: unknown, res?: ServerResponse, socket?: Duplex): void {
    stats.handlerErrors++;
    log.error('serve', `${what} failed; answered 500 and kept serving`, e);
    try {
      if (res && !res.headersSent) res.writeHead(500, SECURITY_HEADERS).end();
      else res?.destroy();
      socket?.destroy();
    } catch {
      // The connection is gone already.
    }
  }

  function plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra });
    res.end(`${text}\n`);
  }

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => undefined);
    const verdict = guard ? guard.check(req.headers) : ({ ok: false, status: 403, reason: 'starting' } as const);
    if (!verdict.ok) {
      refuse('host-or-origin');
      plain(res, verdict.status, 'Forbidden: this server answers only to its own address.');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse('method');
      plain(res, 405, 'Method not allowed.', { Allow: 'GET, HEAD' });
      return;
    }
    const path = requestPath(req.url);
    if (path === null) {
      refuse('path');
      plain(res, 400, 'Bad request path.');
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end('{"ok":true}');
      return;
    }
    await serveStatic(req, res, path);
  }

  const ws = createWsServer({
    endpoint: engine,
    log,
    maxBufferedBytes: opts.maxBufferedBytes,
    onCutOff: () => stats.cutOff++,
    authenticate: (given, remote) => guesses.judge(remote, () => tokenMatches(given, token)),
  });
  // Upgraded sockets leave the HTTP server's bookkeeping but still hold it open: track them.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    try {
      socket.on('error', () => undefined);
      const verdict = guard ? guard.check(req.headers) : ({ ok: false, status: 403, reason: 'starting' } as const);
      const path = requestPath(req.url);
      if (!verdict.ok || path !== '/ws') {
        refuse(verdict.ok ? 'upgrade-path' : 'host-or-origin');
        const status = verdict.ok ? 404 : verdict.status;
        socket.end(
          `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
        );
        // A client that never closes its side must not keep the socket.
        setTimeout(() => socket.destroy(), 2000).unref();
        return;
      }
      ws.handleUpgrade(req, socket, head);
    } catch (e) {
      handlerFailed('WebSocket upgrade', e, undefined, socket);
    }
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new BrowserHostError(
              `Port ${opts.port} on ${opts.host} is in use — pick another with --port (0 picks a free one).`,
            )
          : e,
      ),
    );
    server.listen(opts.port, opts.host, () => resolvePromise());
  });
  server.on('error', (e) => log.error('serve', 'HTTP server error', e));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  guard = new RequestGuard({ bindHost: opts.host, port, allowedHostNames: opts.allowedHostNames });
  const loop = isLoopback(opts.host) || opts.host === '0.0.0.0' || opts.host === '::';
  const shownHost = loop ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const origin = `http://${shownHost}:${port}`;
  if (!isLoopback(opts.host)) {
    log.warn(
      'serve',
      `serving plain HTTP on ${opts.host}: the token and every keystroke cross the network unencrypted. ` +
        'Prefer an SSH tunnel (ssh -L 7420:127.0.0.1:7420 host) or a TLS reverse proxy in front of a loopback host; see the README.',
    );
  }
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    stats,
    close: async () => {
      guesses.close();
      ws.close();
      for (const s of upgraded) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
