/** How often a condition is polled: often enough that a test never waits long after it holds. */
const POLL_MS = 25;

/**
 * Polls `check` until it returns a truthy value and returns that value; throws naming `what`
 * (and the last value seen) once `timeoutMs` passes. The deadline is generous on purpose: tests
 * wait for behaviour, they do not time it.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) {
      let shown: string;
      try {
        shown = JSON.stringify(last) ?? String(last);
      } catch {
        shown = String(last);
      }
      throw new Error(`Timed out waiting for ${what} (last value: ${shown.slice(0, 500)})`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
