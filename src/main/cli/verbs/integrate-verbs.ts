import type { UpdateResult } from '../../../shared/review';
import { UsageError } from '../usage-error';
import { choiceFlag } from '../args';
import { keyValues, table, type Output } from '../output';
import { bool, sessionVerb, str } from './session-verb';

function printUpdate(out: Output, r: UpdateResult): number {
  const st = r.status;
  out.result(r, () => {
    const head = `${r.outcome}: ${st.ahead} ahead, ${st.behind} behind ${st.baseRef}${st.fetchError ? ` (fetch failed: ${st.fetchError})` : ''}`;
    if (st.conflicts.length === 0) return head;
    return [
      head,
      `${st.operation?.kind ?? 'update'} stopped on conflicts:`,
      table(st.conflicts, [
        ['PATH', (c) => c.path],
        ['CONFLICT', (c) => c.kind],
      ]),
      'Resolve each: --resolve PATH --take session|base|resolved (after editing), then --continue; or --abort.',
    ].join('\n');
  });
  return r.outcome === 'conflicts' ? 1 : 0;
}

export const updateVerb = sessionVerb({
  name: 'update',
  summary: 'bring the base into a session branch (rebase or merge), resolve conflicts, continue or abort',
  help: `Usage: multisession update --session-id ID [--strategy rebase|merge] [--no-fetch] [--status]
       multisession update --session-id ID --resolve PATH --take session|base|resolved
       multisession update --session-id ID --continue | --abort

Brings the base branch's new commits into the session's branch, in the session's worktree, by
rebase or merge (default: the repository's setting, else rebase). A base with a remote is fetched
first and the session is compared with the freshest of the base and its upstream. A conflict stops
the update (exit status 1) with the files listed; resolve each by keeping the session's or the
base's version, or edit it and mark it resolved, then --continue — or --abort to return to where
you were.

  --status      only show ahead/behind and any stopped update
  --no-fetch    do not fetch the base's remote first

Example:
  multisession update --session-id 3f2a9c --strategy merge`,
  options: {
    strategy: { type: 'string' },
    'no-fetch': { type: 'boolean' },
    status: { type: 'boolean' },
    resolve: { type: 'string' },
    take: { type: 'string' },
    continue: { type: 'boolean' },
    abort: { type: 'boolean' },
  },
  check: (v) => {
    choiceFlag('update', 'strategy', str(v, 'strategy'), ['rebase', 'merge']);
    choiceFlag('update', 'take', str(v, 'take'), ['session', 'base', 'resolved']);
    const modes = [bool(v, 'status'), str(v, 'resolve') !== undefined, bool(v, 'continue'), bool(v, 'abort')];
    if (modes.filter(Boolean).length > 1) {
      throw new UsageError(
        'give only one of --status, --resolve, --continue, --abort — see `multisession help update`',
        'update',
      );
    }
    if ((str(v, 'resolve') === undefined) !== (str(v, 'take') === undefined)) {
      throw new UsageError(
        '--resolve PATH and --take session|base|resolved go together — see `multisession help update`',
        'update',
      );
    }
  },
  async run({ v, client, session, out }) {
    const sessionId = session.id;
    const fetch = !bool(v, 'no-fetch');
    if (bool(v, 'status')) {
      const st = await client.review.baseStatus({ sessionId, fetch });
      return printUpdate(out, {
        outcome: st.operation ? 'conflicts' : st.behind === 0 ? 'up-to-date' : 'resolved',
        status: st,
      });
    }
    const path = str(v, 'resolve');
    if (path !== undefined) {
      const take = choiceFlag('update', 'take', str(v, 'take'), ['session', 'base', 'resolved'])!;
      return printUpdate(out, await client.review.resolve({ sessionId, path, take }));
    }
    if (bool(v, 'continue')) return printUpdate(out, await client.review.continue({ sessionId }));
    if (bool(v, 'abort')) return printUpdate(out, await client.review.abort({ sessionId }));
    const strategy = choiceFlag('update', 'strategy', str(v, 'strategy'), ['rebase', 'merge']);
    return printUpdate(out, await client.review.update({ sessionId, strategy, fetch }));
  },
});

export const mergeVerb = sessionVerb({
  name: 'merge',
  summary: 'merge a session into its base (merge commit, squash or rebase) without touching your checkout',
  help: `Usage: multisession merge --session-id ID [--strategy merge|squash|rebase] [--message MSG]
                          [--ignore-uncommitted] [--json] [--home DIR]

Merges the session's branch into its base branch (default strategy: the repository's setting, else
a merge commit). The new base commit is made with git merge-tree, without a checkout; the base
moves only if nobody moved it meanwhile. Where the base is checked out, that checkout is
fast-forwarded if it is clean and never touched if it has changes. A merge that would conflict is
refused with the files and changes nothing: run \`multisession update\` first and resolve there.
The session keeps running; terminate it afterwards if you are done (its branch is merged).

Example:
  multisession merge --session-id 3f2a9c --strategy squash`,
  options: { strategy: { type: 'string' }, message: { type: 'string' }, 'ignore-uncommitted': { type: 'boolean' } },
  check: (v) => void choiceFlag('merge', 'strategy', str(v, 'strategy'), ['merge', 'squash', 'rebase']),
  async run({ v, client, session, out }) {
    const r = await client.review.merge({
      sessionId: session.id,
      strategy: choiceFlag('merge', 'strategy', str(v, 'strategy'), ['merge', 'squash', 'rebase']),
      message: str(v, 'message'),
      ignoreUncommitted: bool(v, 'ignore-uncommitted'),
    });
    out.result(r, () =>
      [
        `Merged ${session.branch} into ${r.base} (${r.strategy}, ${r.commits} commit(s)): ${r.before.slice(0, 10)} → ${r.after.slice(0, 10)}.`,
        r.baseCheckout ? `The clean checkout at ${r.baseCheckout} was fast-forwarded.` : '',
        `Done with "${session.name}"? multisession terminate --session-id ${session.id}`,
      ]
        .filter(Boolean)
        .join('\n'),
    );
    return 0;
  },
});

export const pushVerb = sessionVerb({
  name: 'push',
  summary: "push a session's branch to its remote",
  help: `Usage: multisession push --session-id ID [--remote NAME] [--force-with-lease] [--json] [--home DIR]

Pushes the session's branch (setting its upstream the first time) to --remote, else its upstream's
remote, the base's remote, origin, or the only remote. A rejected push changes nothing and says
why; --force-with-lease replaces the remote branch only if it is where we last saw it.

Example:
  multisession push --session-id 3f2a9c`,
  options: { remote: { type: 'string' }, 'force-with-lease': { type: 'boolean' } },
  async run({ v, client, session, out }) {
    const r = await client.review.push({
      sessionId: session.id,
      remote: str(v, 'remote'),
      forceWithLease: bool(v, 'force-with-lease'),
    });
    out.result(
      r,
      () =>
        `Pushed ${r.branch} to ${r.remote} (${r.pushed} new commit(s))${r.setUpstream ? '; it now tracks ' + `${r.remote}/${r.branch}` : ''}.`,
    );
    return 0;
  },
});

export const prVerb = sessionVerb({
  name: 'pr',
  summary: 'push a session and open a pull request (gh), or print the page to open one',
  help: `Usage: multisession pr --session-id ID [--title T] [--body B] [--draft] [--no-push] [--json] [--home DIR]

Pushes the session's branch, then opens a pull request into its base with the GitHub CLI when
\`gh\` is installed and signed in (an existing one is shown instead). Without gh, prints the web
page where one can be opened (GitHub, GitLab, Bitbucket remotes) and why gh was not used.

Example:
  multisession pr --session-id 3f2a9c --draft`,
  options: {
    title: { type: 'string' },
    body: { type: 'string' },
    draft: { type: 'boolean' },
    'no-push': { type: 'boolean' },
  },
  async run({ v, client, session, out }) {
    const r = await client.review.pr({
      sessionId: session.id,
      title: str(v, 'title'),
      body: str(v, 'body'),
      draft: bool(v, 'draft'),
      push: !bool(v, 'no-push'),
    });
    out.result(r, () =>
      r.kind === 'gh'
        ? keyValues([
            ['pull request', r.url],
            ['state', r.pullRequest?.state ?? 'UNKNOWN'],
          ])
        : `Open this page to create the pull request: ${r.url}\n(${r.reason})`,
    );
    return 0;
  },
});
