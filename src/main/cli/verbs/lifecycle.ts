import { parseVerbArgs, required } from '../args';
import { withClient } from '../cli-client';
import { createOutput } from '../output';
import { resolveSession } from '../session-ref';
import type { Verb } from '../verb';

const sessionOption = { 'session-id': { type: 'string' } } as const;

export const terminateVerb: Verb = {
  name: 'terminate',
  summary: 'stop a session and remove its worktree (the branch is kept unless asked)',
  help: `Usage: multisession terminate --session-id ID [--force] [--delete-branch] [--commit-message MSG]

Stops the program and removes the session's worktree. Work is never lost silently: a worktree
with uncommitted changes needs --force (or --commit-message to commit them first), and the branch
is kept unless --delete-branch (an unmerged branch also needs --force).

  --session-id ID        the session (id, unique id prefix or name)
  --force                remove even with uncommitted changes / delete an unmerged branch
  --delete-branch        delete the session's branch too
  --commit-message MSG   commit uncommitted changes to the branch before removing the worktree
  --json                 print the terminated session as JSON
  --home DIR             data dir

Example:
  multisession terminate --session-id 3f2a9c --commit-message "WIP from session"`,
  async run(argv) {
    const v = parseVerbArgs('terminate', argv, {
      ...sessionOption,
      force: { type: 'boolean' },
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
    return withClient(v.home, async (client) => {
      const session = await resolveSession(client, ref);
      const s = await client.sessions.terminate({
        sessionId: session.id,
        force: v.force === true,
        deleteBranch: v['delete-branch'] === true,
        commitMessage: v['commit-message'],
      });
      out.result(s, () =>
        [
          `Terminated ${s.name} (${s.id}); worktree ${s.worktreePath} removed.`,
          v['delete-branch'] ? `Branch ${s.branch} deleted.` : `Branch ${s.branch} kept.`,
        ].join('\n'),
      );
      return 0;
    });
  },
};
