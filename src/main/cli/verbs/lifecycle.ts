import type { Session } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { parseVerbArgs, required } from '../args';
import { withClient } from '../cli-client';
import { createOutput } from '../output';
import { resolveSession } from '../session-ref';
import type { Verb } from '../verb';

const sessionOption = { 'session-id': { type: 'string' } } as const;

function describe(s: Session): string {
  return `${s.name} (${s.id}) is ${s.status}`;
}

export const startVerb: Verb = {
  name: 'start',
  summary: "start a session's program in the running host",
  help: `Usage: multisession start --session-id ID [--json] [--home DIR]

Starts (or queues, when the most programs are already running) the session's program in the
running host. Needs a host — the app or \`multisession serve\` — because a program started by the
CLI alone would stop as soon as the command exits.

Example:
  multisession start --session-id 3f2a9c`,
  async run(argv) {
    const v = parseVerbArgs('start', argv, sessionOption);
    if (v.help) {
      process.stdout.write(`${startVerb.help}\n`);
      return 0;
    }
    const out = createOutput(v.json === true);
    const ref = required('start', 'session-id', v['session-id']);
    return withClient(v.home, async (client) => {
      const session = await resolveSession(client, ref);
      if (client.ownsDataDir || client.info.mode === 'cli') {
        throw new AppError(
          'INVALID_STATE',
          `No Multisession host is running for ${client.dataDir}, so "${session.name}" would stop as soon as this command exits — start the app or \`multisession serve\`, then run start again.`,
        );
      }
      const s = await client.sessions.start({ sessionId: session.id });
      out.result(s, () => describe(s));
      return 0;
    });
  },
};

export const stopVerb: Verb = {
  name: 'stop',
  summary: "stop a session's program (the worktree and branch stay)",
  help: `Usage: multisession stop --session-id ID [--json] [--home DIR]

Stops the session's program; its worktree and branch stay, and \`multisession start\` runs it again.

Example:
  multisession stop --session-id 3f2a9c`,
  async run(argv) {
    const v = parseVerbArgs('stop', argv, sessionOption);
    if (v.help) {
      process.stdout.write(`${stopVerb.help}\n`);
      return 0;
    }
    const out = createOutput(v.json === true);
    const ref = required('stop', 'session-id', v['session-id']);
    return withClient(v.home, async (client) => {
      const session = await resolveSession(client, ref);
      const s = await client.sessions.stop({ sessionId: session.id });
      out.result(s, () => describe(s));
      return 0;
    });
  },
};

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
