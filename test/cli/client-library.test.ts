import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sessionSchema } from '../../src/shared/domain';
import { isAppError } from '../../src/shared/errors';
import { batchExecute, connect, createParallelSessions, runBatch, systemStatus } from '../../src/main/client';
import { readLock } from '../../src/main/host/host-lock';
import { makeTempDir, makeTempRepo, type TempDir } from '../support/temp-repo';
import { assertBuilt, runJson } from './cli-harness';

// The typed client library in a process that owns the data dir itself (no host running).
let home: TempDir;
let repo: TempDir;

beforeAll(async () => {
  assertBuilt();
  home = await makeTempDir('ms-client-home-');
  repo = await makeTempRepo();
});
afterAll(async () => {
  await home?.cleanup();
  await repo?.cleanup();
});

describe('connect() with no host running', () => {
  it('owns the data dir, answers every request through the typed proxy, and serves concurrent CLIs', async () => {
    const client = await connect({ home: home.path });
    try {
      expect(client.ownsDataDir).toBe(true);
      expect(client.info.mode).toBe('cli');
      expect(readLock(home.path)?.pid).toBe(process.pid);

      expect(await client.sessions.list()).toEqual([]);
      // The proxy has exactly the contract's requests, typed from their names.
      // @ts-expect-error sessions.frobnicate is not a request of the contract
      expect(client.sessions.frobnicate).toBeUndefined();
      expect(typeof client.terminals.attach).toBe('function');
      const types = await client.sessionTypes.list();
      expect(types.map((t) => t.type)).toContain('code_generation');

      const created = await createParallelSessions(client, [
        { name: 'lib one', repoPath: repo.path, program: 'cat', autoStart: false },
        { name: 'lib two', repoPath: repo.path, program: 'cat', autoStart: false, copies: 2 },
        { name: 'lib bad', repoPath: home.path, program: 'cat', autoStart: false },
      ]);
      expect(created.created.map((s) => s.name).sort()).toEqual(['lib one', 'lib two 1', 'lib two 2']);
      expect(created.failed).toHaveLength(1);
      expect(created.failed[0].error.code).toBe('NOT_A_REPOSITORY');

      // Typed errors come back as AppErrors; inputs are parsed with the contract's schemas.
      const bad = await client.sessions.get({ sessionId: 'nope' }).catch((e: unknown) => e);
      expect(isAppError(bad) && bad.code).toBe('NOT_FOUND');
      const badInput = await client.request('sessions.create', { name: 'x', repoPath: repo.path, priority: 11 });
      expect(badInput.ok === false && badInput.error.code).toBe('BAD_INPUT');

      // A CLI started while this process owns the data dir reaches it over the socket.
      const fromCli = await runJson(z.array(sessionSchema), home.path, ['list']);
      expect(fromCli.result.code, fromCli.result.stderr).toBe(0);
      expect(fromCli.value).toHaveLength(3);

      const [one, two] = created.created;
      const results = await batchExecute(client, [
        { sessionId: one.id, command: 'sh', args: ['-c', 'exit 3'] },
        { sessionId: two.id, command: 'pwd' },
        { sessionId: 'missing', command: 'true' },
      ]);
      expect(results[0]).toMatchObject({ ok: true, record: { exitCode: 3 } });
      expect(results[1].ok && results[1].record.stdout.trim()).toBe(two.worktreePath);
      expect(results[2]).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

      const batch = await runBatch(client, { selector: { all: true }, command: 'true' });
      expect(batch.status).toBe('done');
      expect(batch.items.every((i) => i.status === 'succeeded')).toBe(true);

      const status = await systemStatus(client);
      expect(status).toMatchObject({ totalSessions: 3, gitWorktrees: 3 });
      expect(status.commandsExecuted).toBeGreaterThanOrEqual(5);

      const events: string[] = [];
      const off = client.on('sessions.changed', ({ session }) => events.push(session.id));
      await client.sessions.update({ sessionId: one.id, priority: 3 });
      await new Promise((r) => setImmediate(r));
      off();
      expect(events).toContain(one.id);
    } finally {
      await client.close();
    }
    expect(readLock(home.path)).toBeNull();
  });

  it('after close the next client owns the data dir again and sees what was stored', async () => {
    const client = await connect({ home: home.path });
    try {
      expect(client.ownsDataDir).toBe(true);
      const sessions = await client.sessions.list();
      expect(sessions).toHaveLength(3);
      expect(sessions.find((s) => s.name === 'lib one')!.priority).toBe(3);
    } finally {
      await client.close();
    }
  });

  it('allowOwn: false refuses to open a data dir no host owns', async () => {
    const e = await connect({ home: home.path, allowOwn: false }).catch((err: unknown) => err);
    expect(isAppError(e) && e.code).toBe('INVALID_STATE');
    expect(readLock(home.path)).toBeNull();
  });
});
