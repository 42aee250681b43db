import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { sessionStatuses, sessionTypes } from '../../../shared/domain';
import { choiceFlag, parseVerbArgs } from '../args';
import { withClient } from '../cli-client';
import { createOutput, table } from '../output';
import type { QuarantinedRecord } from '../../../shared/domain';
import type { Verb } from '../verb';
import { sessionTable } from './session-table';

const options = {
  status: { type: 'string' },
  type: { type: 'string' },
  repo: { type: 'string' },
} as const;

export const listVerb: Verb = {
  name: 'list',
  summary: 'list sessions (filter by status, type or repository)',
  help: `Usage: multisession list [--status S] [--type T] [--repo PATH] [--json]

Lists sessions with their id, name, type, status, priority, branch and program.

  --status S     only sessions in this status: ${sessionStatuses.join(', ')}
  --type T       only sessions of this type: ${sessionTypes.join(', ')}
  --repo PATH    only sessions of this repository
  --json         print the sessions as a JSON array
  --home DIR     data dir

Example:
  multisession list --status active`,
  async run(argv) {
    const v = parseVerbArgs('list', argv, options);
    if (v.help) {
      process.stdout.write(`${listVerb.help}\n`);
      return 0;
    }
    const out = createOutput(v.json === true);
    const status = choiceFlag('list', 'status', v.status, sessionStatuses);
    const type = choiceFlag('list', 'type', v.type, sessionTypes);
    const repoPath = v.repo === undefined ? undefined : canonical(v.repo);
    return withClient(v.home, async (client) => {
      const sessions = await client.sessions.list({ status, type, repoPath });
      const quarantined = await client.sessions.quarantined({});
      out.result(sessions, () =>
        quarantined.length === 0
          ? sessionTable(sessions)
          : `${sessionTable(sessions)}\n\n${quarantineTable(quarantined)}`,
      );
      // With --json stdout holds only the sessions; the damaged records are still announced.
      if (out.json && quarantined.length > 0) {
        process.stderr.write(
          `${quarantined.length} damaged session record(s) kept aside — run without --json to see them\n`,
        );
      }
      return 0;
    });
  },
};

/** Damaged records: never dropped, shown with what could still be read from them. */
function quarantineTable(records: QuarantinedRecord[]): string {
  return `Quarantined (damaged records kept aside; their worktrees are protected from cleanup):\n${table(records, [
    ['ID', (r) => r.id],
    ['NAME', (r) => r.name],
    ['WORKTREE', (r) => r.worktreePath],
    ['PROBLEM', (r) => r.reason],
  ])}`;
}

/** Sessions record the repository root as git reports it, so compare real paths. */
function canonical(path: string): string {
  const abs = resolve(path);
  return existsSync(abs) ? realpathSync(abs) : abs;
}
