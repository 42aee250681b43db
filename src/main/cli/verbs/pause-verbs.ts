import type { RemovalVerdict } from '../../../shared/removal';
import { isAppError } from '../../../shared/errors';
import { parseVerbArgs, required } from '../args';
import { withClient } from '../cli-client';
import { createOutput } from '../output';
import { resolveSession } from '../session-ref';
import type { Verb } from '../verb';
import { verdictLines } from './lifecycle';

export const pauseVerb: Verb = {
  name: 'pause',
  summary: 'commit the work in progress to the branch and free the worktree folder (resume brings it back)',
  help: `Usage: multisession pause --session-id ID [--accept FINGERPRINT] [--json] [--home DIR]

Stops the session's program if it runs, commits every changed and new file to the session's branch
(one "WIP: …" commit; the staged state and the files Multisession copied in are kept aside) and
removes the worktree folder to free the disk. \`multisession resume\` recreates it at the same path
with every file, the staged state and the conversation as they were.

What git cannot commit — ignored files and folders (node_modules, .env…), empty folders, a
repository nested inside — would be lost: then nothing is touched and the list is printed with its
fingerprint. Submodules, a locked worktree or a merge/rebase under way refuse the pause.

  --session-id ID        the session: its exact id or exact name
  --accept FINGERPRINT   lose exactly the list you were shown; anything changed since refuses again
  --json                 print the paused session as JSON
  --home DIR             data dir

Example:
  multisession pause --session-id 3f2a9c41d0e7`,
  async run(argv) {
    const v = parseVerbArgs('pause', argv, { 'session-id': { type: 'string' }, accept: { type: 'string' } } as const);
    if (v.help) {
      process.stdout.write(`${pauseVerb.help}\n`);
      return 0;
    }
    const out = createOutput(v.json === true);
    const ref = required('pause', 'session-id', v['session-id']);
    if (v.accept !== undefined) required('pause', 'accept', v.accept);
    return withClient(v.home, async (client) => {
      const session = await resolveSession(client, ref, { destructive: true });
      const s = await client.sessions.pause({ sessionId: session.id, acceptLoss: v.accept }).catch((e: unknown) => {
        const verdict = isAppError(e) ? (e.details?.verdict as RemovalVerdict | undefined) : undefined;
        if (verdict) {
          out.note(`Nothing was changed. What pausing "${session.name}" would lose:`);
          for (const line of verdictLines(verdict)) out.note(`  ${line}`);
          out.note(`To pause losing exactly this: --accept ${verdict.fingerprint}`);
        }
        throw e;
      });
      out.result(s, () =>
        [
          `Paused ${s.name} (${s.id}); folder ${s.worktreePath} freed.`,
          s.paused?.wip
            ? `Work in progress committed on ${s.branch} (${s.paused.wip.slice(0, 10)}).`
            : `Nothing was uncommitted; ${s.branch} is unchanged.`,
        ].join('\n'),
      );
      return 0;
    });
  },
};

export const resumeVerb: Verb = {
  name: 'resume',
  summary: 'recreate a paused session’s folder with its work and start it, continuing the conversation',
  help: `Usage: multisession resume --session-id ID [--json] [--home DIR]

Recreates the worktree of a paused session at the same path on its branch, gives back every file and
the staged state as they were at pause (when the branch was not moved meanwhile), puts the files
Multisession copied in back, and starts the program with its agent's resume command. The folder must
not exist or be empty. The setup script is not run again.

Example:
  multisession resume --session-id 3f2a9c41d0e7`,
  async run(argv) {
    const v = parseVerbArgs('resume', argv, { 'session-id': { type: 'string' } } as const);
    if (v.help) {
      process.stdout.write(`${resumeVerb.help}\n`);
      return 0;
    }
    const out = createOutput(v.json === true);
    const ref = required('resume', 'session-id', v['session-id']);
    return withClient(v.home, async (client) => {
      const session = await resolveSession(client, ref, { destructive: false });
      const s = await client.sessions.resume({ sessionId: session.id });
      out.result(s, () =>
        [`Resumed ${s.name} (${s.id}) in ${s.worktreePath}; it is ${s.status}.`, s.errorReason ?? '']
          .filter(Boolean)
          .join('\n'),
      );
      return 0;
    });
  },
};
