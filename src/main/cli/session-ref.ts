import { AppError } from '../../shared/errors';
import type { Session } from '../../shared/domain';
import type { MultisessionClient } from '../client/multisession-client';

/**
 * Finds a session by its id, a unique prefix of its id, or its exact name — people copy short
 * ids from the table. Anything else fails with the host's NOT_FOUND.
 */
export async function resolveSession(client: MultisessionClient, ref: string): Promise<Session> {
  const exact = await client.request('sessions.get', { sessionId: ref });
  if (exact.ok) return exact.value;
  if (exact.error.code !== 'NOT_FOUND' && exact.error.code !== 'BAD_INPUT') {
    throw new AppError(exact.error.code, exact.error.message, exact.error.details);
  }
  const all = await client.sessions.list({});
  let matches = all.filter((s) => s.id.startsWith(ref) || s.name === ref);
  if (matches.length > 1) {
    const live = matches.filter((s) => s.status !== 'terminated');
    if (live.length === 1) matches = live;
  }
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    const shown = matches.slice(0, 5).map((s) => `${s.id} (${s.name})`);
    throw new AppError(
      'NOT_FOUND',
      `"${ref}" matches ${matches.length} sessions: ${shown.join(', ')} — give the full id.`,
    );
  }
  throw new AppError(
    exact.error.code === 'BAD_INPUT' ? 'NOT_FOUND' : exact.error.code,
    exact.error.code === 'BAD_INPUT'
      ? `No session "${ref}" — \`multisession list\` shows the ids.`
      : exact.error.message,
  );
}
