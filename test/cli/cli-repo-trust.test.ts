import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionSchema } from '../../src/shared/domain';
import { makeTempDir, makeTempRepo, type TempDir } from '../support/temp-repo';
import { assertBuilt, cliErrorSchema, runCli, runJson, worktreeDirs } from './cli-harness';

// `multisession create` on a repository with its own setup script: printed for review and refused
// until --trust-repo-scripts (what is trusted is exactly what was printed); a change asks again.
let home: TempDir;
let repo: TempDir;
const script = (v: string) => `echo ${v} > setup-ran.txt\n`;

beforeAll(async () => {
  assertBuilt();
  home = await makeTempDir('ms-cli-trust-');
  repo = await makeTempRepo({ files: { 'README.md': '# r\n', '.gitignore': 'setup-ran.txt\n' } });
  mkdirSync(join(repo.path, '.multisession'));
  writeFileSync(join(repo.path, '.multisession', 'setup.sh'), script('first'));
});
afterAll(async () => {
  await home?.cleanup();
  await repo?.cleanup();
});

const create = (name: string, ...flags: string[]) =>
  runCli(home.path, ['create', '--name', name, '--repo', repo.path, '--program', 'cat', ...flags]);

describe('create with a repository setup script', () => {
  it('without a flag: prints the script, refuses with UNTRUSTED_SCRIPT and creates nothing', async () => {
    const r = await create('plain');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(script('first'));
    expect(r.stderr).toContain('[UNTRUSTED_SCRIPT]');
    expect(r.stderr).toContain('--trust-repo-scripts');
    expect(worktreeDirs(home.path).filter((d) => !d.includes('.pool'))).toEqual([]);
    const j = cliErrorSchema.parse(JSON.parse((await create('plain', '--json')).stdout));
    expect(j.error.code).toBe('UNTRUSTED_SCRIPT');
  });

  it('--trust-repo-scripts trusts the content shown and runs it; the next create needs no flag', async () => {
    const r = await create('trusted', '--trust-repo-scripts');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(script('first'));
    expect(r.stderr).toMatch(/trusted .*setup\.sh/);
    const { value } = await runJson(sessionSchema, home.path, [
      'create',
      '--name',
      'again',
      '--repo',
      repo.path,
      '--program',
      'cat',
    ]);
    expect(readFileSync(join(value.worktreePath, 'setup-ran.txt'), 'utf8')).toBe('first\n');
  });

  it('a changed script is refused again; --skip-repo-scripts creates without running it', async () => {
    writeFileSync(join(repo.path, '.multisession', 'setup.sh'), script('second'));
    const r = await create('changed');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(script('second'));
    const { result, value } = await runJson(sessionSchema, home.path, [
      'create',
      '--name',
      'skipped',
      '--repo',
      repo.path,
      '--program',
      'cat',
      '--skip-repo-scripts',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(() => readFileSync(join(value.worktreePath, 'setup-ran.txt'))).toThrow();
    const both = await create('both', '--trust-repo-scripts', '--skip-repo-scripts');
    expect(both.code).toBe(2);
  });
});
