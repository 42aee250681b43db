import { describe, expect, it } from 'vitest';
import { FrameClient, type FrameChannel } from './client';

/** A channel whose host side is the test: it sees what the client sent and answers by hand. */
function scriptedChannel() {
  const sent: string[] = [];
  const frameListeners: Array<(f: string) => void> = [];
  const channel: FrameChannel = {
    send: (f) => void sent.push(f),
    onFrame: (l) => void frameListeners.push(l),
    onClose: () => undefined,
    close: () => undefined,
  };
  return { channel, sent, deliver: (text: string) => frameListeners.forEach((l) => l(text)) };
}

describe('FrameClient reads host frames through a schema', () => {
  it('resolves a well-formed answer with its value', async () => {
    const { channel, deliver } = scriptedChannel();
    const client = new FrameClient(channel);
    const pending = client.request('sessions.list', {});
    deliver(JSON.stringify({ t: 'res', id: 1, ok: true, value: [] }));
    expect(await pending).toEqual({ ok: true, value: [] });
  });

  it('answers a malformed answer to a pending request with INTERNAL instead of waiting forever', async () => {
    const { channel, deliver } = scriptedChannel();
    const client = new FrameClient(channel);
    const pending = client.request('sessions.list', {});
    deliver(JSON.stringify({ t: 'res', id: 1, ok: 'yes' }));
    const r = await pending;
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INTERNAL');
      expect(r.error.message).toMatch(/malformed answer/);
    }
  });

  it('maps an error code this client does not know to INTERNAL, keeping the message', async () => {
    const { channel, deliver } = scriptedChannel();
    const client = new FrameClient(channel);
    const pending = client.request('sessions.get', { sessionId: 'a' });
    deliver(JSON.stringify({ t: 'res', id: 1, ok: false, error: { code: 'FROM_THE_FUTURE', message: 'newer host' } }));
    expect(await pending).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'newer host (error code FROM_THE_FUTURE is unknown to this client)' },
    });
  });

  it('ignores text that is not JSON and events that are not frames', async () => {
    const { channel, deliver } = scriptedChannel();
    const client = new FrameClient(channel);
    const seen: unknown[] = [];
    client.on('sessions.removed', (p) => seen.push(p));
    deliver('not json');
    deliver(JSON.stringify({ t: 'evt', payload: { sessionId: 'x' } }));
    deliver(JSON.stringify({ t: 'evt', name: 'sessions.removed', payload: { sessionId: 'y' } }));
    expect(seen).toEqual([{ sessionId: 'y' }]);
  });
});
