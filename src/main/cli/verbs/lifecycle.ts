import type { RemovalVerdict } from '../../../shared/removal';
import { UsageError } from '../usage-error';
import { isAppError } from '../../../shared/errors';
import { parseVerbArgs, required } from '../args';
import { withClient } from '../cli-client';
import { createOutput } from '../output';
import { resolveSession } from '../session-ref';
import type { Verb } from '../verb';

const sessionOption = { 'session-id': { type: 'string' } } as const;

export const terminateVerb: Verb = {
  name: 'terminate',
  summary: 'stop a session and remove its worktree (the branch is kept unless asked)',
  help: `Usage: multisession terminate --session-id ID [--delete-branch] [--commit-message MSG]
                             [--force | --accept FINGERPRINT] [--json] [--home DIR]

Stops the program and removes the session's worktree. Work is never lost silently: first the
session is checked for anything removing it would lose — uncommitted, untracked and ignored-but-work
files (.env…), commits on no other branch, stashes, submodule work, a locked worktree. If there is
any, nothing is touched and the list is printed with its fingerprint.

  --session-id ID        the session: its exact id or exact name (no id prefixes here)
  --commit-message MSG   commit your changed and new files to the branch first (files Multisession
                         copied in or the setup script made are left out unless you edited them)
  --delete-branch        delete the session's branch too
  --force                discard exactly what the check finds now: the list is printed first
  --accept FINGERPRINT   discard exactly the list you were shown (its fingerprint); anything that
                         changed since is kept and the terminate refused
  --json                 print the terminated session as JSON
  --home DIR             data dir

Examples:
  multisession terminate --session-id 3f2a9c41d0e7 --commit-message "WIP from session"
  multisession terminate --session-id fix-login --force`,
  async run(argv) {
    const v = parseVerbArgs('terminate', argv, {
      ...sessionOption,
      force: { type: 'boolean' },
      accept: { type: 'string' },
      'delete-branch': { type: 'boolean' },
      'commit-message': { type: 'string' },
    } as const);
    if (v.help) {
      process.stdout.write(`${terminateVerb.help}\n`);
      return 0;
    }
    const out = createOutput(v.json === true);
    const ref = required('terminate', 'session-id', v['session-id']);
    if (v['commit-message'] !== undefined) required('terminate', 'commit-message', v['commit-message']);
    if (v.accept !== undefined) required('terminate', 'accept', v.accept);
    if (v.force && v.accept !== undefined) {
      throw new UsageError(
        'give either --force or --accept, not both — see `multisession help terminate`',
        'terminate',
      );
    }
    const deleteBranch = v['delete-branch'] === true;
    return withClient(v.home, async (client) => {
      const session = await resolveSession(client, ref, { destructive: true });
      let acceptLoss = v.accept;
      if (v['commit-message'] !== undefined && !deleteBranch) {
        const plan = await client.sessions.commitPreview({ sessionId: session.id });
        for (const c of plan.commit) out.note(`will commit: ${c.path} (${c.change})`);
        for (const x of plan.excluded) out.note(`not committed: ${x.path} — ${x.reason}`);
      }
      if (v.force) {
        const verdict = await client.sessions.removalCheck({ sessionId: session.id, deleteBranch });
        if (verdict.verdict !== 'safe') {
          out.note(`Discarding exactly this (fingerprint ${verdict.fingerprint}):`);
          for (const line of verdictLines(verdict)) out.note(`  ${line}`);
          acceptLoss = verdict.fingerprint;
        }
      }
      const s = await client.sessions
        .terminate({ sessionId: session.id, deleteBranch, commitMessage: v['commit-message'], acceptLoss })
        .catch((e: unknown) => {
          const verdict = isAppError(e) ? (e.details?.verdict as RemovalVerdict | undefined) : undefined;
          if (verdict) {
            out.note(`Nothing was changed. What terminating "${session.name}" would lose:`);
            for (const line of verdictLines(verdict)) out.note(`  ${line}`);
            out.note(`To discard exactly this: --accept ${verdict.fingerprint} (or --force to re-check and discard).`);
          }
          throw e;
        });
      out.result(s, () =>
        [
          `Terminated ${s.name} (${s.id}); worktree ${s.worktreePath} removed.`,
          deleteBranch && !s.errorReason?.startsWith('Branch kept')
            ? `Branch ${s.branch} deleted.`
            : `Branch ${s.branch} kept.`,
        ].join('\n'),
      );
      return 0;
    });
  },
};

/** The items of a verdict, one line each, for people. */
export function verdictLines(v: RemovalVerdict): string[] {
  if (v.verdict === 'safe') return ['nothing would be lost'];
  if (v.verdict === 'cannot-tell') return [`cannot tell what would be lost: ${v.reason}`];
  const lines = v.items.map((i) => `${i.kind.padEnd(14)} ${i.detail}`);
  if (v.total > v.items.length) lines.push(`… and ${v.total - v.items.length} more`);
  return lines;
}
