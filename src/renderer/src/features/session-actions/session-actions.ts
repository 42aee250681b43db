import type { RequestInput, RequestName, RequestOutput } from '../../../../shared/contract';
import type { Session } from '../../../../shared/domain';
import type { RemovalVerdict } from '../../../../shared/removal';
import { isLiveStatus, isStartableStatus } from '../../../../shared/session-state';
import { getClient } from '../../lib/client';
import { showToast } from '../../lib/toasts';
import { askConfirm } from '../../lib/ui-store';

/** One request on behalf of a click; a refusal becomes a toast in plain words and `null`. */
export async function act<K extends RequestName>(
  name: K,
  input: RequestInput<K>,
  failTitle: string,
): Promise<RequestOutput<K> | null> {
  const r = await getClient().request(name, input);
  if (r.ok) return r.value;
  showToast({ kind: 'error', sessionId: null, title: failTitle, body: r.error.message });
  return null;
}

export const startSession = (s: Session) => act('sessions.start', { sessionId: s.id }, `Could not start “${s.name}”`);
export const stopSession = (s: Session) => act('sessions.stop', { sessionId: s.id }, `Could not stop “${s.name}”`);
export const restartSession = (s: Session) =>
  act('sessions.restart', { sessionId: s.id }, `Could not restart “${s.name}”`);
export const hibernateSession = (s: Session) =>
  act('sessions.hibernate', { sessionId: s.id }, `Could not hibernate “${s.name}”`);
export const wakeSession = (s: Session) => act('sessions.wake', { sessionId: s.id }, `Could not wake “${s.name}”`);

export const resumeSession = (s: Session) =>
  act('sessions.resume', { sessionId: s.id }, `Could not resume “${s.name}”`);

/**
 * Pauses a session: its work is committed on the branch and its folder freed. When git cannot
 * commit some of it (ignored files such as node_modules or .env), the refusal's list is shown and
 * pausing anyway accepts exactly that list (its fingerprint), nothing more.
 */
export async function pauseSession(s: Session): Promise<void> {
  const r = await getClient().request('sessions.pause', { sessionId: s.id });
  if (r.ok) return;
  const verdict = r.error.details?.verdict as RemovalVerdict | undefined;
  if (r.error.code !== 'WORK_AT_RISK' || verdict?.verdict !== 'loses') {
    showToast({ kind: 'error', sessionId: s.id, title: `Could not pause “${s.name}”`, body: r.error.message });
    return;
  }
  const shown = verdict.items.slice(0, 8).map((i) => i.detail);
  const more = verdict.total - shown.length;
  askConfirm({
    title: `Pause “${s.name}” and lose what git cannot commit?`,
    body: `Pausing commits the work in progress to ${s.branch} and frees the folder. Git cannot commit these, so they would be gone when it is resumed: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`,
    confirmLabel: 'Pause and lose these',
    danger: true,
    onConfirm: () =>
      void act('sessions.pause', { sessionId: s.id, acceptLoss: verdict.fingerprint }, `Could not pause “${s.name}”`),
  });
}

/** Copies text and says so (or why not: a browser may refuse the clipboard outside a click). */
export async function copyText(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    showToast({ kind: 'info', sessionId: null, title: `Copied ${what}`, body: text });
  } catch {
    showToast({ kind: 'error', sessionId: null, title: `Could not copy ${what}`, body: text });
  }
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * Starts every startable session of `sessions` (queued past the running cap, highest priority
 * first), after asking: one click over many sessions is never silent.
 */
export function startAll(sessions: Session[], scope: string): void {
  const targets = sessions.filter((s) => isStartableStatus(s.status));
  if (targets.length === 0) {
    showToast({ kind: 'info', sessionId: null, title: 'Nothing to start', body: `No stopped session in ${scope}.` });
    return;
  }
  askConfirm({
    title: `Start ${plural(targets.length, 'session')}?`,
    body: `Starts the program of every stopped, completed or failed session in ${scope}. Sessions past the running cap wait as queued.`,
    confirmLabel: `Start ${plural(targets.length, 'session')}`,
    onConfirm: () => void Promise.all(targets.map(startSession)),
  });
}

/** Stops every running or queued session of `sessions`, after asking (worktrees and branches stay). */
export function stopAll(sessions: Session[], scope: string): void {
  const targets = sessions.filter((s) => isLiveStatus(s.status));
  if (targets.length === 0) {
    showToast({ kind: 'info', sessionId: null, title: 'Nothing to stop', body: `No session runs in ${scope}.` });
    return;
  }
  askConfirm({
    title: `Stop ${plural(targets.length, 'session')}?`,
    body: `Stops the program of every running or queued session in ${scope}. Worktrees, branches and scrollback stay; Start runs them again.`,
    confirmLabel: `Stop ${plural(targets.length, 'session')}`,
    danger: true,
    onConfirm: () => void Promise.all(targets.map(stopSession)),
  });
}
