import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { sessionStatuses, sessionTypes } from '../../../shared/domain';
import { choiceFlag, parseVerbArgs } from '../args';
import { withClient } from '../cli-client';
import { createOutput } from '../output';
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
      out.result(sessions, () => sessionTable(sessions));
      return 0;
    });
  },
};

/** Sessions record the repository root as git reports it, so compare real paths. */
function canonical(path: string): string {
  const abs = resolve(path);
  return existsSync(abs) ? realpathSync(abs) : abs;
}
