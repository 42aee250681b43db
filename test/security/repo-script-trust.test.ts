import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';

// #11 item 6: a setup script or copy-in list that comes from the repository runs / applies only
// after the user trusted that exact content; a changed file asks again. Real repos, real engine.
let h: Harness;
let repo: TempDir;

const SETUP = '.multisession/setup.sh';
const setupScript = (marker: string) => `#!/bin/sh\necho "${marker}" > setup-ran.txt\n`;

function writeRepoFile(rel: string, text: string): void {
  mkdirSync(join(repo.path, rel, '..'), { recursive: true });
  writeFileSync(join(repo.path, rel), text);
}

const input = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  repoPath: repo.path,
  program: 'bash',
  autoStart: false,
  copyInPatterns: [],
  ...extra,
});

async function refusal(name: string, extra: Record<string, unknown> = {}) {
  const r = await h.request('sessions.create', input(name, extra));
  if (r.ok) throw new Error(`create of ${name} should have been refused`);
  return r.error;
}

/**
 * Everything a create could leave behind: records, branches, worktrees and their folders. The warm
 * pool prepares detached worktrees in the background on its own (it runs no repository script),
 * so its `.pool` folder is not part of a create's footprint.
 */
async function footprint(): Promise<string> {
  const sessions = (await h.call('sessions.list', {})).map((s) => s.name).join(',');
  const branches = (await runGit(repo.path, ['branch', '--format=%(refname:short)'])).trim();
  const worktrees = (await runGit(repo.path, ['worktree', 'list', '--porcelain']))
    .split('\n\n')
    .filter((w) => !w.includes('/.pool/'))
    .join('\n\n')
    .trim();
  const dir = join(h.home, 'worktrees');
  const folders = existsSync(dir)
    ? readdirSync(dir, { recursive: true }).filter((p) => !String(p).split('/').includes('.pool')).length
    : 0;
  return JSON.stringify({ sessions, branches, worktrees, folders });
}

beforeAll(async () => {
  h = await openEngine();
  repo = await makeTempRepo({ files: { 'README.md': '# r\n', '.gitignore': '.env\nsetup-ran.txt\n' } });
  writeFileSync(join(repo.path, '.env'), 'TOKEN=local\n');
  writeRepoFile(SETUP, setupScript('v1'));
  writeRepoFile('.worktreeinclude', '.env\n');
});
afterAll(async () => {
  await h?.close();
  await repo?.cleanup();
});

describe('repository-provided scripts need trust', () => {
  it('untrusted: create refuses with UNTRUSTED_SCRIPT carrying the exact content, and creates nothing', async () => {
    const before = await footprint();
    const e = await refusal('untrusted');
    expect(e.code).toBe('UNTRUSTED_SCRIPT');
    const scripts = (e.details as { scripts: Array<{ kind: string; path: string; content: string; sha256: string }> })
      .scripts;
    expect(scripts.map((s) => s.kind).sort()).toEqual(['setup-script', 'worktree-include']);
    expect(scripts.find((s) => s.kind === 'setup-script')?.content).toBe(setupScript('v1'));
    expect(scripts.find((s) => s.kind === 'setup-script')?.path).toBe(join(repo.path, SETUP));
    expect(scripts.find((s) => s.kind === 'worktree-include')?.content).toBe('.env\n');
    expect(await footprint()).toBe(before);
    // The plan shows the same files, marked untrusted, without failing (the wizard's review page).
    const [plan] = await h.call('sessions.plan', input('untrusted'));
    expect(plan.setupScriptSource).toBe('repository-file');
    expect(plan.repoScripts.map((s) => [s.kind, s.trusted])).toEqual([
      ['setup-script', false],
      ['worktree-include', false],
    ]);
  });

  it('trusting part of them is not enough: the one left untrusted still refuses', async () => {
    const [setup] = (await h.call('repos.scripts', { path: repo.path })).filter((s) => s.kind === 'setup-script');
    const after = await h.call('repos.trustScripts', {
      repoPath: repo.path,
      scripts: [{ kind: 'setup-script', sha256: setup.sha256 }],
    });
    expect(after.find((s) => s.kind === 'setup-script')?.trusted).toBe(true);
    const e = await refusal('half');
    expect(e.code).toBe('UNTRUSTED_SCRIPT');
    expect((e.details as { scripts: Array<{ kind: string }> }).scripts.map((s) => s.kind)).toEqual([
      'worktree-include',
    ]);
  });

  it('trusted: the setup script runs and the copy-in list applies', async () => {
    const [include] = (await h.call('repos.scripts', { path: repo.path })).filter((s) => s.kind === 'worktree-include');
    await h.call('repos.trustScripts', {
      repoPath: repo.path,
      scripts: [{ kind: 'worktree-include', sha256: include.sha256 }],
    });
    const [s] = await h.call('sessions.create', input('trusted'));
    expect(readFileSync(join(s.worktreePath, 'setup-ran.txt'), 'utf8')).toBe('v1\n');
    expect(readFileSync(join(s.worktreePath, '.env'), 'utf8')).toBe('TOKEN=local\n');
  });

  it('a changed script asks again; trust is per repository and per exact content', async () => {
    writeRepoFile(SETUP, setupScript('v2 — now also does something else'));
    const before = await footprint();
    const e = await refusal('changed');
    expect(e.code).toBe('UNTRUSTED_SCRIPT');
    const scripts = (e.details as { scripts: Array<{ kind: string; content: string; sha256: string }> }).scripts;
    expect(scripts.map((s) => s.kind)).toEqual(['setup-script']);
    expect(scripts[0].content).toBe(setupScript('v2 — now also does something else'));
    expect(await footprint()).toBe(before);
    await h.call('repos.trustScripts', {
      repoPath: repo.path,
      scripts: [{ kind: 'setup-script', sha256: scripts[0].sha256 }],
    });
    const [s] = await h.call('sessions.create', input('changed'));
    expect(readFileSync(join(s.worktreePath, 'setup-ran.txt'), 'utf8')).toBe('v2 — now also does something else\n');
    // Putting back the first content needs no new review: that exact content was trusted.
    writeRepoFile(SETUP, setupScript('v1'));
    const [back] = await h.call('sessions.create', input('back'));
    expect(readFileSync(join(back.worktreePath, 'setup-ran.txt'), 'utf8')).toBe('v1\n');
    // Another repository with the same content is its own decision.
    const other = await makeTempRepo({ files: { '.multisession/setup.sh': setupScript('v1') } });
    try {
      const r = await h.request('sessions.create', { ...input('other'), repoPath: other.path });
      expect(r.ok ? 'created' : r.error.code).toBe('UNTRUSTED_SCRIPT');
    } finally {
      await other.cleanup();
    }
  });

  it('a script the user gave (request or settings) needs no trust and wins over the file; skipRepoScripts runs none', async () => {
    writeRepoFile(SETUP, setupScript('v3 untrusted'));
    writeRepoFile('.worktreeinclude', '.env\n# changed\n');
    const [own] = await h.call(
      'sessions.create',
      input('own', { setupScript: 'echo mine > setup-ran.txt', skipRepoScripts: true }),
    );
    expect(readFileSync(join(own.worktreePath, 'setup-ran.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(own.worktreePath, '.env'))).toBe(false);
    const [skipped] = await h.call('sessions.create', input('skipped', { skipRepoScripts: true }));
    expect(existsSync(join(skipped.worktreePath, 'setup-ran.txt'))).toBe(false);
    expect(existsSync(join(skipped.worktreePath, '.env'))).toBe(false);
    // The request's script replaces the file's, but the changed .worktreeinclude still asks.
    const e = await refusal('own-with-include', { setupScript: 'true' });
    expect((e.details as { scripts: Array<{ kind: string }> }).scripts.map((s) => s.kind)).toEqual([
      'worktree-include',
    ]);
  });

  it('trust survives a restart of the engine (stored in the data dir)', async () => {
    writeRepoFile(SETUP, setupScript('v1'));
    writeRepoFile('.worktreeinclude', '.env\n');
    const home = h.home;
    await h.close();
    h = await openEngine({ home });
    const scripts = await h.call('repos.scripts', { path: repo.path });
    expect(scripts.map((s) => [s.kind, s.trusted])).toEqual([
      ['setup-script', true],
      ['worktree-include', true],
    ]);
  });

  it('a revoked trust asks again; the list names what was trusted', async () => {
    const trusted = await h.call('repos.trustedScripts', {});
    const setup = (await h.call('repos.scripts', { path: repo.path })).find((s) => s.kind === 'setup-script');
    const entry = trusted.find((t) => t.kind === 'setup-script' && t.sha256 === setup?.sha256);
    expect(entry?.repoRoot).toBe(repo.path);
    const after = await h.call('repos.untrustScripts', {
      repoRoot: repo.path,
      kind: 'setup-script',
      sha256: setup?.sha256 ?? '',
    });
    expect(after.some((t) => t.sha256 === setup?.sha256 && t.kind === 'setup-script')).toBe(false);
    expect(after.length).toBe(trusted.length - 1);
    const e = await refusal('revoked');
    expect(e.code).toBe('UNTRUSTED_SCRIPT');
    expect((e.details as { scripts: Array<{ kind: string }> }).scripts.map((s) => s.kind)).toEqual(['setup-script']);
  });

  it('bad trust requests are refused and change nothing', async () => {
    const r = await h.request('repos.trustScripts', {
      repoPath: repo.path,
      scripts: [{ kind: 'setup-script', sha256: 'not-a-hash' }],
    });
    expect(r.ok ? 'ok' : r.error.code).toBe('BAD_INPUT');
    const n = await h.request('repos.trustScripts', {
      repoPath: join(repo.path, 'missing'),
      scripts: [{ kind: 'setup-script', sha256: 'a'.repeat(64) }],
    });
    expect(n.ok).toBe(false);
  });
});
