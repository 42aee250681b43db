import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../support/temp-repo';
import { batchRunInputSchema, requests } from '../../../src/shared/contract';
import type { Batch, Settings } from '../../../src/shared/domain';
import { AppError } from '../../../src/shared/errors';
import { CommandService } from '../../../src/main/engine/commands/command-service';
import { makeRepoWithSessions, type ArraySessionLookup } from '../../support/session-fixtures';
import { EventHub } from '../../../src/main/engine/rpc/event-hub';
import { silentLogger } from '../../../src/main/engine/core/logger';
import { pidRunning } from '../../support/pid-running';
import { SkillRegistry } from '../../../src/main/engine/skills/skill-registry';
import { Database } from '../../../src/main/engine/store/database';
import { defaultSettings } from '../../../src/main/engine/store/settings-store';
import { BatchService } from '../../../src/main/engine/batch/batch-service';

let dataDir: TempDir;
let repo: TempDir;
let db: Database;
let hub: EventHub;
let lookup: ArraySessionLookup;
let commands: CommandService;
let batches: BatchService;
let progress: Batch[];
let settings: Settings;

const run = (input: Parameters<typeof batchRunInputSchema.parse>[0]) => batches.run(batchRunInputSchema.parse(input));

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
  dataDir = await makeTempDir('ms-batch-');
  db = await Database.open(join(dataDir.path, 'db.sqlite'));
  hub = new EventHub();
  progress = [];
  hub.on('batch.progress', (p) => progress.push(p.batch));
  ({ repo, lookup } = await makeRepoWithSessions(['a', 'b', 'c']));
  for (const s of lookup.sessions) s.env = { MS_NAME: s.id };
  settings = { ...defaultSettings };
  const skills = new SkillRegistry({ getSettingsSkills: async () => [] });
  commands = new CommandService({ db, hub, log: silentLogger, sessions: lookup, skills });
  batches = new BatchService({
    db,
    hub,
    log: silentLogger,
    sessions: lookup,
    commands,
    getSettings: async () => settings,
  });
});
afterEach(async () => {
  await db.close();
  await dataDir.cleanup();
  await repo.cleanup();
});

describe('BatchService', () => {
  it('runs on every session and reports each result', async () => {
    const started = await run({
      selector: { all: true },
      command: 'if [ "$MS_NAME" = b ]; then echo "bad $MS_NAME" >&2; exit 3; fi; echo "ok $MS_NAME"',
      shell: true,
    });
    expect(started.status).toBe('running');
    expect(started.items.map((i) => i.status)).toEqual(['pending', 'pending', 'pending']);
    const done = await batches.waitFor(started.id);
    expect(done.status).toBe('done');
    expect(done.finishedAt).not.toBeNull();
    const byId = Object.fromEntries(done.items.map((i) => [i.sessionId, i]));
    expect(byId.a).toMatchObject({ status: 'succeeded', exitCode: 0, outputTail: 'ok a\n' });
    expect(byId.c).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(byId.b).toMatchObject({ status: 'failed', exitCode: 3, outputTail: 'bad b\n' });
    expect(byId.b.durationMs).toBeGreaterThanOrEqual(0);
    // Each item links to its recorded command, tagged with the batch.
    const [rec] = await commands.history('b', 1);
    expect(rec.id).toBe(byId.b.commandId);
    expect(rec.batchId).toBe(started.id);
    // Persisted, and the last progress event is the final state.
    expect(await batches.get(started.id)).toEqual(done);
    expect((await batches.list()).map((b) => b.id)).toEqual([started.id]);
    expect(progress.at(-1)).toEqual(done);
    // Results parse with the contract's output schema.
    expect(requests['batch.get'].output.safeParse(done).success).toBe(true);
  });

  it('never runs more than the concurrency limit at once', async () => {
    const dir = await makeTempDir('ms-conc-');
    try {
      // Each command marks itself running, waits, counts the running marks, then unmarks.
      const script = `touch "${dir.path}/$MS_NAME.run"; sleep 0.3; ls "${dir.path}" | grep -c '\\.run$' >> "${dir.path}/counts"; sleep 0.2; rm "${dir.path}/$MS_NAME.run"`;
      const b = await run({ selector: { all: true }, command: script, shell: true, concurrency: 2 });
      const done = await batches.waitFor(b.id);
      expect(done.items.every((i) => i.status === 'succeeded')).toBe(true);
      const counts = (await readFile(join(dir.path, 'counts'), 'utf8')).trim().split('\n').map(Number);
      expect(counts).toHaveLength(3);
      expect(Math.max(...counts)).toBeLessThanOrEqual(2);
      for (const p of progress) expect(p.items.filter((i) => i.status === 'running').length).toBeLessThanOrEqual(2);
    } finally {
      await dir.cleanup();
    }
  });

  it('runs higher-priority sessions first', async () => {
    lookup.update('a', { priority: 2 });
    lookup.update('b', { priority: 9 });
    lookup.update('c', { priority: 5 });
    const dir = await makeTempDir('ms-order-');
    try {
      const b = await run({
        selector: { sessionIds: ['a', 'b', 'c'] },
        command: `echo "$MS_NAME" >> "${dir.path}/order"`,
        shell: true,
        concurrency: 1,
      });
      expect(b.items.map((i) => i.sessionId)).toEqual(['b', 'c', 'a']);
      await batches.waitFor(b.id);
      expect(await readFile(join(dir.path, 'order'), 'utf8')).toBe('b\nc\na\n');
    } finally {
      await dir.cleanup();
    }
  });

  it('refuses unknown sessions before running anything', async () => {
    await expectError(run({ selector: { sessionIds: ['a', 'nope'] }, command: 'true' }), 'NOT_FOUND');
    expect(await batches.list()).toEqual([]);
    expect(await commands.totals()).toEqual({ commandsExecuted: 0, commandsSucceeded: 0 });
    await expectError(run({ selector: { filter: { type: 'background' } }, command: 'true' }), 'BAD_INPUT');
  });

  it('selects by filter and skips terminated sessions', async () => {
    lookup.update('c', { status: 'terminated' });
    lookup.update('b', { type: 'data_analysis' });
    const all = await run({ selector: { all: true }, command: 'true' });
    expect(all.items.map((i) => i.sessionId).sort()).toEqual(['a', 'b']);
    const filtered = await run({ selector: { filter: { type: 'data_analysis' } }, command: 'true' });
    expect(filtered.items.map((i) => i.sessionId)).toEqual(['b']);
    await batches.waitFor(all.id);
    await batches.waitFor(filtered.id);
  });

  it('cancels: kills the running command tree and skips pending items', async () => {
    const b = await run({ selector: { all: true }, command: 'echo $$; sleep 60', shell: true, concurrency: 1 });
    while (!progress.some((p) => p.id === b.id && p.items.some((i) => i.status === 'running'))) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const cancelled = await batches.cancel(b.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.items.map((i) => i.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const first = cancelled.items[0];
    expect(first.commandId).not.toBeNull();
    const [rec] = await commands.history(first.sessionId, 1);
    expect(pidRunning(Number(rec.stdout.trim()))).toBe(false);
    // Only the first ever started.
    expect((await commands.totals()).commandsExecuted).toBe(1);
    expect(await batches.get(b.id)).toEqual(cancelled);
  });

  it('reruns only the failed sessions', async () => {
    const b = await run({ selector: { all: true }, command: 'git', args: ['checkout', '--quiet', 'ms/b'] });
    // ms/b is checked out in worktree b already, so only a and c fail to check it out.
    const done = await batches.waitFor(b.id);
    const failed = done.items.filter((i) => i.status === 'failed').map((i) => i.sessionId);
    expect(failed.sort()).toEqual(['a', 'c']);
    expect(done.items.find((i) => i.sessionId === 'a')?.outputTail).toMatch(/ms\/b/);
    const again = await batches.rerunFailed(b.id);
    expect(again.id).not.toBe(b.id);
    expect(again.items.map((i) => i.sessionId).sort()).toEqual(['a', 'c']);
    await batches.waitFor(again.id);
    const ok = await run({ selector: { sessionIds: ['b'] }, command: 'true' });
    await batches.waitFor(ok.id);
    await expectError(batches.rerunFailed(ok.id), 'INVALID_STATE');
  });

  it("marks items failed with the reason when a session cannot run commands; a terminated session's item is cancelled, saying why", async () => {
    lookup.update('b', { status: 'terminated' });
    const b = await run({ selector: { sessionIds: ['a', 'b'] }, command: 'no-such-program-ms' });
    const done = await batches.waitFor(b.id);
    const byId = Object.fromEntries(done.items.map((i) => [i.sessionId, i]));
    expect(byId.a.status).toBe('failed');
    expect(byId.a.outputTail).toMatch(/was not found on PATH/);
    expect(byId.a.commandId).not.toBeNull();
    expect(byId.b.status).toBe('cancelled');
    expect(byId.b.outputTail).toMatch(/terminated/);
  });

  it('runs the default preset on all sessions, and rejects unknown presets', async () => {
    settings = {
      ...settings,
      presets: [{ id: 'branch', name: 'branch', command: 'git', args: ['branch', '--show-current'], shell: false }],
      defaultPresetId: 'branch',
    };
    const b = await batches.runPreset({ sessionIds: [] });
    const done = await batches.waitFor(b.id);
    expect(done.items.map((i) => i.outputTail).sort()).toEqual(['ms/a\n', 'ms/b\n', 'ms/c\n']);
    const one = await batches.runPreset({ presetId: 'branch', sessionIds: ['c'] });
    expect(one.items.map((i) => i.sessionId)).toEqual(['c']);
    await batches.waitFor(one.id);
    await expectError(batches.runPreset({ presetId: 'nope', sessionIds: [] }), 'NOT_FOUND');
    await expectError(batches.get('nope'), 'NOT_FOUND');
    // Without a default, "run the default preset" names where to set one and runs nothing.
    settings = { ...settings, defaultPresetId: null };
    const before = (await batches.list()).length;
    const e = await expectError(batches.runPreset({ sessionIds: [] }), 'BAD_INPUT');
    expect(e.message).toMatch(/Settings → Presets/);
    expect(await batches.list()).toHaveLength(before);
  });
});
