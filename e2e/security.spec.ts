import WebSocket from 'ws';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from './fixtures';

/** Resolves with the HTTP status of a refused upgrade, or 101 when it was accepted. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', (e) => reject(e));
  });
}

test('HTTP requests without the token, with a wrong token, a foreign Origin or Host are refused', async ({
  host,
  request,
}) => {
  expect((await request.get(host.origin + '/')).status()).toBe(401);
  expect((await request.get(host.origin + '/?token=wrong')).status()).toBe(401);
  expect((await request.get(host.url, { headers: { Origin: 'https://evil.example' } })).status()).toBe(403);
  expect((await request.get(host.url, { headers: { Host: `evil.example:${host.port}` } })).status()).toBe(403);
  expect((await request.get(host.url)).status()).toBe(200);
});

test('WebSocket upgrades without the token or from a foreign Origin are refused', async ({ host }) => {
  const base = `ws://127.0.0.1:${host.port}/ws`;
  expect(await upgradeStatus(base, {})).toBe(401);
  expect(await upgradeStatus(`${base}?token=nope`, {})).toBe(401);
  expect(await upgradeStatus(`${base}?token=${host.token}`, { Origin: 'https://evil.example' })).toBe(403);
  expect(await upgradeStatus(`${base}?token=${host.token}`, { Host: `rebound.example:${host.port}` })).toBe(403);
  expect(await upgradeStatus(`${base}?token=${host.token}`, { Origin: host.origin })).toBe(101);
});

test('a page on another site cannot drive the host from a real browser', async ({ page, host }) => {
  // A "foreign site" on another local port (another origin) tries to open the socket, even knowing
  // the token: the browser sends its own Origin, which the host refuses.
  const foreign = createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1>elsewhere</h1>'),
  );
  await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', () => r()));
  const port = (foreign.address() as AddressInfo).port;
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    const outcome = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new globalThis.WebSocket(url);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      `ws://127.0.0.1:${host.port}/ws?token=${host.token}`,
    );
    expect(outcome).toBe('refused');
    expect(host.child.exitCode).toBeNull();
  } finally {
    foreign.close();
  }
});
