import { execFile } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, makeTempRepo, type TempDir } from '../support/temp-repo';
import { z } from 'zod';
import { assertBuilt, BIN, cliErrorSchema, runCli, runJson, worktreeDirs } from './cli-harness';

let home: TempDir;
let repo: TempDir;
let notRepo: TempDir;

beforeAll(async () => {
  assertBuilt();
  home = await makeTempDir('ms-cli-home-');
  repo = await makeTempRepo();
  notRepo = await makeTempDir('ms-not-a-repo-');
});
afterAll(async () => {
  await home?.cleanup();
  await repo?.cleanup();
  await notRepo?.cleanup();
});

/** A usage error: exit 2, one line on stderr, nothing on stdout without --json. */
function expectUsage(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

describe('multisession usage errors (exit 2)', () => {
  it('rejects an unknown verb', async () => {
    expectUsage(await runCli(home.path, ['frobnicate']), /unknown command "frobnicate".*multisession help/);
  });

  it('rejects an unknown flag', async () => {
    expectUsage(await runCli(home.path, ['list', '--colour']), /unknown flag --colour for "list"/);
  });

  it('rejects a missing --name', async () => {
    expectUsage(await runCli(home.path, ['create', '--repo', repo.path]), /create needs --name/);
  });

  it.each(['0', '11', 'high', '2.5'])('rejects --priority %s', async (priority) => {
    const r = await runCli(home.path, ['create', '--name', 'p', '--repo', repo.path, '--priority', priority]);
    expectUsage(r, /--priority must be a whole number from 1 to 10/);
  });

  it('reports a usage error as JSON with --json, still exit 2', async () => {
    const { result, value } = await runJson(cliErrorSchema, home.path, [
      'create',
      '--name',
      'p',
      '--repo',
      repo.path,
      '--priority',
      '11',
    ]);
    expect(result.code).toBe(2);
    expect(value.error.code).toBe('BAD_INPUT');
    expect(value.error.message).toMatch(/--priority/);
  });

  it('rejects --base together with --branch, a bad --type, and a flag without a value', async () => {
    expectUsage(
      await runCli(home.path, ['create', '--name', 'x', '--repo', repo.path, '--base', 'main', '--branch', 'main']),
      /either --base .* or --branch/,
    );
    expectUsage(
      await runCli(home.path, ['create', '--name', 'x', '--repo', repo.path, '--type', 'poetry']),
      /--type must be one of/,
    );
    expectUsage(await runCli(home.path, ['list', '--status']), /--status needs a value/);
  });

  it('rejects batch without --all or --session-id', async () => {
    expectUsage(await runCli(home.path, ['batch', '--exec-command', 'true']), /--all or at least one --session-id/);
  });

  it('rejects attach when not in a terminal', async () => {
    expectUsage(await runCli(home.path, ['attach', '--session-id', 'abc']), /interactive terminal/);
  });

  it('prints usage and exits 2 with no arguments', async () => {
    const r = await runCli(home.path, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Usage: multisession <command>/);
  });

  it('nothing was created by any of the bad invocations', async () => {
    const { value } = await runJson(z.array(z.unknown()), home.path, ['list']);
    expect(value).toEqual([]);
    expect(worktreeDirs(home.path)).toEqual([]);
  });
});

describe('multisession failed operations (exit 1)', () => {
  it('a repository that is not a git repository fails with the typed message and creates nothing', async () => {
    const r = await runCli(home.path, ['create', '--name', 'nope', '--repo', notRepo.path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*is not a git repository.*\[NOT_A_REPOSITORY\]$/m);

    const j = await runJson(cliErrorSchema, home.path, ['create', '--name', 'nope', '--repo', notRepo.path]);
    expect(j.result.code).toBe(1);
    expect(j.value.error.code).toBe('NOT_A_REPOSITORY');

    const { value } = await runJson(z.array(z.unknown()), home.path, ['list']);
    expect(value).toEqual([]);
    expect(worktreeDirs(home.path)).toEqual([]);
    expect(existsSync(join(notRepo.path, '.git'))).toBe(false);
  });

  it('an unknown session id fails with NOT_FOUND', async () => {
    for (const args of [
      ['execute', '--session-id', 'feedfacecafe', '--exec-command', 'true'],
      ['stop', '--session-id', 'feedfacecafe'],
      ['terminate', '--session-id', 'feedfacecafe'],
    ]) {
      const r = await runCli(home.path, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/^error: .*feedfacecafe.*\[NOT_FOUND\]$/m);
    }
  });
});

describe('multisession help', () => {
  it('lists every verb and shows each verb with an example', async () => {
    const r = await runCli(home.path, ['--help']);
    expect(r.code).toBe(0);
    const verbs = [
      'create',
      'list',
      'execute',
      'batch',
      'status',
      'start',
      'stop',
      'terminate',
      'cleanup',
      'attach',
      'serve',
    ];
    for (const v of verbs) expect(r.stdout).toMatch(new RegExp(`^  ${v} `, 'm'));
    for (const v of verbs) {
      const h = await runCli(home.path, ['help', v]);
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(new RegExp(`^Usage: multisession ${v}`));
      expect(h.stdout).toMatch(/Example/);
      const flagHelp = await runCli(home.path, [v, '--help']);
      expect(flagHelp.stdout).toBe(h.stdout);
    }
    expectUsage(await runCli(home.path, ['help', 'nope']), /unknown command "nope"/);
  });
});

describe('bin/multisession.js', () => {
  it('says in one line to run npm run build when the bundle is missing', async () => {
    const unbuilt = await makeTempDir('ms-unbuilt-');
    try {
      await mkdir(join(unbuilt.path, 'bin'));
      await copyFile(BIN, join(unbuilt.path, 'bin', 'multisession.js'));
      const r = await promisify(execFile)(process.execPath, [
        join(unbuilt.path, 'bin', 'multisession.js'),
        'list',
      ]).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/run `npm run build`/);
    } finally {
      await unbuilt.cleanup();
    }
  });
});
