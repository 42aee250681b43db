import type { Session } from './domain';

export interface RefCandidate {
  id: string;
  name: string;
  status: string;
}

export type RefResolution =
  | { ok: true; session: Session; how: 'id' | 'name' | 'prefix' }
  | { ok: false; code: 'NOT_FOUND' | 'AMBIGUOUS_REFERENCE'; message: string; candidates: RefCandidate[] };

/** Shortest id prefix taken as a reference (shorter ones match too much to be meant). */
export const MIN_PREFIX = 4;

const candidate = (s: Session): RefCandidate => ({ id: s.id, name: s.name, status: s.status });
const shown = (list: Session[]) =>
  list
    .slice(0, 10)
    .map((s) => `${s.id} (${s.name}, ${s.status})`)
    .join(', ') + (list.length > 10 ? ', …' : '');

/**
 * Resolves what a person typed to one session, in this order: an exact id; an exact name that
 * one live session has (or, when no live session has it, one terminated session); a prefix of
 * the id of exactly one live session (never for destructive verbs). Anything matching several
 * sessions is an error listing them — a reference never silently picks one of many.
 */
export function resolveSessionRef(
  sessions: readonly Session[],
  ref: string,
  opts: { destructive: boolean },
): RefResolution {
  const byId = sessions.find((s) => s.id === ref);
  if (byId) return { ok: true, session: byId, how: 'id' };
  const named = sessions.filter((s) => s.name === ref);
  const liveNamed = named.filter((s) => s.status !== 'terminated');
  const pick = liveNamed.length > 0 ? liveNamed : named;
  if (pick.length === 1) return { ok: true, session: pick[0], how: 'name' };
  if (pick.length > 1) {
    return {
      ok: false,
      code: 'AMBIGUOUS_REFERENCE',
      message: `"${ref}" is the name of ${pick.length} sessions: ${shown(pick)} — give the id.`,
      candidates: pick.map(candidate),
    };
  }
  const prefixed =
    ref.length >= MIN_PREFIX ? sessions.filter((s) => s.status !== 'terminated' && s.id.startsWith(ref)) : [];
  if (opts.destructive) {
    return {
      ok: false,
      code: 'NOT_FOUND',
      message:
        prefixed.length > 0
          ? `No session has the id or name "${ref}"; it starts the id of ${shown(prefixed)} — this command changes or removes a session, so give its full id or exact name.`
          : `No session has the id or name "${ref}" — \`multisession list\` shows them.`,
      candidates: prefixed.map(candidate),
    };
  }
  if (prefixed.length === 1) return { ok: true, session: prefixed[0], how: 'prefix' };
  if (prefixed.length > 1) {
    return {
      ok: false,
      code: 'AMBIGUOUS_REFERENCE',
      message: `"${ref}" starts the id of ${prefixed.length} sessions: ${shown(prefixed)} — give more of the id.`,
      candidates: prefixed.map(candidate),
    };
  }
  return {
    ok: false,
    code: 'NOT_FOUND',
    message: `No session "${ref}"${ref.length < MIN_PREFIX ? ` (an id prefix needs at least ${MIN_PREFIX} characters)` : ''} — \`multisession list\` shows the ids.`,
    candidates: [],
  };
}
