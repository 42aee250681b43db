import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { networkInterfaces } from 'node:os';

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

const isWildcard = (host: string) => host === '0.0.0.0' || host === '::' || host === '[::]';
const bracket = (h: string) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);

export type GuardResult = { ok: true } | { ok: false; status: 400 | 403; reason: string };

/**
 * Which requests may reach the host at all (the token is checked later, in the WebSocket's first
 * frame): a Host header naming this server (DNS rebinding), and — when a browser sends one — an
 * Origin naming it too (cross-site WebSocket hijacking). Loopback names and this machine's own
 * addresses must carry our port; names accepted with `--allow-remote` (a reverse proxy's name)
 * may carry any port or none.
 */
export class RequestGuard {
  private readonly exact = new Set<string>();
  private readonly anyPort = new Set<string>();

  constructor(opts: { bindHost: string; port: number; allowedHostNames?: string[] }) {
    const { bindHost, port } = opts;
    const withPort = (h: string) => this.exact.add(`${bracket(h).toLowerCase()}:${port}`);
    for (const h of ['127.0.0.1', 'localhost', '::1']) withPort(h);
    if (isWildcard(bindHost)) {
      for (const list of Object.values(networkInterfaces())) {
        for (const a of list ?? []) withPort(a.address.replace(/%.*$/, ''));
      }
    } else {
      withPort(bindHost);
    }
    for (const raw of opts.allowedHostNames ?? []) {
      const name = raw.trim().toLowerCase();
      if (!name) continue;
      if (/:\d+$/.test(name) && !name.endsWith(']')) this.exact.add(name);
      else this.anyPort.add(bracket(name));
    }
  }

  /** Whether `host` (a Host header value or an origin's host:port) names this server. */
  hostAllowed(host: string): boolean {
    const h = host.toLowerCase();
    if (this.exact.has(h)) return true;
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h);
    return m !== null && this.anyPort.has(m[1]);
  }

  check(headers: IncomingHttpHeaders): GuardResult {
    const host = typeof headers.host === 'string' ? headers.host : '';
    if (!host || !this.hostAllowed(host)) {
      return { ok: false, status: 403, reason: `Host header ${JSON.stringify(host.slice(0, 100))} is not this server` };
    }
    const origin = headers.origin;
    if (origin === undefined) return { ok: true };
    let originHost: string | null = null;
    try {
      const u = new URL(origin);
      if ((u.protocol === 'http:' || u.protocol === 'https:') && origin === u.origin) originHost = u.host;
    } catch {
      originHost = null;
    }
    if (originHost === null || !this.hostAllowed(originHost)) {
      return { ok: false, status: 403, reason: `Origin ${JSON.stringify(origin.slice(0, 100))} is not this server` };
    }
    return { ok: true };
  }
}
