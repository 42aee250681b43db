import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionSchema } from '../../src/shared/domain';
import { stopTerminalHosts } from '../support/terminal-host';
import { makeTempDir, makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { assertBuilt, runCli, runJson } from './cli-harness';

// `multisession pause` / `resume` with no app running: the refusal prints what would be lost and
// the fingerprint to accept; the accepted pause frees the folder; resume brings every file back.
let home: TempDir;
let repo: TempDir;

beforeAll(async () => {
  assertBuilt();
  home = await makeTempDir('ms-cli-pause-');
  repo = await makeTempRepo({ files: { 'a.txt': 'a\n', '.gitignore': '.env*\n' } });
});
afterAll(async () => {
  if (home) await stopTerminalHosts(home.path);
  await home?.cleanup();
  await repo?.cleanup();
});

describe('pause and resume from the CLI', () => {
  it('refuses listing ignored files, pauses with --accept, resumes with the work back and the program running', async () => {
    const created = await runJson(sessionSchema, home.path, [
      'create',
      '--name',
      'cli-pauser',
      '--repo',
      repo.path,
      '--program',
      'cat',
      '--no-start',
    ]);
    expect(created.result.code, created.result.stderr).toBe(0);
    const s = created.value;
    writeFileSync(join(s.worktreePath, 'a.txt'), 'a, edited\n');
    writeFileSync(join(s.worktreePath, 'new.txt'), 'new\n');
    writeFileSync(join(s.worktreePath, '.env.local'), 'SECRET=1\n');

    const refused = await runCli(home.path, ['pause', '--session-id', s.id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('.env.local');
    const fingerprint = /--accept ([0-9a-f]+)/.exec(refused.stderr)?.[1];
    expect(fingerprint, refused.stderr).toBeDefined();
    expect(existsSync(s.worktreePath)).toBe(true);

    const paused = await runJson(sessionSchema, home.path, ['pause', '--session-id', s.id, '--accept', fingerprint!]);
    expect(paused.result.code, paused.result.stderr).toBe(0);
    expect(paused.value.status).toBe('paused');
    expect(existsSync(s.worktreePath)).toBe(false);
    expect(await runGit(repo.path, ['show', `${s.branch}:new.txt`])).toBe('new\n');
    const listed = await runCli(home.path, ['list', '--status', 'paused']);
    expect(listed.stdout).toContain('cli-pauser');

    const resumed = await runJson(sessionSchema, home.path, ['resume', '--session-id', s.id]);
    expect(resumed.result.code, resumed.result.stderr).toBe(0);
    expect(resumed.value.pid).not.toBeNull();
    expect(readFileSync(join(s.worktreePath, 'a.txt'), 'utf8')).toBe('a, edited\n');
    expect(readFileSync(join(s.worktreePath, 'new.txt'), 'utf8')).toBe('new\n');
    expect(await runGit(s.worktreePath, ['status', '--porcelain'])).toBe(' M a.txt\n?? new.txt\n');
    const again = await runCli(home.path, ['resume', '--session-id', s.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not paused/);
    expect((await runCli(home.path, ['stop', '--session-id', s.id])).code).toBe(0);
  });
});
