import type { Session } from '../../../shared/domain';
import { isLiveStatus, isStartableStatus } from '../../../shared/session-state';
import { parseVerbArgs, required } from '../args';
import { withClient } from '../cli-client';
import { createOutput } from '../output';
import { resolveSession } from '../session-ref';
import { UsageError } from '../usage-error';
import type { Verb } from '../verb';

const options = { 'session-id': { type: 'string' }, all: { type: 'boolean' } } as const;

function describe(s: Session): string {
  return `${s.name} (${s.id}) is ${s.status}`;
}

type Action = 'start' | 'stop' | 'restart' | 'hibernate' | 'wake';

/** Verbs that take one session only. */
const single = new Set<Action>(['restart', 'hibernate', 'wake']);

/** One verb over one session (--session-id) or, for start and stop, every session it applies to (--all). */
async function run(verb: Action, help: string, argv: string[]): Promise<number> {
  const v = parseVerbArgs(verb, argv, single.has(verb) ? { 'session-id': options['session-id'] } : options);
  if (v.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const out = createOutput(v.json === true);
  const all = 'all' in v && v.all === true;
  if (all && v['session-id'] !== undefined) throw new UsageError('give either --session-id or --all, not both', verb);
  const ref = all ? '' : required(verb, 'session-id', v['session-id']);
  return withClient(v.home, async (client) => {
    const call = (s: Session) => {
      const sessionId = s.id;
      switch (verb) {
        case 'start':
          return client.sessions.start({ sessionId });
        case 'stop':
          return client.sessions.stop({ sessionId });
        case 'restart':
          return client.sessions.restart({ sessionId });
        case 'hibernate':
          return client.sessions.hibernate({ sessionId });
        case 'wake':
          return client.sessions.wake({ sessionId });
      }
    };
    if (!all) {
      // Stopping, restarting or hibernating ends the program: only an exact id or exact unique name will do.
      const session = await resolveSession(client, ref, { destructive: verb !== 'start' && verb !== 'wake' });
      const s = await call(session);
      out.result(s, () => describe(s));
      return 0;
    }
    const applies = verb === 'start' ? isStartableStatus : isLiveStatus;
    const targets = (await client.sessions.list({})).filter((s) => applies(s.status));
    const results = await Promise.all(
      targets.map(async (s) => {
        const r = await client.request(verb === 'start' ? 'sessions.start' : 'sessions.stop', { sessionId: s.id });
        return r.ok ? { ok: true as const, session: r.value } : { ok: false as const, session: s, error: r.error };
      }),
    );
    const failed = results.filter((r) => !r.ok);
    out.result(
      results.map((r) => (r.ok ? r.session : { ...r.session, error: r.error })),
      () =>
        targets.length === 0
          ? `No session to ${verb}.`
          : [
              ...results.map((r) =>
                r.ok ? `ok   ${describe(r.session)}` : `FAIL ${r.session.name} (${r.session.id}): ${r.error.message}`,
              ),
              `${results.length - failed.length} of ${results.length} ${verb === 'start' ? 'started or queued' : 'stopped'}.`,
            ].join('\n'),
    );
    return failed.length > 0 ? 1 : 0;
  });
}

export const startVerb: Verb = {
  name: 'start',
  summary: "start a session's program (or --all stopped ones); it keeps running after the command",
  help: `Usage: multisession start (--session-id ID | --all) [--json] [--home DIR]

Starts (or queues, when the most programs are already running) the session's program. Programs run
in the data dir's terminal host, so this works with no app open and the program keeps running after
the command exits (\`multisession attach\` to watch it, \`multisession stop\` to end it). --all
starts every stopped, completed or failed session; past the running cap they wait as queued,
highest priority first (queued sessions start when the app or a later command finds a free slot).

Examples:
  multisession start --session-id 3f2a9c
  multisession start --all`,
  run: (argv) => run('start', startVerb.help, argv),
};

export const stopVerb: Verb = {
  name: 'stop',
  summary: "stop a session's program, or --all running ones (worktrees and branches stay)",
  help: `Usage: multisession stop (--session-id ID | --all) [--json] [--home DIR]

Stops the session's program; its worktree and branch stay, and \`multisession start\` runs it again.
--all stops every running or queued session. Exit status 1 when any could not be stopped.

Examples:
  multisession stop --session-id 3f2a9c
  multisession stop --all`,
  run: (argv) => run('stop', stopVerb.help, argv),
};

export const restartVerb: Verb = {
  name: 'restart',
  summary: "restart a session's program on a clean screen",
  help: `Usage: multisession restart --session-id ID [--json] [--home DIR]

Stops the session's program if it runs and starts it again in the same worktree.

Example:
  multisession restart --session-id 3f2a9c`,
  run: (argv) => run('restart', restartVerb.help, argv),
};

export const hibernateVerb: Verb = {
  name: 'hibernate',
  summary: "stop a session's program to free its memory, keeping worktree, scrollback and conversation",
  help: `Usage: multisession hibernate --session-id ID [--json] [--home DIR]

Stops the running program of the session (status hibernated). Its worktree, branch, scrollback and
the agent's conversation stay; \`multisession wake\` starts it again and continues the conversation
where the agent supports it (Claude Code --continue, Codex resume --last, Gemini CLI --resume latest,
Aider --restore-chat-history, OpenCode --session), other programs start afresh.

Example:
  multisession hibernate --session-id 3f2a9c`,
  run: (argv) => run('hibernate', hibernateVerb.help, argv),
};

export const wakeVerb: Verb = {
  name: 'wake',
  summary: 'start a hibernated session again, continuing its conversation',
  help: `Usage: multisession wake --session-id ID [--json] [--home DIR]

Starts the program of a hibernated session with its agent's resume command (see hibernate).

Example:
  multisession wake --session-id 3f2a9c`,
  run: (argv) => run('wake', wakeVerb.help, argv),
};
