import { useMemo, useState } from 'react';
import { errorText, useDiff } from '../../lib/queries';

/** Changes against the base branch: counts, per-file list and a coloured patch. */
export function DiffView({ sessionId }: { sessionId: string }) {
  const diff = useDiff(sessionId);
  const [file, setFile] = useState<string | null>(null);
  const d = diff.data;
  const patchLines = useMemo(() => {
    if (!d) return [];
    const lines = d.patch.replace(/\n+$/, '').split('\n');
    if (!file) return lines;
    // Keep only the chosen file's section of the patch.
    const out: string[] = [];
    let inFile = false;
    for (const l of lines) {
      if (l.startsWith('diff --git')) inFile = l.includes(` b/${file}`);
      if (inFile) out.push(l);
    }
    return out;
  }, [d, file]);

  if (diff.isLoading) return <div className="muted">Computing changes…</div>;
  if (diff.isError) return <div className="error-box">{errorText(diff.error)}</div>;
  if (!d) return null;
  return (
    <div className="diff" data-testid="detail-diff">
      <div className="row wrap diff-summary">
        <span>
          vs <span className="mono">{d.base}</span>
        </span>
        <span className="badge" title="Commits on this branch not on the base">
          ↑ {d.ahead} ahead
        </span>
        <span className="badge" title="Commits on the base not on this branch">
          ↓ {d.behind} behind
        </span>
        <span className="diff-add">+{d.additions}</span>
        <span className="diff-del">−{d.deletions}</span>
        {d.uncommitted > 0 && <span className="badge warn-badge">{d.uncommitted} uncommitted</span>}
        <span className="spacer" />
        <button className="btn ghost small" onClick={() => void diff.refetch()} title="Refresh">
          ↻
        </button>
      </div>
      {d.files.length === 0 ? (
        <p className="muted">No changes yet against {d.base}.</p>
      ) : (
        <>
          <ul className="diff-files">
            {d.files.map((f) => (
              <li key={f.path}>
                <button
                  className={file === f.path ? 'diff-file on' : 'diff-file'}
                  onClick={() => setFile(file === f.path ? null : f.path)}
                >
                  <span className={`badge fs-${f.status.charAt(0)}`}>{f.status.charAt(0).toUpperCase()}</span>
                  <span className="mono truncate">{f.path}</span>
                  <span className="spacer" />
                  <span className="diff-add mono">+{f.additions}</span>
                  <span className="diff-del mono">−{f.deletions}</span>
                </button>
              </li>
            ))}
          </ul>
          <pre className="patch">
            {patchLines.map((l, i) => (
              <div
                key={i}
                className={
                  l.startsWith('+') && !l.startsWith('+++')
                    ? 'pl-add'
                    : l.startsWith('-') && !l.startsWith('---')
                      ? 'pl-del'
                      : l.startsWith('@@')
                        ? 'pl-hunk'
                        : l.startsWith('diff --git')
                          ? 'pl-file'
                          : undefined
                }
              >
                {l || ' '}
              </div>
            ))}
          </pre>
          {d.patchTruncated && <p className="faint">Patch truncated — open the worktree to see everything.</p>}
        </>
      )}
    </div>
  );
}
