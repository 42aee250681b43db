import type { IsolationFactsInfo } from '../../../shared/domain';
import { parseVerbArgs } from '../args';
import { withClient } from '../cli-client';
import { systemStatus } from '../../client/skill-operations';
import { createOutput, formatPercent, formatTokens, formatUsd, keyValues } from '../output';
import type { Verb } from '../verb';

/** How limits are enforced here, in words (see docs/reliability.md). */
function limitsLine(i: IsolationFactsInfo): string {
  if (i.limits === 'sampling') return `sampled every few seconds (no kernel limits: ${i.reason ?? 'no cgroup'})`;
  return `kernel, ${i.limits === 'cgroup-v2' ? 'cgroup v2' : 'cgroup v1'} (${i.controllers.join(', ')})`;
}

export const statusVerb: Verb = {
  name: 'status',
  summary: 'system status: sessions by status, worktrees, commands, success rate',
  help: `Usage: multisession status [--json] [--home DIR]

Prints the system status: total and active sessions, sessions by status, git worktrees, commands
executed and their success rate, running programs and queued sessions, and the tokens and estimated
cost of all sessions, read from the agents' own records (Claude Code, Codex, Gemini CLI, OpenCode,
Aider) and priced from the published list prices.

Example:
  multisession status --json`,
  async run(argv) {
    const v = parseVerbArgs('status', argv, {});
    if (v.help) {
      process.stdout.write(`${statusVerb.help}\n`);
      return 0;
    }
    const out = createOutput(v.json === true);
    return withClient(v.home, async (client) => {
      const s = await systemStatus(client);
      out.result(s, () => {
        const byStatus = Object.entries(s.sessionsByStatus)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ');
        return keyValues([
          [
            'Host',
            client.ownsDataDir
              ? `none running (data dir ${client.dataDir})`
              : `${client.info.mode}, pid ${client.info.pid}`,
          ],
          ['Total sessions', s.totalSessions],
          ['Active sessions', s.activeSessions],
          ['By status', byStatus || '-'],
          ['Git worktrees', s.gitWorktrees],
          ['Running programs', s.runningPrograms],
          ['Queued sessions', s.queuedSessions],
          ...(s.quarantinedSessions > 0
            ? ([
                [
                  'Quarantined records',
                  `${s.quarantinedSessions} (damaged, kept aside — \`multisession list\` shows them)`,
                ],
              ] as Array<[string, string]>)
            : []),
          ['Commands executed', s.commandsExecuted],
          ['Success rate', s.commandsExecuted > 0 ? formatPercent(s.successRate) : '-'],
          ['Limits', s.isolation ? limitsLine(s.isolation) : '-'],
          [
            'Inherited fds',
            s.isolation
              ? s.isolation.fdCloser === 'none'
                ? 'NOT closed (no perl or bash found)'
                : `closed before exec (${s.isolation.fdCloser})`
              : '-',
          ],
          ['Tokens', s.usage ? formatTokens(s.usage) : '-'],
          ['Cost (estimated)', s.usage?.costUsd != null ? formatUsd(s.usage.costUsd) : '-'],
        ]);
      });
      return 0;
    });
  },
};
