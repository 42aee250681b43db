import { describe, expect, test } from 'vitest';
import { KeyedMutex } from './repo-lock';

/** A promise the test resolves by hand, to control interleaving without timers. */
function gate(): { promise: Promise<void>; open(): void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('KeyedMutex', () => {
  test('runs calls with the same key one at a time, in call order', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const first = gate();
    const a = mutex.run('repo', async () => {
      events.push('a start');
      await first.promise;
      events.push('a end');
      return 'a';
    });
    const b = mutex.run('repo', async () => {
      events.push('b start');
      return 'b';
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(events).toEqual(['a start']);
    first.open();
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(events).toEqual(['a start', 'a end', 'b start']);
  });

  test('different keys do not wait for each other', async () => {
    const mutex = new KeyedMutex();
    const held = gate();
    const slow = mutex.run('one', () => held.promise.then(() => 'slow'));
    const fast = await mutex.run('two', async () => 'fast');
    expect(fast).toBe('fast');
    held.open();
    expect(await slow).toBe('slow');
  });

  test('a failing holder passes its error to its caller and does not block the next', async () => {
    const mutex = new KeyedMutex();
    const failing = mutex.run('repo', async () => {
      throw new Error('boom');
    });
    const next = mutex.run('repo', async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe('next');
  });

  test('forgets a key once nothing is queued on it', async () => {
    const mutex = new KeyedMutex();
    await mutex.run('repo', async () => 1);
    await Promise.resolve();
    expect(mutex.isBusy('repo')).toBe(false);
  });
});
