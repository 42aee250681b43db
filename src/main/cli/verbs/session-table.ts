import type { Session } from '../../../shared/domain';
import { formatUsd, table } from '../output';

/** The session table shared by list and create. */
export function sessionTable(sessions: readonly Session[]): string {
  if (sessions.length === 0) return 'No sessions.';
  return table(sessions, [
    ['ID', (s) => s.id],
    ['NAME', (s) => s.name],
    ['TYPE', (s) => s.type],
    ['STATUS', (s) => s.status],
    ['PRIORITY', (s) => s.priority],
    ['BRANCH', (s) => s.branch],
    ['PROGRAM', (s) => [s.program, ...s.args].join(' ')],
    ['COST', (s) => (s.usage?.costUsd != null ? formatUsd(s.usage.costUsd) : '-')],
  ]);
}
