import WebSocket from 'ws';
import type { FrameChannel } from '../../../shared/client';

/**
 * A Node WebSocket as a FrameChannel (tests, benchmarks, scripts talking to browser mode). The
 * token (from `#token=` of the URL, or `token`) is presented in the first frame; resolves once
 * the host accepted it, rejects with the close reason when it did not.
 */
export function connectWsChannel(
  url: string,
  opts: { token?: string; headers?: Record<string, string> } = {},
): Promise<FrameChannel & { raw: WebSocket }> {
  const u = new URL(url);
  const token = opts.token ?? new URLSearchParams(u.hash.slice(1)).get('token') ?? '';
  u.hash = '';
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(u.toString(), { headers: opts.headers ?? {}, maxPayload: 256 * 1024 * 1024 });
    const frameListeners: Array<(f: string) => void> = [];
    const closeListeners: Array<(r: string) => void> = [];
    let authed = false;
    ws.on('message', (data) => {
      const text = data.toString();
      if (!authed) {
        if (!text.startsWith('{"t":"auth"')) return;
        authed = true;
        resolve({
          raw: ws,
          send: (f) => ws.send(f),
          onFrame: (l) => void frameListeners.push(l),
          onClose: (l) => void closeListeners.push(l),
          close: () => ws.close(),
        });
        return;
      }
      for (const l of frameListeners) l(text);
    });
    ws.on('close', (code, reason) => {
      if (!authed) reject(new Error(`refused (${code}): ${reason.toString()}`));
      for (const l of closeListeners) l(reason.toString() || `code ${code}`);
    });
    ws.once('open', () => ws.send(JSON.stringify({ t: 'auth', token })));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', (e) => reject(e));
  });
}

/** ws://host/ws#token=… from the http URL printed by `serve` (token after # or, from old URLs, ?token=). */
export function wsUrlFromServeUrl(serveUrl: string): string {
  const u = new URL(serveUrl);
  const token = new URLSearchParams(u.hash.slice(1)).get('token') ?? u.searchParams.get('token') ?? '';
  return `${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.host}/ws#token=${encodeURIComponent(token)}`;
}
