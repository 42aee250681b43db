/**
 * Settings changed elsewhere (another window, the CLI, the API) while the form holds a draft: what
 * this form has not edited (still equal to what the draft was loaded from) takes the new value;
 * what it edited keeps the edit. Maps (the repositories' own settings) merge key by key, so an edit
 * to one repository here and a change to another elsewhere both stay. Without it the form kept the
 * copy it was opened with, showed it as if current, and a Save wrote the old values back over the
 * other change.
 */
export function rebaseDraft<T extends object>(draft: T, base: T, fresh: T): T {
  return rebaseValue(draft, base, fresh) as T;
}

function rebaseValue(draft: unknown, base: unknown, fresh: unknown): unknown {
  if (same(draft, base)) return fresh;
  if (!isPlainObject(draft) || !isPlainObject(base) || !isPlainObject(fresh)) return draft;
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(draft), ...Object.keys(base), ...Object.keys(fresh)])) {
    const value = rebaseValue(draft[key], base[key], fresh[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** A text field's draft: the new value unless this form changed it. */
export function rebaseText(text: string, baseText: string, freshText: string): string {
  return text === baseText ? freshText : text;
}

/** The fields of `next` that differ from `base`: what a Save sends, so it never writes back a value it did not change. */
export function changedFields<T extends object, K extends keyof T>(next: T, base: T, fields: readonly K[]): Partial<T> {
  const out: Partial<T> = {};
  for (const key of fields) if (!same(next[key], base[key])) out[key] = next[key];
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
