import type { DiffScope } from '../../../shared/review';
import { choiceFlag, intFlag } from '../args';
import { keyValues, table } from '../output';
import { checkInput } from '../verb';
import { bool, sessionVerb, str } from './session-verb';

const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

export const commitsVerb = sessionVerb({
  name: 'commits',
  summary: "list the commits on a session's branch that its base does not have",
  help: `Usage: multisession commits --session-id ID [--limit N] [--json] [--home DIR]

Lists the commits of the session's branch since it left its base, newest first: id, author time,
author, subject and the number of files each changed (--json adds the files with their counts).

  --session-id ID   the session (id, unique id prefix or name)
  --limit N         at most N commits (default 500)

Example:
  multisession commits --session-id 3f2a9c --json`,
  options: { limit: { type: 'string' } },
  check: (v) => void intFlag('commits', 'limit', str(v, 'limit'), 1, 5000),
  async run({ v, client, session, out }) {
    const r = await client.review.commits({
      sessionId: session.id,
      limit: intFlag('commits', 'limit', str(v, 'limit'), 1, 5000),
    });
    out.result(r, () =>
      r.commits.length === 0
        ? `No commits on ${session.branch} that ${r.base} does not have.`
        : table(r.commits, [
            ['COMMIT', (c) => c.shortSha],
            ['WHEN', (c) => time(c.authoredAt)],
            ['AUTHOR', (c) => c.authorName],
            ['FILES', (c) => c.files.length],
            ['SUBJECT', (c) => c.subject],
          ]) + (r.truncated ? '\n(more commits not shown — raise --limit)' : ''),
    );
    return 0;
  },
});

export const diffVerb = sessionVerb({
  name: 'diff',
  summary: "show a session's changes: the branch since its base, staged, unstaged or one commit",
  help: `Usage: multisession diff --session-id ID [--scope branch|staged|unstaged|commit] [--commit SHA]
                         [--path P] [--stat] [--json] [--home DIR]

Prints the unified diff of the session's changes. Scopes:
  branch    everything since the branch left its base, uncommitted and untracked files included (default)
  staged    what the next commit takes
  unstaged  changes not staged yet, and untracked files
  commit    one commit (--commit SHA)

  --path P   only this path (relative to the worktree)
  --stat     per-file counts instead of the patch

Example:
  multisession diff --session-id 3f2a9c --scope staged --stat`,
  options: {
    scope: { type: 'string' },
    commit: { type: 'string' },
    path: { type: 'string' },
    stat: { type: 'boolean' },
  },
  check: (v) => {
    choiceFlag('diff', 'scope', str(v, 'scope'), ['branch', 'staged', 'unstaged', 'commit']);
  },
  async run({ v, client, session, out }) {
    const scope: DiffScope =
      choiceFlag('diff', 'scope', str(v, 'scope'), ['branch', 'staged', 'unstaged', 'commit']) ?? 'branch';
    const path = str(v, 'path');
    const input = { sessionId: session.id, scope, commit: str(v, 'commit'), paths: path ? [path] : undefined };
    checkInput('diff', 'review.diff', input, { commit: '--commit', paths: '--path', scope: '--scope' });
    const r = await client.review.diff(input);
    out.result(r, () => {
      if (r.files.length === 0) return 'No changes.';
      if (bool(v, 'stat')) {
        return (
          table(r.files, [
            ['STATUS', (f) => f.status],
            ['+', (f) => (f.binary ? 'bin' : f.additions)],
            ['-', (f) => (f.binary ? 'bin' : f.deletions)],
            ['PATH', (f) => (f.oldPath ? `${f.oldPath} → ${f.path}` : f.path)],
          ]) + `\n${r.files.length} file(s), +${r.additions} −${r.deletions}`
        );
      }
      const body = r.files.map((f) => f.patch || `(${f.binary ? 'binary' : 'patch too large'}: ${f.path})\n`).join('');
      return body + (r.truncated ? '\n(some patches left out: too large — use --path for one file)\n' : '');
    });
    return 0;
  },
});

export const commitVerb = sessionVerb({
  name: 'commit',
  summary: "commit a session's staged changes (or all with --all)",
  help: `Usage: multisession commit --session-id ID --message MSG [--all] [--json] [--home DIR]

Commits what is staged in the session's worktree with MSG; with --all, every change (untracked
files included) is staged first. The repository's hooks run as they would for you.

Example:
  multisession commit --session-id 3f2a9c --all --message "Fix the login form"`,
  options: { message: { type: 'string' }, all: { type: 'boolean' } },
  check: (v) =>
    checkInput(
      'commit',
      'review.commit',
      { sessionId: 'x', message: str(v, 'message') ?? '' },
      { message: '--message' },
    ),
  async run({ v, client, session, out }) {
    const c = await client.review.commit({
      sessionId: session.id,
      message: str(v, 'message') ?? '',
      all: bool(v, 'all'),
    });
    out.result(c, () =>
      keyValues([
        ['commit', c.sha],
        ['subject', c.subject],
        ['files', c.files.map((f) => f.path).join(', ')],
      ]),
    );
    return 0;
  },
});
