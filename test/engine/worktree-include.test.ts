import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';

// A real repository with the .worktreeinclude convention (Claude Code, Codex, Conductor…): gitignore
// patterns naming ignored files to carry into each new worktree, next to the app's own copy-in list.
let h: Harness;
let repo: TempDir;

function put(rel: string, text = `${rel}\n`): void {
  mkdirSync(dirname(join(repo.path, rel)), { recursive: true });
  writeFileSync(join(repo.path, rel), text);
}

beforeAll(async () => {
  h = await openEngine();
  repo = await makeTempRepo({
    files: {
      'README.md': '# tracked\n',
      '.gitignore': ['.env', '.env.local', 'secrets/', '*.local.json', '*.pem', 'node_modules/', 'build/', ''].join(
        '\n',
      ),
      'config/app.json': '{"tracked": true}\n',
    },
  });
  put('.env', 'API=from-main\n');
  put('.env.local', 'LOCAL=1\n');
  put('secrets/dev/key.pem');
  put('certs/a.pem');
  put('certs/skip.pem');
  put('config/app.local.json');
  put('config/deep/other.local.json');
  put('node_modules/pkg/index.js');
  put('build/out.js');
  put('notes.txt', 'untracked, not ignored\n');
  writeFileSync(
    join(repo.path, '.worktreeinclude'),
    [
      '# ignored files new worktrees need',
      '.env',
      'secrets/',
      '*.pem',
      '!certs/skip.pem',
      '/config/*.local.json',
      'notes.txt',
      'README.md',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await h?.close();
  await repo?.cleanup();
});

describe('.worktreeinclude', () => {
  it('the plan names the file; create copies what it lists that git ignores, next to the app’s own patterns', async () => {
    const input = {
      name: 'incl',
      repoPath: repo.path,
      program: 'bash',
      autoStart: false,
      copyInPatterns: ['.env.local'],
    };
    const [plan] = await h.call('sessions.plan', input);
    expect(plan.worktreeInclude).toBe(join(repo.path, '.worktreeinclude'));
    // The list comes from the repository: it applies once the user trusted this exact content (#11).
    const include = plan.repoScripts.find((x) => x.kind === 'worktree-include');
    expect(include?.trusted).toBe(false);
    await h.call('repos.trustScripts', {
      repoPath: repo.path,
      scripts: [{ kind: 'worktree-include', sha256: include?.sha256 ?? '' }],
    });
    // The README is tracked: it differs in the source checkout, so a copy would show.
    writeFileSync(join(repo.path, 'README.md'), '# changed in the main checkout, not committed\n');
    const [s] = await h.call('sessions.create', input);
    const wt = (rel: string) => join(s.worktreePath, rel);
    // Listed and ignored: copied, nested folders included.
    expect(readFileSync(wt('.env'), 'utf8')).toBe('API=from-main\n');
    expect(existsSync(wt('secrets/dev/key.pem'))).toBe(true);
    expect(existsSync(wt('certs/a.pem'))).toBe(true);
    expect(existsSync(wt('config/app.local.json'))).toBe(true);
    // The app's own pattern still applies.
    expect(readFileSync(wt('.env.local'), 'utf8')).toBe('LOCAL=1\n');
    // Negated, anchored to the top, not listed, or not ignored by git: not copied.
    expect(existsSync(wt('certs/skip.pem'))).toBe(false);
    expect(existsSync(wt('config/deep/other.local.json'))).toBe(false);
    expect(existsSync(wt('node_modules'))).toBe(false);
    expect(existsSync(wt('build'))).toBe(false);
    expect(existsSync(wt('notes.txt'))).toBe(false);
    // A tracked file is the branch's own version, never the main checkout's.
    expect(readFileSync(wt('README.md'), 'utf8')).toBe('# tracked\n');
    // Nothing copied shows up as a change of the session.
    expect((await runGit(s.worktreePath, ['status', '--porcelain'])).trim()).toBe('');
  });

  it('a repository without the file copies only the app’s patterns', async () => {
    const plain = await makeTempRepo({ files: { '.gitignore': '.env\nsecrets/\n' } });
    try {
      writeFileSync(join(plain.path, '.env'), 'X=1\n');
      mkdirSync(join(plain.path, 'secrets'));
      writeFileSync(join(plain.path, 'secrets', 'k'), 'k\n');
      const input = {
        name: 'plain',
        repoPath: plain.path,
        program: 'bash',
        autoStart: false,
        copyInPatterns: ['.env'],
      };
      expect((await h.call('sessions.plan', input))[0].worktreeInclude).toBeNull();
      const [s] = await h.call('sessions.create', input);
      expect(existsSync(join(s.worktreePath, '.env'))).toBe(true);
      expect(existsSync(join(s.worktreePath, 'secrets'))).toBe(false);
    } finally {
      await plain.cleanup();
    }
  });
});
