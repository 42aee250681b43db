import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sessionSchema, type Session } from '../../src/shared/domain';
import {
  commitInfoSchema,
  commitListSchema,
  compareResultSchema,
  diffResultSchema,
  mergeResultSchema,
  pushResultSchema,
  repoForecastSchema,
  updateResultSchema,
} from '../../src/shared/review';
import { makeTempDir, makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { commitFiles, lines, write } from '../review/review-support';
import { assertBuilt, runCli, runJson } from './cli-harness';

// The review verbs against a data dir no host owns, each a real CLI process on a real repository.
let home: TempDir;
let repo: TempDir;
let remote: TempDir;
let a: Session;
let b: Session;

beforeAll(async () => {
  assertBuilt();
  home = await makeTempDir('ms-cli-review-');
  repo = await makeTempRepo({ files: { 'app.txt': lines(), 'README.md': '# app\n' }, branches: ['dev'] });
  remote = await makeTempDir('ms-cli-remote-');
  await runGit(remote.path, ['clone', '--quiet', '--bare', repo.path, 'origin.git']);
  await runGit(repo.path, ['remote', 'add', 'origin', `${remote.path}/origin.git`]);
  const { value } = await runJson(z.array(sessionSchema), home.path, [
    'create',
    '--name',
    'cand',
    '--repo',
    repo.path,
    '--program',
    'bash',
    '--base',
    'dev',
    '--copies',
    '2',
    '--no-start',
  ]);
  [a, b] = Array.isArray(value) ? value : [value];
});
afterAll(async () => {
  await home?.cleanup();
  await repo?.cleanup();
  await remote?.cleanup();
});

describe('review verbs', () => {
  it('commit, commits and diff', async () => {
    await write(a.worktreePath, { 'app.txt': lines({ 2: 'from a' }), 'new.txt': 'n\n' });
    const d = await runJson(diffResultSchema, home.path, ['diff', '--session-id', a.id, '--stat']);
    expect(d.result.code).toBe(0);
    expect(d.value.files.map((f) => f.path)).toEqual(['app.txt', 'new.txt']);
    const text = await runCli(home.path, ['diff', '--session-id', a.id, '--path', 'app.txt']);
    expect(text.stdout).toContain('+from a');
    const c = await runJson(commitInfoSchema, home.path, [
      'commit',
      '--session-id',
      a.id,
      '--all',
      '--message',
      '- a: edit app',
    ]);
    expect(c.value.subject).toBe('- a: edit app');
    const list = await runJson(commitListSchema, home.path, ['commits', '--session-id', a.id]);
    expect(list.value.commits.map((x) => x.subject)).toEqual(['- a: edit app']);
    const table = await runCli(home.path, ['commits', '--session-id', a.id]);
    expect(table.stdout).toMatch(/COMMIT\s+WHEN\s+AUTHOR\s+FILES\s+SUBJECT/);
    const empty = await runCli(home.path, ['commit', '--session-id', a.id, '--message', 'again']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/Nothing is staged/);
    const usage = await runCli(home.path, ['diff', '--session-id', a.id, '--scope', 'everything']);
    expect(usage.code).toBe(2);
  });

  it('conflicts and compare', async () => {
    await commitFiles(b.worktreePath, { 'app.txt': lines({ 2: 'from b' }) }, 'b: edit app');
    const f = await runJson(z.array(repoForecastSchema), home.path, ['conflicts', '--repo', repo.path]);
    expect(f.result.code).toBe(1);
    expect(f.value[0].pairs).toHaveLength(1);
    expect(f.value[0].pairs[0]).toMatchObject({ conflict: true, files: ['app.txt'] });
    expect([f.value[0].pairs[0].a, f.value[0].pairs[0].b].sort()).toEqual([a.id, b.id].sort());
    const text = await runCli(home.path, ['conflicts']);
    expect(text.stdout).toContain('Suggested merge order:');
    const cmp = await runJson(compareResultSchema, home.path, ['compare', '--session-id', a.id]);
    expect(cmp.value.entries.map((e) => e.sessionId)).toEqual([a.id, b.id]);
    expect(cmp.value.sharedFiles).toEqual(['app.txt']);
  });

  it('merge, update with conflicts and abort, push and pr without gh', async () => {
    const m = await runJson(mergeResultSchema, home.path, ['merge', '--session-id', a.id, '--strategy', 'squash']);
    expect(m.result.code).toBe(0);
    expect(m.value).toMatchObject({ base: 'dev', strategy: 'squash', via: 'ref-update' });
    const refused = await runCli(home.path, ['merge', '--session-id', b.id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/would conflict in 1 file\(s\): app\.txt/);
    const u = await runJson(updateResultSchema, home.path, ['update', '--session-id', b.id]);
    expect(u.result.code).toBe(1);
    expect(u.value.status.conflicts).toEqual([{ path: 'app.txt', kind: 'both-modified' }]);
    const aborted = await runJson(updateResultSchema, home.path, ['update', '--session-id', b.id, '--abort']);
    expect(aborted.value.outcome).toBe('aborted');
    const both = await runCli(home.path, ['update', '--session-id', b.id, '--abort', '--continue']);
    expect(both.code).toBe(2);
    const p = await runJson(pushResultSchema, home.path, ['push', '--session-id', b.id]);
    expect(p.value).toMatchObject({ remote: 'origin', pushed: 1, setUpstream: true });
    const pr = await runCli(home.path, ['pr', '--session-id', b.id, '--no-push'], {});
    expect(pr.code).toBe(1);
    expect(pr.stderr).toMatch(/GitHub CLI|gh/);
  });
});
