import WebSocket from 'ws';
import type { FrameChannel } from '../../../shared/client';

/** A Node WebSocket as a FrameChannel (tests, benchmarks, scripts talking to browser mode). */
export function connectWsChannel(
  url: string,
  headers: Record<string, string> = {},
): Promise<FrameChannel & { raw: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, maxPayload: 256 * 1024 * 1024 });
    const frameListeners: Array<(f: string) => void> = [];
    const closeListeners: Array<(r: string) => void> = [];
    ws.on('message', (data) => {
      const text = data.toString();
      for (const l of frameListeners) l(text);
    });
    ws.on('close', (code, reason) => {
      for (const l of closeListeners) l(reason.toString() || `code ${code}`);
    });
    ws.once('open', () =>
      resolve({
        raw: ws,
        send: (f) => ws.send(f),
        onFrame: (l) => void frameListeners.push(l),
        onClose: (l) => void closeListeners.push(l),
        close: () => ws.close(),
      }),
    );
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', (e) => reject(e));
  });
}

/** ws://host/ws?token=… from the http URL printed by `serve`. */
export function wsUrlFromServeUrl(serveUrl: string): string {
  const u = new URL(serveUrl);
  return `ws://${u.host}/ws?token=${encodeURIComponent(u.searchParams.get('token') ?? '')}`;
}
