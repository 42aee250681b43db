import type { z } from 'zod';

/**
 * The first problem the contract's own schema finds with a value, in the schema's plain words —
 * the very check the host runs, so the UI and the host never disagree about what is valid.
 */
export function problemOf(schema: z.ZodType, value: unknown): string | null {
  const r = schema.safeParse(value);
  return r.success ? null : (r.error.issues[0]?.message ?? 'This value is not accepted.');
}

/**
 * A number typed into a text field: empty is `null` (no value, e.g. no limit), anything that is
 * not a number is a problem in words rather than a silent 0 or a dropped value.
 */
export function parseNumberField(text: string, what: string): { value: number | null; problem: string | null } {
  const t = text.trim();
  if (t === '') return { value: null, problem: null };
  const n = Number(t.replace(/[\s_]/g, ''));
  if (!Number.isFinite(n)) return { value: null, problem: `Type ${what} as a number, e.g. 2048.` };
  return { value: n, problem: null };
}

/** Problems of a form by field; `firstProblem` is what the footer says when submit is blocked. */
export type FieldProblems<K extends string> = Partial<Record<K, string>>;

export function firstProblem<K extends string>(problems: FieldProblems<K>, order: readonly K[]): string | null {
  for (const k of order) if (problems[k]) return problems[k] ?? null;
  return null;
}
