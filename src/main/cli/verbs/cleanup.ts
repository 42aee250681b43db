import type { CleanupItem } from '../../../shared/domain';
import { parseVerbArgs } from '../args';
import { withClient } from '../cli-client';
import { createOutput, table } from '../output';
import type { Verb } from '../verb';
import { verdictLines } from './lifecycle';

export const cleanupVerb: Verb = {
  name: 'cleanup',
  summary: 'remove what terminated sessions left behind; --dry-run shows it first',
  help: `Usage: multisession cleanup [--dry-run] [--force | --accept FP[,FP…]] [--json] [--home DIR]

Removes the worktrees, branches, records and orphaned worktree folders that terminated or broken
sessions left behind — each only if the removal check finds nothing it would lose — and says what
it kept and why (uncommitted or untracked files, commits on no other branch, …, or that git could
not tell). Folders Multisession did not create are never removed, with or without force.

  --dry-run          only report what would be removed and what would be kept
  --force            also discard what the kept items hold: the list is printed first, then
                     exactly that is accepted (anything that changes meanwhile is still kept)
  --accept FP,...    accept the listed loss of these items (fingerprints from --dry-run)
  --json             print the report as JSON ({ dryRun, removed, kept })
  --home DIR         data dir

Example:
  multisession cleanup --dry-run`,
  async run(argv) {
    const v = parseVerbArgs('cleanup', argv, {
      'dry-run': { type: 'boolean' },
      force: { type: 'boolean' },
      accept: { type: 'string' },
    } as const);
    if (v.help) {
      process.stdout.write(`${cleanupVerb.help}\n`);
      return 0;
    }
    const out = createOutput(v.json === true);
    const accept = (v.accept ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    return withClient(v.home, async (client) => {
      if (v.force && !v['dry-run']) {
        const preview = await client.cleanup.preview({});
        for (const k of preview.kept) {
          if (!k.verdict || k.verdict.verdict === 'safe') continue;
          out.note(`Discarding ${k.path ?? k.branch} (fingerprint ${k.verdict.fingerprint}):`);
          for (const line of verdictLines(k.verdict)) out.note(`  ${line}`);
          accept.push(k.verdict.fingerprint);
        }
      }
      const report = v['dry-run'] ? await client.cleanup.preview({}) : await client.cleanup.run({ accept });
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
    ['FINGERPRINT', (i) => (i.verdict && i.verdict.verdict !== 'safe' ? i.verdict.fingerprint : '')],
  ])}`;
}
