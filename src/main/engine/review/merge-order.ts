/** What the merge-order suggestion needs to know about one session. */
export interface OrderInput {
  sessionId: string;
  name: string;
  /** Changed lines (additions + deletions): bigger changes go first, smaller ones are cheaper to update. */
  size: number;
  /** Files it conflicts on with its base (it must update from the base first), empty when none. */
  baseConflicts: string[];
}

/** Pairwise conflicts: key `a|b` (either order) → files. */
export type ConflictMap = Map<string, string[]>;

export const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * A merge order that meets the fewest conflicts: sessions that conflict with nothing first, then
 * among the rest the one that conflicts with the fewest remaining sessions (a larger change before
 * a smaller one, since the smaller one is cheaper to update afterwards); sessions that already
 * conflict with their base come last. Each step says why, naming files.
 */
export function suggestMergeOrder(
  sessions: readonly OrderInput[],
  conflicts: ConflictMap,
): { sessionId: string; reason: string }[] {
  const remaining = new Map(sessions.map((s) => [s.sessionId, s]));
  const merged: OrderInput[] = [];
  const out: { sessionId: string; reason: string }[] = [];
  const filesWith = (a: string, b: string) => conflicts.get(pairKey(a, b)) ?? [];
  while (remaining.size > 0) {
    const candidates = [...remaining.values()];
    const score = (s: OrderInput) => ({
      base: s.baseConflicts.length > 0 ? 1 : 0,
      against: candidates.filter((o) => o !== s && filesWith(s.sessionId, o.sessionId).length > 0).length,
    });
    candidates.sort((x, y) => {
      const a = score(x);
      const b = score(y);
      return a.base - b.base || a.against - b.against || y.size - x.size || x.name.localeCompare(y.name);
    });
    const next = candidates[0];
    remaining.delete(next.sessionId);
    const before = merged.filter((m) => filesWith(m.sessionId, next.sessionId).length > 0);
    const after = [...remaining.values()].filter((o) => filesWith(next.sessionId, o.sessionId).length > 0);
    const parts: string[] = [];
    if (next.baseConflicts.length > 0) {
      parts.push(`conflicts with its base in ${list(next.baseConflicts)} — update it from the base and resolve first`);
    }
    if (before.length > 0) {
      const files = [...new Set(before.flatMap((b) => filesWith(b.sessionId, next.sessionId)))];
      parts.push(`after ${before.map((b) => b.name).join(', ')}: update from the base and resolve ${list(files)}`);
    }
    if (after.length > 0)
      parts.push(`merge before ${after.map((a) => a.name).join(', ')} (they change the same files)`);
    if (parts.length === 0) parts.push('merges cleanly — no other session changes the same files');
    out.push({ sessionId: next.sessionId, reason: capitalise(parts.join('; ')) });
    merged.push(next);
  }
  return out;
}

function list(files: readonly string[]): string {
  return files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
