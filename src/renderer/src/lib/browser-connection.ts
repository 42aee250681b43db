import type { FrameChannel } from '../../../shared/client';
import { AUTH_CLOSE } from '../../../shared/rpc';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized' | 'closed';

const TOKEN_KEY = 'multisession.token';

/**
 * The access token: taken from the address (`#token=…`, or `?token=…` from older links) on first
 * load and kept in this tab's session storage; the address is then rewritten without it, so it
 * leaves the address bar, the history and anything copied from them.
 */
export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const hash = new URLSearchParams(url.hash.slice(1));
  const fromUrl = hash.get('token') ?? url.searchParams.get('token');
  if (fromUrl !== null) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    hash.delete('token');
    url.searchParams.delete('token');
    const rest = hash.toString();
    url.hash = rest ? `#${rest}` : '';
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  }
  return fromUrl ?? sessionStorage.getItem(TOKEN_KEY);
}

/** Delays between reconnect attempts (the last repeats): quick after a blip, calm while the host is down. */
const BACKOFF_MS = [200, 500, 1000, 2000, 3000];
/** After the host refused a burst of wrong tokens, wait out its window. */
const LIMITED_RETRY_MS = 60_000;

/**
 * Browser mode's connection: a WebSocket to the serving host that authenticates with its first
 * frame and reconnects by itself (same URL, same token) when the host restarts. Frames sent while
 * (re)connecting are queued; a drop fails the requests in flight (`onInterrupt`). A refused token
 * stops retrying and reports `unauthorized`.
 */
export function reconnectingChannel(
  token: string | null,
  onState: (s: ConnectionState) => void,
  onReconnected: () => void,
): FrameChannel {
  const queue: string[] = [];
  const frameListeners: Array<(f: string) => void> = [];
  const interruptListeners: Array<(r: string) => void> = [];
  const closeListeners: Array<(r: string) => void> = [];
  let ws: WebSocket | null = null;
  let ready = false;
  let everOpened = false;
  let attempt = 0;
  let stopped = false;

  const fail = (reason: string) => {
    queue.length = 0;
    for (const l of interruptListeners) l(reason);
  };

  function connect(): void {
    if (stopped) return;
    const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${proto}//${window.location.host}/ws`);
    ws = socket;
    socket.onopen = () => socket.send(JSON.stringify({ t: 'auth', token: token ?? '' }));
    socket.onmessage = (e) => {
      const text = String(e.data);
      if (!ready) {
        if (!text.startsWith('{"t":"auth"')) return;
        ready = true;
        attempt = 0;
        onState('open');
        for (const f of queue.splice(0)) socket.send(f);
        if (everOpened) onReconnected();
        everOpened = true;
        return;
      }
      for (const l of frameListeners) l(text);
    };
    socket.onclose = (e) => {
      if (ws !== socket) return;
      const wasReady = ready;
      ready = false;
      ws = null;
      if (stopped) return;
      if (e.code === AUTH_CLOSE.unauthorized) {
        stopped = true;
        onState('unauthorized');
        fail('the host did not accept this page’s access token');
        return;
      }
      if (wasReady) fail('connection lost; reconnecting');
      onState(everOpened ? 'reconnecting' : 'connecting');
      const delay =
        e.code === AUTH_CLOSE.tooManyGuesses ? LIMITED_RETRY_MS : BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
      attempt++;
      setTimeout(connect, delay);
    };
  }

  // A link pasted into a tab that is already open here changes only the fragment (no reload):
  // take the new token and start over with it.
  window.addEventListener('hashchange', () => {
    if (!new URLSearchParams(window.location.hash.slice(1)).has('token')) return;
    takeToken();
    window.location.reload();
  });

  if (!token) {
    // Without a token there is nothing to try: the page explains how to open the app.
    stopped = true;
    queueMicrotask(() => onState('unauthorized'));
  } else {
    connect();
  }

  return {
    send: (f) => {
      if (stopped) throw new Error('not connected: open the link printed by `multisession serve`');
      if (ws && ready) ws.send(f);
      else queue.push(f);
    },
    onFrame: (l) => void frameListeners.push(l),
    onInterrupt: (l) => void interruptListeners.push(l),
    onClose: (l) => void closeListeners.push(l),
    close: () => {
      stopped = true;
      ws?.close();
      onState('closed');
      for (const l of closeListeners) l('closed by the page');
    },
  };
}
