import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Session } from '../../src/shared/domain';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempDir, makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { commitFiles, newOne, rev } from './review-support';

let h: Harness;
let repo: TempDir;
let scratch: TempDir;
let origin: string;
let s: Session;
const savedPath = process.env.PATH;

/**
 * A stand-in for the GitHub CLI (the real one cannot reach GitHub here): it appends its argv as
 * one JSON line to a log, answers `auth status` by FAKE_GH_AUTH, and plays a server holding one
 * pull request per head branch.
 */
const FAKE_GH = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const dir = __dirname;
const args = process.argv.slice(2);
fs.appendFileSync(path.join(dir, 'gh-calls.jsonl'), JSON.stringify({ args, cwd: process.cwd() }) + '\\n');
const state = path.join(dir, 'prs.json');
const prs = fs.existsSync(state) ? JSON.parse(fs.readFileSync(state, 'utf8')) : {};
const flag = (name) => args[args.indexOf(name) + 1];
if (args[0] === 'auth' && args[1] === 'status') process.exit(fs.existsSync(path.join(dir, 'signed-in')) ? 0 : 1);
if (args[0] === 'pr' && args[1] === 'create') {
  const head = flag('--head');
  if (prs[head]) { process.stderr.write('a pull request for branch "' + head + '" into branch "' + flag('--base') + '" already exists:\\n' + prs[head].url + '\\n'); process.exit(1); }
  const number = Object.keys(prs).length + 7;
  prs[head] = { number, url: 'https://github.com/acme/app/pull/' + number, state: 'OPEN', title: flag('--title'), baseRefName: flag('--base'), isDraft: args.includes('--draft') };
  fs.writeFileSync(state, JSON.stringify(prs));
  process.stdout.write(prs[head].url + '\\n');
  process.exit(0);
}
if (args[0] === 'pr' && args[1] === 'view') {
  const pr = prs[args[2]];
  if (!pr) { process.stderr.write('no pull requests found for branch "' + args[2] + '"\\n'); process.exit(1); }
  process.stdout.write(JSON.stringify(pr));
  process.exit(0);
}
process.stderr.write('fake gh: unexpected ' + args.join(' ') + '\\n');
process.exit(2);
`;

async function installFakeGh(signedIn: boolean): Promise<string> {
  const bin = join(scratch.path, 'bin');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'gh'), FAKE_GH);
  await chmod(join(bin, 'gh'), 0o755);
  if (signedIn) await writeFile(join(bin, 'signed-in'), '');
  process.env.PATH = `${bin}:${savedPath}`;
  return bin;
}

const calls = async (bin: string) =>
  (await readFile(join(bin, 'gh-calls.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => z.object({ args: z.array(z.string()), cwd: z.string() }).parse(JSON.parse(l)));

beforeEach(async () => {
  h = await openEngine();
  repo = await makeTempRepo({ files: { 'README.md': '# app\n' } });
  scratch = await makeTempDir('ms-remote-');
  origin = join(scratch.path, 'origin.git');
  await runGit(scratch.path, ['clone', '--quiet', '--bare', repo.path, origin]);
  await runGit(repo.path, ['remote', 'add', 'origin', origin]);
  s = await newOne(h, repo.path, 'Fix the login page', 'main');
  await commitFiles(s.worktreePath, { 'login.txt': 'fixed\n' }, 'Fix login');
});
afterEach(async () => {
  process.env.PATH = savedPath;
  await h.close();
  await repo.cleanup();
  await scratch.cleanup();
});

describe('push', () => {
  it('pushes the branch to origin and sets its upstream the first time', async () => {
    const r = await h.call('review.push', { sessionId: s.id });
    expect(r).toMatchObject({ remote: 'origin', branch: s.branch, pushed: 1, setUpstream: true });
    expect(await rev(origin, `refs/heads/${s.branch}`)).toBe(await rev(s.worktreePath, 'HEAD'));
    const again = await h.call('review.push', { sessionId: s.id });
    expect(again).toMatchObject({ pushed: 0, setUpstream: false });
  });

  it('a rejected push is a typed error that changes nothing, with force-with-lease too (their commit was never fetched)', async () => {
    await h.call('review.push', { sessionId: s.id });
    // Someone else pushes to the same branch.
    const other = join(scratch.path, 'other');
    await runGit(scratch.path, ['clone', '--quiet', '--branch', s.branch, origin, other]);
    await runGit(other, ['config', 'user.email', 'o@multisession.invalid']);
    await runGit(other, ['config', 'user.name', 'Other']);
    const theirs = await commitFiles(other, { 'theirs.txt': 'x\n' }, 'their commit');
    await runGit(other, ['push', '--quiet', 'origin', s.branch]);
    await commitFiles(s.worktreePath, { 'mine.txt': 'y\n' }, 'my commit');
    const r = await h.request('review.push', { sessionId: s.id });
    expect(r.ok ? null : r.error.code).toBe('PUSH_REJECTED');
    expect(await rev(origin, `refs/heads/${s.branch}`)).toBe(theirs);
    // Lease against a stale view of the remote is refused too: their commit was never fetched.
    const lease = await h.request('review.push', { sessionId: s.id, forceWithLease: true });
    expect(lease.ok ? null : lease.error.code).toBe('PUSH_REJECTED');
    expect(await rev(origin, `refs/heads/${s.branch}`)).toBe(theirs);
  });

  it('no remote, or an unknown one, is a typed error', async () => {
    await runGit(repo.path, ['remote', 'remove', 'origin']);
    const r = await h.request('review.push', { sessionId: s.id });
    expect(r.ok ? null : r.error.code).toBe('NO_REMOTE');
    const named = await h.request('review.push', { sessionId: s.id, remote: 'upstream' });
    expect(named.ok ? null : named.error.code).toBe('NO_REMOTE');
  });
});

describe('pull requests', () => {
  it('with gh signed in: pushes, runs gh pr create with head/base/title/body, and records the PR', async () => {
    const bin = await installFakeGh(true);
    const r = await h.call('review.pr', { sessionId: s.id, draft: true });
    expect(r.kind).toBe('gh');
    expect(r.url).toBe('https://github.com/acme/app/pull/7');
    expect(r.pullRequest).toMatchObject({ number: 7, state: 'DRAFT', base: 'main', title: 'Fix login' });
    expect(r.push?.pushed).toBe(1);
    const log = await calls(bin);
    const create = log.find((c) => c.args[1] === 'create')!;
    expect(create.args).toEqual([
      'pr',
      'create',
      '--head',
      s.branch,
      '--base',
      'main',
      '--title',
      'Fix login',
      '--body',
      expect.stringContaining('- Fix login'),
      '--draft',
    ]);
    expect(create.cwd).toBe(s.worktreePath);
    const state = await h.call('review.state', { sessionId: s.id, refreshPr: true });
    expect(state.pullRequest?.url).toBe(r.url);
    // A second request finds the existing PR instead of failing.
    const again = await h.call('review.pr', { sessionId: s.id, title: 'Another title' });
    expect(again.pullRequest?.number).toBe(7);
  });

  it('with gh signed out: the compare page of a GitHub remote, and why', async () => {
    await installFakeGh(false);
    await runGit(repo.path, ['remote', 'set-url', 'origin', 'git@github.com:acme/app.git']);
    await runGit(repo.path, ['remote', 'set-url', '--push', 'origin', origin]);
    const r = await h.call('review.pr', { sessionId: s.id });
    expect(r.kind).toBe('compare');
    expect(r.url).toBe(`https://github.com/acme/app/compare/main...${s.branch}?expand=1`);
    expect(r.reason).toMatch(/not signed in.*gh auth login/);
    expect(await rev(origin, `refs/heads/${s.branch}`)).toBe(await rev(s.worktreePath, 'HEAD'));
  });

  it('without gh and with a remote that has no web page: a typed error saying what to do', async () => {
    process.env.PATH = '/usr/bin:/bin';
    const r = await h.request('review.pr', { sessionId: s.id });
    expect(r.ok ? null : r.error.code).toBe('GH_UNAVAILABLE');
    expect(r.ok ? '' : r.error.message).toMatch(/not installed/);
  });
});
