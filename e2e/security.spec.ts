import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, screenshotBoth } from './fixtures';
import { wsAttempt } from '../test/support/ws-auth';

test('the app files need no token and set no cookie; a foreign Host or Origin is refused', async ({
  host,
  request,
}) => {
  const page = await request.get(host.origin + '/');
  expect(page.status()).toBe(200);
  expect(page.headers()['set-cookie']).toBeUndefined();
  expect((await page.text()).includes(host.token)).toBe(false);
  expect((await request.get(host.origin + '/', { headers: { Origin: 'https://evil.example' } })).status()).toBe(403);
  expect((await request.get(host.origin + '/', { headers: { Host: `evil.example:${host.port}` } })).status()).toBe(403);
  // The request that crashed the host without any token: a 400 now.
  expect((await request.get(host.origin + '/%zz')).status()).toBe(400);
  expect(host.child.exitCode).toBeNull();
});

test('the WebSocket lets in only a first frame with the token, from this origin', async ({ host }) => {
  expect(await wsAttempt(host.port, { token: null, firstFrame: '{}' })).toBe('close 4401');
  expect(await wsAttempt(host.port, { token: 'nope' })).toBe('close 4401');
  expect(await wsAttempt(host.port, { token: host.token, headers: { Origin: 'https://evil.example' } })).toBe(
    'http 403',
  );
  expect(await wsAttempt(host.port, { token: host.token, headers: { Host: `rebound.example:${host.port}` } })).toBe(
    'http 403',
  );
  expect(await wsAttempt(host.port, { token: host.token, headers: { Origin: host.origin } })).toBe('accepted');
});

test('a page from another 127.0.0.1 port, in the same browser profile as the open app, can neither crash the host nor get in', async ({
  page,
  context,
  host,
}) => {
  // The app is open and signed in; the token left the address bar.
  await page.goto(host.url);
  await expect(page.getByTestId('app-shell')).toBeVisible();
  await expect(page.getByTestId('status-connection')).toContainText('Connected');
  expect(page.url()).not.toContain('token');
  expect(page.url()).not.toContain(host.token);

  // A server on another port of the same address — like a dev server an agent started in a
  // session — records everything the browser sends it.
  const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const evilPage = `<!doctype html><title>elsewhere</title><h1>elsewhere</h1>`;
  const foreign = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(evilPage);
  });
  await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', () => r()));
  const fport = (foreign.address() as AddressInfo).port;
  try {
    const evil = await context.newPage();
    await evil.goto(`http://127.0.0.1:${fport}/`);
    // The app's page also talks to the foreign port (as a page would load an image from it).
    await page.evaluate(
      (u) => fetch(u, { mode: 'no-cors', credentials: 'include' }).catch(() => null),
      `http://127.0.0.1:${fport}/from-app`,
    );
    const outcome = await evil.evaluate(
      async ({ origin, port }) => {
        const out: Record<string, unknown> = { cookie: document.cookie };
        // 1. Try to get in: every way a page can reach the host's socket.
        const tryWs = (url: string, first?: string) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url);
            ws.onopen = () => ws.send(first ?? '{"t":"auth","token":""}');
            ws.onmessage = () => resolve('answered');
            ws.onclose = (e) => resolve(`closed ${e.code}`);
            ws.onerror = () => resolve('error');
          });
        out.ws = await tryWs(`ws://127.0.0.1:${port}/ws`);
        out.wsLocalhost = await tryWs(`ws://localhost:${port}/ws`);
        // 2. Try to read anything of the app: cross-origin reads are blocked, and nothing there is secret.
        try {
          const r = await fetch(`${origin}/`, { credentials: 'include' });
          out.read = await r.text();
        } catch {
          out.read = 'blocked';
        }
        // 3. Try to crash it: malformed URLs, methods and bodies a page can send.
        const hostile = [
          '/%zz',
          '/%',
          '/%c0%af',
          '/..%2f..%2fetc%2fpasswd',
          '/ws%zz',
          '/?token=%zz',
          '/%00',
          '/' + 'a'.repeat(8000),
        ];
        await Promise.all(
          hostile.flatMap((path) =>
            ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'].map((method) =>
              fetch(origin + path, { method, mode: 'no-cors', body: method === 'GET' ? undefined : '\u0000{' }).catch(
                () => null,
              ),
            ),
          ),
        );
        await Promise.all(
          Array.from({ length: 20 }, (_, i) => tryWs(`ws://127.0.0.1:${port}/ws`, '\u0000'.repeat(i * 50))),
        );
        return out;
      },
      { origin: host.origin, port: host.port },
    );
    expect(outcome.cookie).toBe('');
    expect(outcome.ws).not.toBe('answered');
    expect(outcome.wsLocalhost).not.toBe('answered');
    expect(outcome.read).toBe('blocked');
    // Nothing the browser sent to the foreign port carries anything of the app's credential.
    expect(seen.length).toBeGreaterThan(0);
    for (const r of seen) {
      expect(JSON.stringify(r)).not.toContain(host.token);
      expect(r.headers.cookie ?? '').toBe('');
      expect(r.headers.authorization).toBeUndefined();
    }
    // The host is up and the open app still works.
    expect(host.child.exitCode).toBeNull();
    await page.bringToFront();
    await expect(page.getByTestId('status-connection')).toContainText('Connected');
    const api = await host.client();
    expect((await api.call('app.info', {})).name).toBe('Multisession');
    api.close();
    await evil.close();
  } finally {
    foreign.close();
  }
});

test('a page without the token gets a page saying how to open the app', async ({ page, host }) => {
  await page.goto(host.origin + '/');
  await expect(page.getByTestId('access-needed')).toBeVisible();
  await expect(page.getByTestId('access-needed')).toContainText('multisession serve');
  await screenshotBoth(page, 'access-needed');
  // A wrong token (pasted into this tab: the page picks it up by itself): the same page, not a bare error.
  await page.goto(`${host.origin}/#token=not-the-token`);
  await expect(page.getByTestId('status-connection')).toHaveCount(0);
  await expect(page.getByTestId('access-needed')).toBeVisible();
  expect(page.url()).not.toContain('token');
  // Pasting the right link into this very tab (only the fragment changes) gets in.
  await page.goto(host.url);
  await expect(page.getByTestId('status-connection')).toContainText('Connected');
  expect(page.url()).not.toContain('token');
});
