import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import type { RpcEndpoint } from '../engine/rpc/endpoint';
import type { Logger } from '../engine/core/logger';
import { createWsServer } from '../transports/websocket/ws-server';
import { RequestGuard, TOKEN_COOKIE, isLoopback } from './request-guard';

export interface BrowserHostOptions {
  engine: RpcEndpoint;
  log: Logger;
  host: string;
  port: number;
  /** Binding anything but loopback needs this explicit consent. */
  allowRemote?: boolean;
  token?: string;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** A client must finish sending request headers within this (slowloris); default 10 s. */
  headersTimeoutMs?: number;
  /** A client must finish sending a whole request within this; default 30 s. */
  requestTimeoutMs?: number;
  /** A WebSocket client that leaves this much of our output unread is cut off; default 32 MB. */
  maxBufferedBytes?: number;
}

export interface BrowserHost {
  url: string;
  origin: string;
  token: string;
  port: number;
  stats: { refused: Record<string, number>; cutOff: number };
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
};

/** Browser mode cannot start as asked (a refused address, a port in use): the message says why. */
export class BrowserHostError extends Error {}

/**
 * Browser mode: the built renderer over HTTP and the contract over a WebSocket, both behind the
 * token and the Host/Origin checks. Binds loopback unless told otherwise.
 */
export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const { engine, log } = opts;
  if (!isLoopback(opts.host) && !opts.allowRemote) {
    throw new BrowserHostError(
      `Refusing to bind ${opts.host}: browser mode runs shell commands, so it listens on 127.0.0.1 only unless you pass --allow-remote.`,
    );
  }
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const stats = { refused: {} as Record<string, number>, cutOff: 0 };
  const refuse = (reason: string) => {
    const key = reason.split(' ')[0];
    stats.refused[key] = (stats.refused[key] ?? 0) + 1;
    log.warn('serve', `refused: ${reason}`);
  };
  const staticRoot = resolve(opts.staticDir);
  // Known once the port is bound (port 0 picks one).
  const guardRef: { current: RequestGuard | null } = { current: null };
  const guardCheck = (req: IncomingMessage, url: URL) =>
    guardRef.current ? guardRef.current.check(req, url) : ({ ok: false, status: 403, reason: 'starting' } as const);

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
    (req, res) => void handleHttp(req, res),
  );
  server.keepAliveTimeout = 5_000;
  server.on('timeout', () => stats.cutOff++);

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const verdict = guardCheck(req, url);
    if (!verdict.ok) {
      refuse(`${verdict.reason} (${req.method} ${url.pathname})`);
      res.writeHead(verdict.status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end(
        verdict.status === 401
          ? 'Unauthorized: open the URL printed by `npm run serve` (it carries the token).\n'
          : 'Forbidden.\n',
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, SECURITY_HEADERS).end();
      return;
    }
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' };
    if (verdict.viaQuery) {
      headers['Set-Cookie'] = `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
    }
    if (url.pathname === '/healthz') {
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json' }).end('{"ok":true}');
      return;
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = resolve(join(staticRoot, rel));
    if (!file.startsWith(staticRoot + sep)) {
      res.writeHead(404, headers).end();
      return;
    }
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('Not found\n');
    }
  }

  const ws = createWsServer({
    endpoint: engine,
    log,
    maxBufferedBytes: opts.maxBufferedBytes,
    onCutOff: () => stats.cutOff++,
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const verdict =
      url.pathname === '/ws'
        ? guardCheck(req, url)
        : ({ ok: false, status: 403, reason: 'unknown upgrade path' } as const);
    if (!verdict.ok) {
      refuse(`${verdict.reason} (websocket upgrade)`);
      const text = verdict.status === 401 ? 'Unauthorized' : 'Forbidden';
      socket.end(`HTTP/1.1 ${verdict.status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    ws.handleUpgrade(req, socket, head);
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
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  guardRef.current = new RequestGuard(token, opts.host, port);
  const shownHost = isLoopback(opts.host) ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const origin = `http://${shownHost}:${port}`;
  if (!isLoopback(opts.host)) {
    log.warn(
      'serve',
      `listening on ${opts.host}: anyone who can reach this address and has the token can run commands on this machine.`,
    );
  }
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    stats,
    close: async () => {
      ws.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
