import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

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

export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
};

/** The path of a request target, or null when it is not one we can serve (absolute-form, bad escapes, NUL). */
export function requestPath(target: string | undefined): string | null {
  if (!target || !target.startsWith('/') || target.startsWith('//')) return null;
  const raw = target.split(/[?#]/, 1)[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  return decoded;
}

/**
 * Serves the built renderer. The app holds no secret (the token lives only in the page that was
 * opened with it), so its files need no credential; paths never leave `root`.
 */
export function createStaticHandler(staticDir: string) {
  const root = resolve(staticDir);
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' };
    const rel = path === '/' ? 'index.html' : path.replace(/^\/+/, '');
    const file = resolve(join(root, rel));
    if (!file.startsWith(root + sep)) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    let body: Buffer;
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new Error('not a file');
      body = await readFile(file);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
