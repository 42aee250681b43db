import type { RepoForecast } from '../../../shared/review';
import { AppError } from '../../../shared/errors';
import { choiceFlag, parseVerbArgs } from '../args';
import { withClient } from '../cli-client';
import { createOutput, formatDuration, table } from '../output';
import { resolveSession } from '../session-ref';
import { UsageError } from '../usage-error';
import type { Verb } from '../verb';
import { bool, str, type Flags } from './session-verb';

function forecastText(f: RepoForecast, names: Map<string, string>): string {
  const name = (id: string) => names.get(id) ?? id;
  const lines = [`${f.repoPath} (base ${f.base}): ${f.sessionIds.length} live session(s)`];
  const conflicts = f.pairs.filter((p) => p.conflict);
  lines.push(
    conflicts.length === 0
      ? '  No two sessions would conflict.'
      : table(conflicts, [
          ['SESSION', (p) => name(p.a)],
          ['CONFLICTS WITH', (p) => name(p.b)],
          ['FILES', (p) => p.files.join(', ')],
        ]),
  );
  for (const v of f.vsBase.filter((x) => x.conflict)) {
    lines.push(`  ${name(v.sessionId)} conflicts with ${f.base} (${v.behind} behind) in ${v.files.join(', ')}`);
  }
  if (f.order.length > 0) {
    lines.push('Suggested merge order:');
    f.order.forEach((o, i) => lines.push(`  ${i + 1}. ${name(o.sessionId)} — ${o.reason}`));
  }
  for (const s of f.skipped) lines.push(`  skipped ${name(s.sessionId)}: ${s.reason}`);
  return lines.join('\n');
}

export const conflictsVerb: Verb = {
  name: 'conflicts',
  summary: 'forecast conflicts between live sessions and with their base, with a merge order',
  help: `Usage: multisession conflicts [--repo PATH] [--json] [--home DIR]

For every pair of live sessions on a repository, and for each session against its base: whether
merging them would conflict and in which files — computed with git merge-tree on snapshots of the
worktrees (uncommitted work included), without checking anything out. Ends with a merge order that
meets the fewest conflicts. --repo limits the answer to one repository.

Example:
  multisession conflicts --repo ~/src/app`,
  async run(argv) {
    const v = parseVerbArgs('conflicts', argv, { repo: { type: 'string' } }) as Flags;
    if (v.help) {
      process.stdout.write(`${conflictsVerb.help}\n`);
      return 0;
    }
    const out = createOutput(bool(v, 'json'));
    return withClient(str(v, 'home'), async (client) => {
      const forecasts = await client.review.forecast({ repoPath: str(v, 'repo') });
      const names = new Map((await client.sessions.list({})).map((s) => [s.id, s.name]));
      out.result(forecasts, () =>
        forecasts.length === 0 ? 'No live sessions.' : forecasts.map((f) => forecastText(f, names)).join('\n\n'),
      );
      return forecasts.some((f) => f.pairs.some((p) => p.conflict) || f.vsBase.some((b) => b.conflict)) ? 1 : 0;
    });
  },
};

export const compareVerb: Verb = {
  name: 'compare',
  summary: 'compare the candidates of a fan-out group; --pick merges one',
  help: `Usage: multisession compare (--group-id G | --session-id ID) [--json] [--home DIR]
       multisession compare --session-id ID --pick [--strategy merge|squash|rebase]
                            [--terminate-others] [--delete-branches]

Sessions created together (copies, or several agents from one prompt) form a group. Shows each
candidate side by side: commits ahead, lines added/removed, files, uncommitted changes, the latest
batch run on it (e.g. the test command) with its exit status, run time and cost when known.
--session-id picks the group of that session.

--pick merges that session into its base (like \`multisession merge\`); --terminate-others then
terminates the other candidates through the usual removal check (a candidate with unsaved work is
kept, with why); their branches are kept unless --delete-branches.

Example:
  multisession compare --session-id 3f2a9c
  multisession compare --session-id 3f2a9c --pick --terminate-others`,
  async run(argv) {
    const v = parseVerbArgs('compare', argv, {
      'group-id': { type: 'string' },
      'session-id': { type: 'string' },
      pick: { type: 'boolean' },
      strategy: { type: 'string' },
      'terminate-others': { type: 'boolean' },
      'delete-branches': { type: 'boolean' },
    }) as Flags;
    if (v.help) {
      process.stdout.write(`${compareVerb.help}\n`);
      return 0;
    }
    const strategy = choiceFlag('compare', 'strategy', str(v, 'strategy'), ['merge', 'squash', 'rebase']);
    const ref = str(v, 'session-id');
    if (!str(v, 'group-id') && !ref)
      throw new UsageError('compare needs --group-id or --session-id — see `multisession help compare`', 'compare');
    if (bool(v, 'pick') && !ref) throw new UsageError('--pick needs --session-id (the candidate to merge)', 'compare');
    const out = createOutput(bool(v, 'json'));
    return withClient(str(v, 'home'), async (client) => {
      const session = ref ? await resolveSession(client, ref) : null;
      const groupId = str(v, 'group-id') ?? session?.groupId;
      if (!groupId) {
        throw new AppError(
          'BAD_INPUT',
          `"${session?.name}" was not created as one of several candidates — it has no group to compare.`,
        );
      }
      if (bool(v, 'pick') && session) {
        const r = await client.review.pick({
          sessionId: session.id,
          strategy,
          terminateOthers: bool(v, 'terminate-others'),
          deleteBranches: bool(v, 'delete-branches'),
        });
        out.result(r, () =>
          [
            `Merged "${session.name}" into ${r.merge.base} (${r.merge.strategy}).`,
            ...r.terminated.map((id) => `terminated ${id}`),
            ...r.kept.map((k) => `kept ${k.sessionId}: ${k.reason}`),
          ].join('\n'),
        );
        return 0;
      }
      const c = await client.review.compare({ groupId });
      out.result(c, () =>
        [
          `Group ${c.groupId}${c.prompt ? ` — "${c.prompt.slice(0, 80)}${c.prompt.length > 80 ? '…' : ''}"` : ''}`,
          table(c.entries, [
            ['SESSION', (e) => `${e.name} (${e.sessionId.slice(0, 6)})`],
            ['AGENT', (e) => e.agent],
            ['STATUS', (e) => (e.merged ? `${e.status}, merged` : e.status)],
            ['AHEAD', (e) => e.ahead],
            ['+/-', (e) => `+${e.additions} -${e.deletions}`],
            ['FILES', (e) => e.files.length],
            ['UNCOMMITTED', (e) => e.uncommitted],
            [
              'LAST RUN',
              (e) =>
                e.latestRun
                  ? `${e.latestRun.command}: ${e.latestRun.timedOut ? 'timed out' : `exit ${e.latestRun.exitCode}`} in ${formatDuration(e.latestRun.durationMs)}`
                  : '',
            ],
            ['RUN TIME', (e) => formatDuration(e.runTimeSec * 1000)],
            ['COST', (e) => (e.costUsd === null ? '' : `$${e.costUsd.toFixed(2)}`)],
          ]),
          c.sharedFiles.length ? `Changed by more than one: ${c.sharedFiles.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
      return 0;
    });
  },
};
