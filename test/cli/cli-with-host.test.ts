import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  batchSchema,
  commandRecordSchema,
  sessionSchema,
  systemStatusSchema,
  type Session,
} from '../../src/shared/domain';
import { connect } from '../../src/main/client/connect';
import type { MultisessionClient } from '../../src/main/client/multisession-client';
import { makeTempDir, makeTempRepo, type TempDir } from '../support/temp-repo';
import { assertBuilt, runCli, runJson, startServe, type ServeHost } from './cli-harness';
import { runCliInPty } from './pty-run';

// A real browser-mode host owns the data dir; every CLI talks to it over its local socket.
let home: TempDir;
let repo: TempDir;
let host: ServeHost;
let client: MultisessionClient;

beforeAll(async () => {
  assertBuilt();
  home = await makeTempDir('ms-cli-host-');
  repo = await makeTempRepo();
  host = await startServe(home.path);
  client = await connect({ home: home.path, allowOwn: false });
});
afterAll(async () => {
  await client?.close();
  await host?.stop();
  await home?.cleanup();
  await repo?.cleanup();
});

const running = (s: Session) => ['active', 'busy', 'idle', 'waiting'].includes(s.status);

function nextChange(name: string, status: (s: Session) => boolean): Promise<Session> {
  return new Promise((resolve) => {
    const off = client.on('sessions.changed', ({ session }) => {
      if (session.name === name && status(session)) {
        off();
        resolve(session);
      }
    });
  });
}

async function createRunning(name: string): Promise<Session> {
  const active = nextChange(name, running);
  const { result } = await runJson(sessionSchema, home.path, [
    'create',
    '--name',
    name,
    '--repo',
    repo.path,
    '--program',
    'cat',
  ]);
  expect(result.code, result.stderr).toBe(0);
  return active;
}

describe('with a host running', () => {
  it('the client library reaches the host instead of owning the data dir', () => {
    expect(client.ownsDataDir).toBe(false);
    expect(client.info.mode).toBe('browser');
    expect(client.info.dataDir).toBe(home.path);
  });

  it('a session created by the CLI appears in the host at once and its program starts there', async () => {
    const seen = nextChange('hosted', () => true);
    const { result, value } = await runJson(sessionSchema, home.path, [
      'create',
      '--name',
      'hosted',
      '--repo',
      repo.path,
      '--program',
      'cat',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect((await seen).id).toBe(value.id);
    const listed = await client.sessions.list({});
    expect(listed.map((s) => s.id)).toContain(value.id);
    const inHost = await client.sessions.get({ sessionId: value.id });
    expect(['queued', 'active', 'busy', 'idle', 'waiting']).toContain(inHost.status);

    const human = await runCli(home.path, ['create', '--name', 'hosted two', '--repo', repo.path, '--program', 'cat']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/created and started in the running host/);
  });

  it('--no-start creates a stopped session in the host', async () => {
    const { value } = await runJson(sessionSchema, home.path, [
      'create',
      '--name',
      'idle one',
      '--repo',
      repo.path,
      '--program',
      'cat',
      '--no-start',
    ]);
    expect(value.status).toBe('stopped');
    expect((await client.sessions.get({ sessionId: value.id })).status).toBe('stopped');
  });

  it('execute passes the exit status through the host', async () => {
    const s = (await client.sessions.list({})).find((x) => x.name === 'hosted')!;
    const seven = await runCli(home.path, ['execute', '--session-id', s.id, '--shell', '--exec-command', 'exit 7']);
    expect(seven.code).toBe(7);
    const f = await runJson(commandRecordSchema, home.path, [
      'execute',
      '--session-id',
      s.id,
      '--exec-command',
      'false',
    ]);
    expect(f.result.code).toBe(1);
    expect(f.value.exitCode).toBe(1);
    const history = await client.commands.history({ sessionId: s.id });
    expect(history.map((c) => c.id)).toContain(f.value.id);
  });

  it('five CLIs at once all succeed', async () => {
    const runs = await Promise.all(
      Array.from({ length: 5 }, () => runJson(z.array(sessionSchema), home.path, ['list'])),
    );
    const expected = (await client.sessions.list({})).length;
    for (const r of runs) {
      expect(r.result.code, r.result.stderr).toBe(0);
      expect(r.value).toHaveLength(expected);
    }
  });

  it('status and batch go through the host', async () => {
    const { value } = await runJson(systemStatusSchema, home.path, ['status']);
    expect(value.totalSessions).toBe((await client.sessions.list({})).length);
    expect(value.runningPrograms).toBeGreaterThanOrEqual(1);
    expect((await runCli(home.path, ['status'])).stdout).toMatch(/^Host\s+browser, pid \d+$/m);

    const batch = await runJson(batchSchema, home.path, [
      'batch',
      '--all',
      '--exec-command',
      'true',
      '--concurrency',
      '2',
    ]);
    expect(batch.result.code, batch.result.stderr).toBe(0);
    expect(batch.value.status).toBe('done');
    expect(batch.value.items.length).toBeGreaterThanOrEqual(3);
  });

  it('stop and start a session from the CLI', async () => {
    const s = (await client.sessions.list({})).find((x) => x.name === 'hosted two')!;
    await nextChangeOrNow(s.id, running);
    const stopped = await runJson(sessionSchema, home.path, ['stop', '--session-id', s.id]);
    expect(stopped.result.code, stopped.result.stderr).toBe(0);
    expect((await client.sessions.get({ sessionId: s.id })).status).toBe('stopped');
    const active = nextChange('hosted two', running);
    const started = await runJson(sessionSchema, home.path, ['start', '--session-id', s.id]);
    expect(started.result.code, started.result.stderr).toBe(0);
    expect((await active).id).toBe(s.id);
  });

  it('rename, priority and limits change from the CLI while the program runs; bad values change nothing', async () => {
    const s = await createRunning('to rename');
    const renamed = await runJson(sessionSchema, home.path, ['rename', '--session-id', s.id, '--name', 'renamed one']);
    expect(renamed.result.code, renamed.result.stderr).toBe(0);
    expect(renamed.value.name).toBe('renamed one');
    expect(renamed.value.branch).toBe(s.branch);
    const updated = await runJson(sessionSchema, home.path, [
      'update',
      '--session-id',
      'renamed one',
      '--priority',
      '4',
      '--memory-mb',
      '2048',
      '--runtime-min',
      '30',
    ]);
    expect(updated.result.code, updated.result.stderr).toBe(0);
    const after = await client.sessions.get({ sessionId: s.id });
    expect(after).toMatchObject({ priority: 4, limits: { memoryMb: 2048, runtimeSec: 1800 } });
    expect(running(after)).toBe(true);
    const cleared = await runJson(sessionSchema, home.path, ['update', '--session-id', s.id, '--memory-mb', 'none']);
    expect(cleared.value.limits.memoryMb).toBeNull();
    const bad = await runCli(home.path, ['update', '--session-id', s.id, '--priority', '11']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Priority is 1 \(lowest\) to 10/);
    // Settings flags and update-from-base flags do not mix.
    expect((await runCli(home.path, ['update', '--session-id', s.id, '--priority', '3', '--abort'])).code).toBe(2);
    expect((await client.sessions.get({ sessionId: s.id })).priority).toBe(4);
  });

  it('stop --all stops every running session and start --all starts them again', async () => {
    const live = (await client.sessions.list({})).filter(running);
    expect(live.length).toBeGreaterThanOrEqual(2);
    const stopped = await runJson(z.array(sessionSchema), home.path, ['stop', '--all']);
    expect(stopped.result.code, stopped.result.stderr).toBe(0);
    expect(stopped.value.map((x) => x.id).sort()).toEqual(expect.arrayContaining(live.map((x) => x.id).sort()));
    expect((await client.sessions.list({})).filter(running)).toHaveLength(0);
    const started = await runJson(z.array(sessionSchema), home.path, ['start', '--all']);
    expect(started.result.code, started.result.stderr).toBe(0);
    for (const x of live) {
      await nextChangeOrNow(x.id, (y) => running(y) || y.status === 'queued');
    }
    expect((await runCli(home.path, ['start', '--all', '--session-id', 'x'])).code).toBe(2);
  });
});

async function nextChangeOrNow(id: string, ok: (s: Session) => boolean): Promise<void> {
  const waiting = new Promise<void>((resolve) => {
    const off = client.on('sessions.changed', ({ session }) => {
      if (session.id === id && ok(session)) {
        off();
        resolve();
      }
    });
  });
  if (ok(await client.sessions.get({ sessionId: id }))) return;
  await waiting;
}

describe('attach', () => {
  it('shows the live program, sends keys, and detaches with Ctrl-] leaving it running', async () => {
    const s = await createRunning('attach me');
    const run = runCliInPty(home.path, ['attach', '--session-id', s.id]);
    await run.waitFor(/Attached to attach me — press Ctrl-\] to detach/);
    run.pty.write('marco polo\r');
    // cat echoes the line back: once from the terminal's echo, once from cat itself.
    await run.waitFor(/marco polo[\s\S]*marco polo/);
    run.pty.write('\x1d');
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(/Detached from attach me/);
    expect((await client.sessions.get({ sessionId: s.id })).status).not.toBe('stopped');
  });

  it('ends when the program exits', async () => {
    const s = await createRunning('attach exit');
    const run = runCliInPty(home.path, ['attach', '--session-id', s.id]);
    await run.waitFor(/Attached to attach exit/);
    const exitedInHost = nextChange('attach exit', (x) => !running(x) && x.status !== 'queued');
    run.pty.write('\x04');
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(/attach exit exited with code 0/);
    await exitedInHost;
  });

  it('an unknown session in a data dir with no app and no programs: a typed error, exit 1', async () => {
    const empty = await makeTempDir('ms-cli-nohost-');
    try {
      const run = runCliInPty(empty.path, ['attach', '--session-id', 'abc123']);
      expect(await run.exited).toBe(1);
      expect(run.output()).toMatch(/abc123.*\[NOT_FOUND\]/s);
    } finally {
      await empty.cleanup();
    }
  });
});
