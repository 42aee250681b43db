import type { RemovalVerdict } from '../../../../shared/removal';

const kindLabels: Record<string, string> = {
  uncommitted: 'Uncommitted',
  untracked: 'Untracked',
  'ignored-work': 'Ignored, but work',
  commits: 'Commits',
  'reflog-commits': 'Only in history',
  stash: 'Stash',
  submodule: 'Submodule',
  locked: 'Locked',
  'foreign-branch': 'Not our branch',
};

/** What a removal would lose, item by item — shown before anyone can accept it. */
export function VerdictList({ verdict, testId }: { verdict: RemovalVerdict; testId?: string }) {
  if (verdict.verdict === 'safe') {
    return (
      <div className="ok-box" data-testid={testId}>
        Nothing would be lost.
      </div>
    );
  }
  if (verdict.verdict === 'cannot-tell') {
    return (
      <div className="warn-box" data-testid={testId}>
        <strong>Cannot tell what would be lost</strong> — so it is kept: {verdict.reason}
      </div>
    );
  }
  return (
    <div className="warn-box" data-testid={testId}>
      <strong>
        Would lose {verdict.total} item{verdict.total === 1 ? '' : 's'}:
      </strong>
      <ul className="verdict-list">
        {verdict.items.map((i) => (
          <li key={i.key}>
            <span className="badge">{kindLabels[i.kind] ?? i.kind}</span> <span className="mono">{i.detail}</span>
          </li>
        ))}
        {verdict.total > verdict.items.length && (
          <li className="muted">… and {verdict.total - verdict.items.length} more</li>
        )}
      </ul>
    </div>
  );
}
