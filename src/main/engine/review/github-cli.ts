import { execFile } from 'node:child_process';
import type { PullRequest } from '../../../shared/review';
import { AppError } from '../../../shared/errors';
import { findOnPath } from '../process/executable-lookup';
import { parseJsonValue } from '../../../shared/json';

const GH_TIMEOUT_MS = 60_000;

interface GhRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `gh` on PATH, or null. Looked up per call: the user may install it while the app runs. */
export function findGh(env: NodeJS.ProcessEnv = process.env): string | null {
  return findOnPath('gh', env.PATH);
}

function runGh(bin: string, cwd: string, args: string[]): Promise<GhRun> {
  return new Promise((resolve) => {
    execFile(
      bin,
      args,
      {
        cwd,
        timeout: GH_TIMEOUT_MS,
        maxBuffer: 8 * 1024 * 1024,
        // Never prompt (there is no terminal behind the engine), no colours, no update banner.
        env: {
          ...process.env,
          GH_PROMPT_DISABLED: '1',
          NO_COLOR: '1',
          GH_NO_UPDATE_NOTIFIER: '1',
          GH_SPINNER_DISABLED: '1',
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr || (error && !stdout ? error.message : '')) });
      },
    );
  });
}

/** Whether `gh` can open pull requests here: installed and signed in, or why not. */
export async function ghAvailability(cwd: string): Promise<{ bin: string } | { reason: string }> {
  const bin = findGh();
  if (!bin)
    return {
      reason:
        'the GitHub CLI (gh) is not installed — install it and run `gh auth login` to open pull requests from the app',
    };
  const auth = await runGh(bin, cwd, ['auth', 'status']);
  if (auth.code !== 0) return { reason: 'the GitHub CLI is not signed in — run `gh auth login`' };
  return { bin };
}

const PR_FIELDS = 'number,url,state,title,baseRefName,isDraft';

function toPullRequest(json: unknown): PullRequest | null {
  if (!json || typeof json !== 'object') return null;
  const o = json as Record<string, unknown>;
  if (typeof o.url !== 'string') return null;
  const state = typeof o.state === 'string' ? o.state.toUpperCase() : 'UNKNOWN';
  return {
    url: o.url,
    number: typeof o.number === 'number' ? o.number : null,
    state:
      o.isDraft === true && state === 'OPEN'
        ? 'DRAFT'
        : ((['OPEN', 'CLOSED', 'MERGED'].includes(state) ? state : 'UNKNOWN') as PullRequest['state']),
    title: typeof o.title === 'string' ? o.title : '',
    base: typeof o.baseRefName === 'string' ? o.baseRefName : '',
    checkedAt: Date.now(),
  };
}

/** The pull request whose head is `branch`, or null when there is none. */
export async function viewPullRequest(bin: string, cwd: string, branch: string): Promise<PullRequest | null> {
  const r = await runGh(bin, cwd, ['pr', 'view', branch, '--json', PR_FIELDS]);
  if (r.code !== 0) return null;
  const json = parseJsonValue(r.stdout);
  return json.ok ? toPullRequest(json.value) : null;
}

/** Opens a pull request with `gh pr create`; an existing one for the branch is returned instead. */
export async function createPullRequest(
  bin: string,
  cwd: string,
  pr: { head: string; base: string; title: string; body: string; draft: boolean },
): Promise<PullRequest> {
  const args = ['pr', 'create', '--head', pr.head, '--base', pr.base, '--title', pr.title, '--body', pr.body];
  if (pr.draft) args.push('--draft');
  const r = await runGh(bin, cwd, args);
  if (r.code !== 0 && !/already exists/i.test(r.stderr)) {
    const line = r.stderr.split('\n').find((l) => l.trim()) ?? `gh exited with code ${r.code}`;
    throw new AppError('GH_UNAVAILABLE', `gh could not open the pull request: ${line.trim()}`, {
      stderr: r.stderr.slice(0, 4000),
    });
  }
  const viewed = await viewPullRequest(bin, cwd, pr.head);
  if (viewed) return viewed;
  const url = `${r.stdout}\n${r.stderr}`.match(/https?:\/\/\S+/)?.[0];
  if (!url) throw new AppError('GH_UNAVAILABLE', 'gh reported no pull request URL — open it on the website instead.');
  return {
    url,
    number: Number(/\/pull\/(\d+)/.exec(url)?.[1]) || null,
    state: pr.draft ? 'DRAFT' : 'OPEN',
    title: pr.title,
    base: pr.base,
    checkedAt: Date.now(),
  };
}

/** A web page where a pull/merge request for `branch` into `base` can be opened, from the remote's URL. */
export function compareUrl(remoteUrl: string, base: string, branch: string): string | null {
  const url = remoteUrl.trim();
  const m =
    /^https?:\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+?)(?:\.git)?\/?$/.exec(url) ??
    /^ssh:\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+?)(?:\.git)?\/?$/.exec(url) ??
    /^(?:[^@/]+@)?([^/:]+):(?!\/)(.+?)(?:\.git)?\/?$/.exec(url);
  if (!m) return null;
  const host = m[1].toLowerCase();
  const path = m[2].replace(/^\/+/, '');
  if (!/^[^/]+\/.+/.test(path)) return null;
  const enc = (b: string) => encodeURIComponent(b).replace(/%2F/g, '/');
  if (host.includes('github')) return `https://${host}/${path}/compare/${enc(base)}...${enc(branch)}?expand=1`;
  if (host.includes('gitlab')) {
    return `https://${host}/${path}/-/merge_requests/new?merge_request%5Bsource_branch%5D=${encodeURIComponent(branch)}&merge_request%5Btarget_branch%5D=${encodeURIComponent(base)}`;
  }
  if (host.includes('bitbucket')) {
    return `https://${host}/${path}/pull-requests/new?source=${encodeURIComponent(branch)}&dest=${encodeURIComponent(base)}`;
  }
  return null;
}
