import WebSocket from 'ws';

/** The token of a browser-mode URL (`#token=…`). */
export const tokenOf = (url: string): string => new URLSearchParams(new URL(url).hash.slice(1)).get('token') ?? '';

/**
 * A raw WebSocket that has presented `token` in its first frame and been accepted; rejects with
 * the close code when it was not. For tests that send frames exactly as they are.
 */
export function openAuthedWs(wsUrl: string, token = tokenOf(wsUrl)): Promise<WebSocket> {
  const u = new URL(wsUrl);
  u.hash = '';
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(u.toString(), { maxPayload: 256 * 1024 * 1024 });
    ws.once('open', () => ws.send(JSON.stringify({ t: 'auth', token })));
    ws.once('message', () => resolve(ws));
    ws.once('close', (code) => reject(new Error(`closed ${code}`)));
    ws.once('error', reject);
  });
}

/**
 * What happens to a WebSocket that tries to get in: `accepted` (its token frame was answered),
 * `http <status>` (the upgrade was refused) or `close <code>` (the token was refused).
 */
export function wsAttempt(
  port: number,
  opts: { token?: string | null; headers?: Record<string, string>; path?: string; firstFrame?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${opts.path ?? '/ws'}`, { headers: opts.headers ?? {} });
    ws.once('open', () => {
      if (opts.firstFrame !== undefined) ws.send(opts.firstFrame);
      else if (opts.token !== null) ws.send(JSON.stringify({ t: 'auth', token: opts.token ?? '' }));
    });
    ws.once('message', () => {
      ws.close();
      resolve('accepted');
    });
    ws.once('close', (code) => resolve(`close ${code}`));
    ws.once('unexpected-response', (_q, res) => {
      resolve(`http ${res.statusCode ?? 0}`);
      res.resume();
      ws.terminate();
    });
    ws.once('error', (e) => (e.message.includes('Unexpected server response') ? undefined : reject(e)));
  });
}
