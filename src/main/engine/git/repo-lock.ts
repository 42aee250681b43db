/**
 * Per-key serialisation: calls with the same key run one after another in call order, calls with
 * different keys run freely. Git races when two processes change one repository's worktree list or
 * refs at once (`git worktree add` writes `.git/worktrees/<name>` without locking), so every such
 * mutation runs inside `run(<repository key>, …)`.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    // A failure of the previous holder must not block or fail the next one.
    const result = previous.then(
      () => fn(),
      () => fn(),
    );
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // Forget the key once nothing is queued behind this call, so the map does not grow forever.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Whether anything currently holds or waits for `key` (for tests and diagnostics). */
  isBusy(key: string): boolean {
    return this.tails.has(key);
  }
}
