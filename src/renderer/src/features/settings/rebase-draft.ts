/**
 * Settings changed elsewhere (another window, the CLI, the API) while the form holds a draft: each
 * field this form has not edited (still equal to what the draft was loaded from) takes the new
 * value; each field edited here keeps the edit. Without it the form kept the copy it was opened
 * with, showed it as if current, and a Save wrote the old values back over the other change.
 */
export function rebaseDraft<T extends object>(draft: T, base: T, fresh: T): T {
  const out = { ...fresh };
  for (const key of Object.keys(draft) as (keyof T)[]) {
    if (!same(draft[key], base[key])) out[key] = draft[key];
  }
  return out;
}

/** A text field's draft: the new value unless this form changed it. */
export function rebaseText(text: string, baseText: string, freshText: string): string {
  return text === baseText ? freshText : text;
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
