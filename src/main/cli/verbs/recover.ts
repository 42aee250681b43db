import { sessionVerb } from './session-verb';

/** Keeps the worktree of a creation the host was stopped in the middle of (issue #16). */
export const recoverVerb = sessionVerb({
  name: 'recover',
  summary: 'keep the worktree of a creation that a crash interrupted, as a normal stopped session',
  help: `Usage: multisession recover --session-id ID [--json] [--home DIR]

A session whose creation was cut short (the host stopped or crashed meanwhile) is in error with
"Creation was interrupted…" and its worktree kept. recover keeps it: files the checkout had not
written yet are written (nothing existing is overwritten) and the session becomes stopped. To
throw it away instead, terminate it (what that would lose is listed first).

  --session-id ID   the session (id, unique id prefix or name)

Example:
  multisession recover --session-id 3f2a9c1b7d0e`,
  options: {},
  async run({ client, session, out }) {
    const s = await client.sessions.recover({ sessionId: session.id });
    out.result(s, () => `Kept the worktree of ${s.name} at ${s.worktreePath}; the session is ${s.status}.`);
    return 0;
  },
});
