/**
 * Shown instead of the app when this page has no access token, or the host refused it (another
 * data dir's link, a token changed with --token): how to open the app properly.
 */
export function AccessNeeded() {
  return (
    <div className="access-needed" data-testid="access-needed">
      <div className="access-card">
        <h1>Open Multisession with its link</h1>
        <p>
          This page has no valid access token, so it cannot reach the host. The token keeps other web pages and other
          users of this machine out of your sessions.
        </p>
        <ol>
          <li>
            Find the terminal where <code>multisession serve</code> runs: it printed a link like{' '}
            <code>http://127.0.0.1:7420/#token=…</code>. Open that link.
          </li>
          <li>
            Or run <code>multisession url</code> (same data dir) to print the link again.
          </li>
        </ol>
        <p className="muted">
          The token stays the same across restarts of the host, so a bookmark of the link keeps working.
        </p>
      </div>
    </div>
  );
}
