import type { RequestInput } from '../../../shared/contract';
import type { Batch } from '../../../shared/domain';
import { intFlag, parseVerbArgs, positiveFlag, required } from '../args';
import { withClient } from '../cli-client';
import { runBatch } from '../../client/skill-operations';
import { createOutput, formatDuration, table } from '../output';
import { resolveSession } from '../session-ref';
import { UsageError } from '../usage-error';
import { checkInput, type Verb } from '../verb';

const options = {
  all: { type: 'boolean' },
  'session-id': { type: 'string', multiple: true },
  'exec-command': { type: 'string' },
  'exec-args': { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  shell: { type: 'boolean' },
} as const;

export const batchVerb: Verb = {
  name: 'batch',
  summary: 'run one command in many sessions and wait for all of them',
  help: `Usage: multisession batch (--all | --session-id ID...) --exec-command CMD [--exec-args ARG]... [options]

Runs the same command in the worktree of each chosen session, a few at a time, waits until all
are done and prints each session's result. Exits 1 if any of them failed.

  --all                every session that has a worktree
  --session-id ID      one session (id, unique id prefix or name); repeat for more
  --exec-command CMD   program to run (with --shell: a shell command line)
  --exec-args ARG      one argument; repeat for more
  --concurrency K      how many run at once (1-64, default 4)
  --timeout SEC        stop each command after SEC seconds
  --shell              run CMD through /bin/sh -c
  --json               print the finished batch as JSON
  --home DIR           data dir

Example:
  multisession batch --all --exec-command git --exec-args status --exec-args --short`,
  async run(argv) {
    const v = parseVerbArgs('batch', argv, options);
    if (v.help) {
      process.stdout.write(`${batchVerb.help}\n`);
      return 0;
    }
    const out = createOutput(v.json === true);
    const refs = v['session-id'] ?? [];
    if (v.all && refs.length > 0) throw new UsageError('give either --all or --session-id, not both', 'batch');
    if (!v.all && refs.length === 0) {
      throw new UsageError('batch needs --all or at least one --session-id — see `multisession help batch`', 'batch');
    }
    const input: RequestInput<'batch.run'> = {
      selector: v.all ? { all: true } : { sessionIds: refs },
      command: required('batch', 'exec-command', v['exec-command']),
      args: v['exec-args'] ?? [],
      shell: v.shell === true,
      concurrency: intFlag('batch', 'concurrency', v.concurrency, 1, 64),
      timeoutSec: positiveFlag('batch', 'timeout', v.timeout, 86_400),
    };
    checkInput('batch', 'batch.run', input, {
      command: '--exec-command',
      args: '--exec-args',
      concurrency: '--concurrency',
      timeoutSec: '--timeout',
      selector: '--session-id',
    });
    return withClient(v.home, async (client) => {
      if (!v.all) {
        const ids: string[] = [];
        for (const ref of refs) ids.push((await resolveSession(client, ref)).id);
        input.selector = { sessionIds: [...new Set(ids)] };
      }
      const reported = new Set<string>();
      const batch = await runBatch(client, input, (b) => {
        for (const item of b.items) {
          if (reported.has(item.sessionId) || item.status === 'pending' || item.status === 'running') continue;
          reported.add(item.sessionId);
          out.note(
            `${item.status === 'succeeded' ? 'ok  ' : 'FAIL'} ${item.sessionName} (exit ${item.exitCode ?? '-'}, ${formatDuration(item.durationMs)})`,
          );
        }
      });
      out.result(batch, () => batchSummary(batch));
      return batch.items.some((i) => i.status !== 'succeeded') ? 1 : 0;
    });
  },
};

function batchSummary(batch: Batch): string {
  if (batch.items.length === 0) return 'No sessions were selected.';
  const counts = new Map<string, number>();
  for (const i of batch.items) counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
  const rows = table(batch.items, [
    ['SESSION', (i) => i.sessionId],
    ['NAME', (i) => i.sessionName],
    ['STATUS', (i) => i.status],
    ['EXIT', (i) => i.exitCode],
    ['DURATION', (i) => formatDuration(i.durationMs)],
    ['OUTPUT', (i) => lastLine(i.outputTail)],
  ]);
  const summary = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  return `${rows}\n\nbatch ${batch.id}: ${summary}`;
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const last = lines[lines.length - 1] ?? '';
  return last.length > 60 ? `${last.slice(0, 57)}...` : last;
}
