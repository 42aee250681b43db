import type { RequestInput } from '../../../shared/contract';
import { parseVerbArgs, positiveFlag, required } from '../args';
import { withClient } from '../cli-client';
import { createOutput, formatDuration } from '../output';
import { resolveSession } from '../session-ref';
import { UsageError } from '../usage-error';
import { checkInput, type Verb } from '../verb';

const options = {
  'session-id': { type: 'string' },
  'exec-command': { type: 'string' },
  'exec-args': { type: 'string', multiple: true },
  timeout: { type: 'string' },
  shell: { type: 'boolean' },
  skill: { type: 'boolean' },
  param: { type: 'string', multiple: true },
} as const;

/** Exit status of a command that timed out, as timeout(1) reports it. */
export const TIMED_OUT_EXIT = 124;

export const executeVerb: Verb = {
  name: 'execute',
  summary: "run a command in a session's worktree and exit with its status",
  help: `Usage: multisession execute --session-id ID --exec-command CMD [--exec-args ARG]... [options]

Runs a command in the session's worktree (no shell unless --shell) and reports its exit code,
stdout, stderr, duration and whether it timed out. The CLI exits with the command's own exit
status (124 when it timed out). Works with or without a running host.

  --session-id ID      the session (its id, a unique id prefix, or its name)
  --exec-command CMD   program to run (with --shell: a shell command line)
  --exec-args ARG      one argument; repeat for more
  --timeout SEC        stop the command after SEC seconds
  --shell              run CMD through /bin/sh -c
  --skill              CMD is a skill ("openspec:validate"); pass parameters with --param
  --param KEY=VALUE    a skill parameter; repeat for more
  --json               print the command record as JSON
  --home DIR           data dir

Examples:
  multisession execute --session-id 3f2a9c --exec-command npm --exec-args test
  multisession execute --session-id 3f2a9c --shell --exec-command 'git status && git log -1'`,
  async run(argv) {
    const v = parseVerbArgs('execute', argv, options);
    if (v.help) {
      process.stdout.write(`${executeVerb.help}\n`);
      return 0;
    }
    const out = createOutput(v.json === true);
    const ref = required('execute', 'session-id', v['session-id']);
    const command = required('execute', 'exec-command', v['exec-command']);
    if (v.param?.length && !v.skill) throw new UsageError('--param only applies with --skill', 'execute');
    const params: Record<string, string> = {};
    for (const p of v.param ?? []) {
      const eq = p.indexOf('=');
      if (eq <= 0) throw new UsageError(`--param takes KEY=VALUE, not ${JSON.stringify(p)}`, 'execute');
      params[p.slice(0, eq)] = p.slice(eq + 1);
    }
    const input: RequestInput<'commands.execute'> = {
      sessionId: ref,
      kind: v.skill ? 'skill' : 'shell',
      command,
      args: v['exec-args'] ?? [],
      shell: v.shell === true,
      params,
      timeoutSec: positiveFlag('execute', 'timeout', v.timeout, 86_400),
    };
    checkInput('execute', 'commands.execute', input, {
      command: '--exec-command',
      args: '--exec-args',
      params: '--param',
      timeoutSec: '--timeout',
    });
    return withClient(v.home, async (client) => {
      input.sessionId = (await resolveSession(client, ref)).id;
      const record = await client.commands.execute(input);
      const status = record.exitCode ?? (record.timedOut ? TIMED_OUT_EXIT : 1);
      if (out.json) out.result(record, () => '');
      else {
        process.stdout.write(record.stdout);
        process.stderr.write(record.stderr);
        if (record.truncated) out.note('(output truncated — only the last part was kept)');
        if (record.timedOut) out.note(`timed out after ${formatDuration(record.durationMs)}`);
        else if (record.exitCode === null) out.note('the command was stopped by a signal');
      }
      return status;
    });
  },
};
