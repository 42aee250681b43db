import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../support/temp-repo';
import { executeInputSchema } from '../../../src/shared/contract';
import type { CommandRecord } from '../../../src/shared/domain';
import { AppError } from '../../../src/shared/errors';
import { EventHub } from '../../../src/main/engine/rpc/event-hub';
import { silentLogger } from '../../../src/main/engine/core/logger';
import { SkillRegistry } from '../../../src/main/engine/skills/skill-registry';
import { Database } from '../../../src/main/engine/store/database';
import { CommandService } from '../../../src/main/engine/commands/command-service';
import { pidRunning } from '../../support/pid-running';
import { makeRepoWithSessions, type ArraySessionLookup } from '../../support/session-fixtures';

let dataDir: TempDir;
let repo: TempDir;
let db: Database;
let hub: EventHub;
let lookup: ArraySessionLookup;
let service: CommandService;
let finished: CommandRecord[];

const exec = (input: Parameters<typeof executeInputSchema.parse>[0], opts?: { batchId?: string }) =>
  service.execute(executeInputSchema.parse(input), opts);

async function expectError(p: Promise<unknown>, code: string): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
  return e as AppError;
}

beforeEach(async () => {
  dataDir = await makeTempDir('ms-cmd-');
  db = await Database.open(join(dataDir.path, 'db.sqlite'));
  hub = new EventHub();
  finished = [];
  hub.on('commands.finished', (p) => finished.push(p.command));
  ({ repo, lookup } = await makeRepoWithSessions(['a', 'b']));
  const skills = new SkillRegistry({ getSettingsSkills: async () => [] });
  service = new CommandService({ db, hub, log: silentLogger, sessions: lookup, skills });
});
afterEach(async () => {
  await db.close();
  await dataDir.cleanup();
  await repo.cleanup();
});

describe('CommandService', () => {
  it('runs in the worktree and records every command with counters', async () => {
    const ok = await exec({ sessionId: 'a', command: 'git', args: ['rev-parse', '--abbrev-ref', 'HEAD'] });
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout.trim()).toBe('ms/a');
    const bad = await exec({ sessionId: 'a', command: 'git', args: ['no-such-subcommand'] }, { batchId: 'b1' });
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/no-such-subcommand/);
    expect(bad.batchId).toBe('b1');
    const slow = await exec({ sessionId: 'a', command: 'sleep', args: ['30'], timeoutSec: 0.3 });
    expect(slow.timedOut).toBe(true);

    const history = await service.history('a', 10);
    expect(history.map((h) => h.id)).toEqual([slow.id, bad.id, ok.id]);
    expect(history[1]).toEqual(bad);
    expect(finished.map((f) => f.id)).toEqual([ok.id, bad.id, slow.id]);
    expect(await service.counters('a')).toEqual({ commandsExecuted: 3, commandsSucceeded: 1, tasksCompleted: 1 });
    expect(await service.counters('b')).toEqual({ commandsExecuted: 0, commandsSucceeded: 0, tasksCompleted: 0 });
    await exec({ sessionId: 'b', command: 'true' });
    await service.addTaskCompleted('b');
    expect(await service.counters('b')).toEqual({ commandsExecuted: 1, commandsSucceeded: 1, tasksCompleted: 2 });
    expect(await service.totals()).toEqual({ commandsExecuted: 4, commandsSucceeded: 2 });
    expect(await service.history('a', 1)).toHaveLength(1);
  });

  it("uses the session's command timeout when the input has none", async () => {
    lookup.update('a', { limits: { memoryMb: null, runtimeSec: null, commandTimeoutSec: 1 } });
    const r = await exec({ sessionId: 'a', command: 'sleep', args: ['30'] });
    expect(r.timedOut).toBe(true);
  });

  it('records a program that is not installed and reports PROGRAM_NOT_FOUND', async () => {
    const e = await expectError(exec({ sessionId: 'a', command: 'no-such-program-ms' }), 'PROGRAM_NOT_FOUND');
    expect(e.message).toBe('`no-such-program-ms` was not found on PATH — install it or give the full path');
    const [rec] = await service.history('a', 1);
    expect(rec.command).toBe('no-such-program-ms');
    expect(rec.exitCode).toBeNull();
    expect(rec.stderr).toMatch(/not found on PATH/);
    expect(await service.counters('a')).toMatchObject({ commandsExecuted: 1, commandsSucceeded: 0 });
  });

  it('runs a shell command only when asked', async () => {
    const r = await exec({ sessionId: 'a', command: 'echo $((6*7)) | tr 4 X', shell: true });
    expect(r.stdout).toBe('X2\n');
    expect(r.shell).toBe(true);
  });

  it('runs skills with their arguments as argv', async () => {
    const a = lookup.get('a');
    const bin = join(a.worktreePath, 'node_modules', '.bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'tonl'), '#!/bin/sh\nfor x in "$@"; do echo "[$x]"; done\n');
    await chmod(join(bin, 'tonl'), 0o755);
    const r = await exec({
      sessionId: 'a',
      kind: 'skill',
      command: 'tonl:encode',
      params: { file: 'my data.json; rm -rf .', out: 'd.tonl' },
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('[encode]\n[my data.json; rm -rf .]\n[--out]\n[d.tonl]\n');
    expect(r.kind).toBe('skill');
    expect(r.args[0]).toBe(join(bin, 'tonl'));
    await expectError(exec({ sessionId: 'a', kind: 'skill', command: 'nope' }), 'SKILL_NOT_FOUND');
  });

  it('refuses unknown and terminated sessions and missing worktrees', async () => {
    await expectError(exec({ sessionId: 'zzz', command: 'true' }), 'NOT_FOUND');
    lookup.update('a', { status: 'terminated' });
    await expectError(exec({ sessionId: 'a', command: 'true' }), 'INVALID_STATE');
    await rm(lookup.get('b').worktreePath, { recursive: true, force: true });
    await expectError(exec({ sessionId: 'b', command: 'true' }), 'INVALID_STATE');
    expect(await service.totals()).toEqual({ commandsExecuted: 0, commandsSucceeded: 0 });
  });
});

describe('CommandService.dispose', () => {
  it('kills running commands and refuses new ones', async () => {
    const marker = join(lookup.get('a').worktreePath, 'started');
    const running = exec({ sessionId: 'a', command: 'echo $$; touch started; sleep 60', shell: true });
    while (!existsSync(marker)) await new Promise((r) => setTimeout(r, 20));
    await service.dispose();
    const rec = await running;
    expect(rec.exitCode).toBeNull();
    expect(pidRunning(Number(rec.stdout.trim()))).toBe(false);
    expect((await service.history('a', 1))[0].id).toBe(rec.id);
    await expectError(exec({ sessionId: 'a', command: 'true' }), 'CANCELLED');
  });
});
