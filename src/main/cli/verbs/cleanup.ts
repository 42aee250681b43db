import type { CleanupItem } from '../../../shared/domain';
import { parseVerbArgs } from '../args';
import { withClient } from '../cli-client';
import { createOutput, table } from '../output';
import type { Verb } from '../verb';

export const cleanupVerb: Verb = {
  name: 'cleanup',
  summary: 'remove what terminated sessions left behind; --dry-run shows it first',
  help: `Usage: multisession cleanup [--dry-run] [--force] [--json] [--home DIR]

Removes the worktrees, records and orphaned worktree folders that terminated or broken sessions
left behind, and says what it kept and why (uncommitted changes, unmerged branches…).

  --dry-run   only report what would be removed and what would be kept
  --force     also remove worktrees with uncommitted changes
  --json      print the report as JSON ({ dryRun, removed, kept })
  --home DIR  data dir

Example:
  multisession cleanup --dry-run`,
  async run(argv) {
    const v = parseVerbArgs('cleanup', argv, { 'dry-run': { type: 'boolean' }, force: { type: 'boolean' } } as const);
    if (v.help) {
      process.stdout.write(`${cleanupVerb.help}\n`);
      return 0;
    }
    const out = createOutput(v.json === true);
    return withClient(v.home, async (client) => {
      const report = v['dry-run']
        ? await client.cleanup.preview({})
        : await client.cleanup.run({ force: v.force === true });
      out.result(report, () => {
        const parts = [
          section(report.dryRun ? 'Would remove' : 'Removed', report.removed),
          section(report.dryRun ? 'Would keep' : 'Kept', report.kept),
        ];
        return parts.join('\n\n');
      });
      return 0;
    });
  },
};

function section(title: string, items: CleanupItem[]): string {
  if (items.length === 0) return `${title}: nothing`;
  return `${title}:\n${table(items, [
    ['KIND', (i) => i.kind],
    ['SESSION', (i) => i.sessionName ?? i.sessionId],
    ['WHAT', (i) => i.path ?? i.branch],
    ['WHY', (i) => i.reason],
  ])}`;
}
