import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'ms_token';

/** Constant-time token comparison (hashing first makes lengths equal, so length does not leak). */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

export type GuardResult = { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

/**
 * Who may talk to the host: the right token (query or cookie), a Host header naming the address
 * we serve (DNS rebinding), and — when a browser sends one — an Origin equal to ours (cross-site
 * WebSocket hijacking).
 */
export class RequestGuard {
  private readonly allowedHosts: Set<string>;
  private readonly allowedOrigins: Set<string>;

  constructor(
    private readonly token: string,
    bindHost: string,
    port: number,
  ) {
    const names = isLoopback(bindHost)
      ? ['127.0.0.1', 'localhost', '[::1]']
      : [bindHost.includes(':') ? `[${bindHost}]` : bindHost];
    this.allowedHosts = new Set(names.map((n) => `${n}:${port}`));
    this.allowedOrigins = new Set(names.flatMap((n) => [`http://${n}:${port}`, `https://${n}:${port}`]));
  }

  check(req: IncomingMessage, url: URL): GuardResult {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!this.allowedHosts.has(host)) {
      return { ok: false, status: 403, reason: `Host header ${JSON.stringify(host)} is not the served address` };
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.allowedOrigins.has(origin.toLowerCase())) {
      return { ok: false, status: 403, reason: `Origin ${JSON.stringify(origin)} is not the served origin` };
    }
    const fromQuery = url.searchParams.get('token');
    if (fromQuery !== null) {
      return tokenMatches(fromQuery, this.token)
        ? { ok: true, viaQuery: true }
        : { ok: false, status: 401, reason: 'wrong token' };
    }
    const fromCookie = readCookie(req, TOKEN_COOKIE);
    const fromHeader =
      typeof req.headers.authorization === 'string' ? req.headers.authorization.replace(/^Bearer\s+/i, '') : null;
    const given = fromCookie ?? fromHeader;
    if (!given) return { ok: false, status: 401, reason: 'missing token' };
    return tokenMatches(given, this.token)
      ? { ok: true, viaQuery: false }
      : { ok: false, status: 401, reason: 'wrong token' };
  }
}
