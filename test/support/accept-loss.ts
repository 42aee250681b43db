import type { RequestInput, RequestName, RequestOutput } from '../../src/shared/contract';
import type { Result } from '../../src/shared/errors';
import type { Session } from '../../src/shared/domain';

/** Anything that sends requests: the engine harness, a FrameClient, the CLI's client. */
export interface Requester {
  request<K extends RequestName>(name: K, input: RequestInput<K>): Promise<Result<RequestOutput<K>>>;
}

/**
 * Terminates like a user who looked at the removal check and accepted exactly that loss (the
 * old `force: true`): asks for the verdict, then terminates echoing its fingerprint.
 */
export async function terminateAccepting(
  r: Requester,
  sessionId: string,
  opts: { deleteBranch?: boolean; commitMessage?: string } = {},
): Promise<Result<Session>> {
  const verdict = await r.request('sessions.removalCheck', { sessionId, deleteBranch: opts.deleteBranch ?? false });
  if (!verdict.ok) return verdict;
  return r.request('sessions.terminate', { sessionId, ...opts, acceptLoss: verdict.value.fingerprint });
}

/** Runs cleanup accepting every kept item's listed loss (the old `cleanup --force`). */
export async function cleanupAccepting(r: Requester): Promise<Result<RequestOutput<'cleanup.run'>>> {
  const preview = await r.request('cleanup.preview', {});
  if (!preview.ok) return preview;
  const accept = preview.value.kept.flatMap((k) =>
    k.verdict && k.verdict.verdict !== 'safe' ? [k.verdict.fingerprint] : [],
  );
  return r.request('cleanup.run', { accept });
}

/** 'ok', or the error's code and message — so a failed expectation says why. */
export function outcome(r: Result<unknown>): string {
  return r.ok ? 'ok' : `${r.error.code}: ${r.error.message}`;
}
