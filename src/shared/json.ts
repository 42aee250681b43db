import type { z } from 'zod';

/** The outcome of parsing JSON text from outside the process; `error` says what was wrong. */
export type JsonResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * JSON text → `unknown`, for a boundary that checks the shape in steps (a frame: its envelope
 * first, then the payload by name). The one `JSON.parse` of the app: lint forbids it elsewhere,
 * because `JSON.parse(x) as T` believes whatever a file, a socket or a database row says.
 */
export function parseJsonValue(text: string): JsonResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** JSON text → a value of `schema`, or why not (not JSON, or the first mismatch and where). */
export function parseJson<S extends z.ZodType>(schema: S, text: string): JsonResult<z.output<S>> {
  const raw = parseJsonValue(text);
  if (!raw.ok) return raw;
  const parsed = schema.safeParse(raw.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length ? `${issue.path.join('.')}: ` : '';
  return { ok: false, error: `${where}${issue?.message ?? 'does not match its schema'}` };
}
