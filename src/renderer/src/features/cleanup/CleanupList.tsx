import type { CleanupItem } from '../../../../shared/domain';
import { VerdictList } from '../safety/VerdictList';

const kindLabels: Record<CleanupItem['kind'], string> = {
  worktree: 'Worktree',
  branch: 'Branch',
  record: 'Session record',
  'orphan-worktree': 'Orphaned worktree',
  'orphan-directory': 'Stray directory',
};

/** A titled list of cleanup items with the reason for each. */
export function CleanupList({
  title,
  items,
  testId,
  tone,
}: {
  title: string;
  items: CleanupItem[];
  testId: string;
  tone: 'remove' | 'keep';
}) {
  if (items.length === 0) return null;
  return (
    <section className={`cleanup-section tone-${tone}`} data-testid={testId}>
      <h3>
        {title} <span className="badge">{items.length}</span>
      </h3>
      <ul className="cleanup-list">
        {items.map((it, i) => (
          <li key={`${it.kind}-${it.path ?? it.branch ?? it.sessionId ?? i}`} className="cleanup-item">
            <span className={`badge kind-${it.kind}`}>{kindLabels[it.kind]}</span>
            <div className="cleanup-what">
              <div className="truncate">
                {it.sessionName && <strong>{it.sessionName} </strong>}
                {it.branch && <span className="mono">⎇ {it.branch} </span>}
              </div>
              {it.path && (
                <div className="mono faint truncate" title={it.path}>
                  {it.path}
                </div>
              )}
              <div className="muted">{it.reason}</div>
              {it.verdict && it.verdict.verdict !== 'safe' && <VerdictList verdict={it.verdict} />}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
