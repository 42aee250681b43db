import { errorText } from '../../lib/queries';
import { formatAgo } from './format-ago';
import { useCommits } from './review-queries';

/** The branch's commits since its base, newest first; one can be chosen to see its diff. */
export function CommitList({
  sessionId,
  selected,
  onSelect,
}: {
  sessionId: string;
  selected: string | null;
  onSelect(sha: string | null): void;
}) {
  const commits = useCommits(sessionId);
  if (commits.isError) return <div className="error-box">{errorText(commits.error)}</div>;
  if (!commits.data) return <p className="muted">Reading commits…</p>;
  const list = commits.data.commits;
  if (list.length === 0)
    return <p className="muted review-note">No commits on this branch yet that {commits.data.base} lacks.</p>;
  return (
    <ul className="commit-list" data-testid="commit-list">
      {list.map((c) => (
        <li key={c.sha}>
          <button
            type="button"
            className={selected === c.sha ? 'commit-row on' : 'commit-row'}
            onClick={() => onSelect(selected === c.sha ? null : c.sha)}
            title={c.body ? `${c.subject}\n\n${c.body}` : c.subject}
            data-testid={`commit-${c.shortSha}`}
          >
            <span className="commit-subject truncate">{c.subject}</span>
            <span className="commit-meta faint">
              <span className="mono">{c.shortSha}</span> · {c.authorName} · {formatAgo(c.authoredAt)} · {c.files.length}{' '}
              file(s) <span className="diff-add">+{c.files.reduce((n, f) => n + f.additions, 0)}</span>{' '}
              <span className="diff-del">−{c.files.reduce((n, f) => n + f.deletions, 0)}</span>
            </span>
          </button>
        </li>
      ))}
      {commits.data.truncated && <li className="faint">Older commits not shown.</li>}
    </ul>
  );
}
