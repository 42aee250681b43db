import type { Session } from '../../../shared/domain';
import { parseVerbArgs, required } from '../args';
import { withClient } from '../cli-client';
import { createOutput } from '../output';
import { resolveSession } from '../session-ref';
import { UsageError } from '../usage-error';
import type { Verb } from '../verb';

/** A limit flag: a positive number, or `none` to remove the limit. */
function limitFlag(verb: string, flag: string, value: string | undefined, factor = 1): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${flag} takes a number or "none", not "${value}"`, verb);
  return Math.round(n * factor);
}

function describe(s: Session): string {
  const limits = [
    s.limits.memoryMb !== null ? `memory ${s.limits.memoryMb} MB` : null,
    s.limits.runtimeSec !== null ? `runtime ${Math.round(s.limits.runtimeSec / 60)} min` : null,
    s.limits.commandTimeoutSec !== null ? `command timeout ${s.limits.commandTimeoutSec} s` : null,
  ].filter(Boolean);
  return `${s.name} (${s.id}): priority ${s.priority}, ${limits.length ? limits.join(', ') : 'no limits'}, ${s.status}`;
}

const options = {
  'session-id': { type: 'string' },
  name: { type: 'string' },
  priority: { type: 'string' },
  'memory-mb': { type: 'string' },
  'runtime-min': { type: 'string' },
  'command-timeout': { type: 'string' },
} as const;

async function runUpdate(verb: string, help: string, argv: string[], needName: boolean): Promise<number> {
  const v = parseVerbArgs(verb, argv, options);
  if (v.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const out = createOutput(v.json === true);
  const ref = required(verb, 'session-id', v['session-id']);
  if (needName) required(verb, 'name', v.name);
  let priority: number | undefined;
  if (v.priority !== undefined) {
    priority = Number(v.priority);
    if (!Number.isFinite(priority)) throw new UsageError(`--priority takes a number from 1 to 10`, verb);
  }
  const limits = {
    memoryMb: limitFlag(verb, 'memory-mb', v['memory-mb']),
    runtimeSec: limitFlag(verb, 'runtime-min', v['runtime-min'], 60),
    commandTimeoutSec: limitFlag(verb, 'command-timeout', v['command-timeout']),
  };
  const limitPatch = Object.fromEntries(Object.entries(limits).filter(([, x]) => x !== undefined));
  if (v.name === undefined && priority === undefined && Object.keys(limitPatch).length === 0) {
    throw new UsageError('nothing to change — give --name, --priority or a limit flag', verb);
  }
  return withClient(v.home, async (client) => {
    const session = await resolveSession(client, ref);
    const s = await client.sessions.update({
      sessionId: session.id,
      name: v.name,
      priority,
      limits: Object.keys(limitPatch).length > 0 ? limitPatch : undefined,
    });
    out.result(s, () => (needName ? `Renamed ${session.name} to ${s.name} (${s.id}).` : describe(s)));
    return 0;
  });
}

export const updateVerb: Verb = {
  name: 'update',
  summary: "change a session's name, priority or limits (also while it runs)",
  help: `Usage: multisession update --session-id ID [--name NAME] [--priority P] [--memory-mb MB|none]
                           [--runtime-min MIN|none] [--command-timeout SEC|none]

Changes a session's name, priority or limits. A running program gets the new priority (niceness)
at once; limits apply from the next check, for the whole process tree. "none" removes a limit.
The branch keeps its name.

  --session-id ID        the session (id, unique id prefix or name)
  --name NAME            new name
  --priority P           1 (lowest) to 10 (normal)
  --memory-mb MB         memory limit of the process tree, or none
  --runtime-min MIN      runtime limit in minutes, or none
  --command-timeout SEC  default timeout of commands run in the session, or none
  --json                 print the updated session as JSON
  --home DIR             data dir

Example:
  multisession update --session-id 3f2a9c --priority 3 --memory-mb 2048`,
  run: (argv) => runUpdate('update', updateVerb.help, argv, false),
};

export const renameVerb: Verb = {
  name: 'rename',
  summary: 'rename a session (the branch keeps its name)',
  help: `Usage: multisession rename --session-id ID --name NAME [--json] [--home DIR]

Gives a session a new name; its branch and worktree keep theirs.

Example:
  multisession rename --session-id 3f2a9c --name "login fix (take 2)"`,
  run: (argv) => runUpdate('rename', renameVerb.help, argv, true),
};
