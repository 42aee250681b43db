import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commandRecordSchema, sessionSchema, type Session } from '../../src/shared/domain';
import { makeTempDir, makeTempRepo, type TempDir } from '../support/temp-repo';
import { assertBuilt, cliErrorSchema, runCli, runJson } from './cli-harness';

// Issue #16 item 5: a reference names exactly one session. The real CLI binary against a data dir
// no host owns: an exact id, then an exact unique name, then a unique id prefix among live
// sessions (never for verbs that change or remove a session); several matches list the candidates.
let home: TempDir;
let repo: TempDir;

beforeAll(async () => {
  assertBuilt();
  home = await makeTempDir('ms-cli-ref-');
  repo = await makeTempRepo({ files: 2 });
});
afterAll(async () => {
  await home?.cleanup();
  await repo?.cleanup();
});

const create = async (name: string): Promise<Session> =>
  (
    await runJson(sessionSchema, home.path, [
      'create',
      '--name',
      name,
      '--repo',
      repo.path,
      '--program',
      'cat',
      '--no-start',
    ])
  ).value;
const get = async (id: string): Promise<Session> => {
  const { value } = await runJson(z.array(sessionSchema), home.path, ['list']);
  const s = value.find((x) => x.id === id);
  if (!s) throw new Error(`session ${id} not listed`);
  return s;
};

describe('session references are exact', () => {
  it('a name that is also the start of another id names its own session; prefixes never terminate', async () => {
    const target = await create('target');
    // Another session whose *name* is the first 6 characters of target's id.
    const namedLikePrefix = await create(target.id.slice(0, 6));

    // Terminate by that string acts on the session with that exact name, not on `target`.
    const byName = await runJson(sessionSchema, home.path, ['terminate', '--session-id', target.id.slice(0, 6)]);
    expect(byName.result.code, byName.result.stderr).toBe(0);
    expect(byName.value.id).toBe(namedLikePrefix.id);
    expect((await get(target.id)).status).toBe('stopped');
    expect(existsSync(target.worktreePath)).toBe(true);

    // A bare id prefix: fine for a read-only verb, refused for a destructive one, listing the match.
    const prefix = target.id.slice(0, 8);
    const ran = await runJson(commandRecordSchema, home.path, [
      'execute',
      '--session-id',
      prefix,
      '--exec-command',
      'true',
    ]);
    expect(ran.result.code, ran.result.stderr).toBe(0);
    expect(ran.value.sessionId).toBe(target.id);
    const refused = await runCli(home.path, ['terminate', '--session-id', prefix]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('[NOT_FOUND]');
    expect(refused.stderr).toContain(target.id);
    expect(refused.stderr).toMatch(/give its full id or exact name/);
    expect((await get(target.id)).status).toBe('stopped');
    expect(existsSync(target.worktreePath)).toBe(true);
  });

  it('two live sessions with one name: every verb refuses with both candidates and changes nothing', async () => {
    const a = await create('twin');
    const b = await create('twin');
    for (const verb of [['terminate'], ['stop'], ['execute', '--exec-command', 'true']]) {
      const { result, value } = await runJson(cliErrorSchema, home.path, [
        verb[0]!,
        '--session-id',
        'twin',
        ...verb.slice(1),
      ]);
      expect(result.code, `${verb[0]}: ${result.stdout}`).not.toBe(0);
      expect(value.error.code, result.stdout).toBe('AMBIGUOUS_REFERENCE');
      expect(value.error.message).toContain(a.id);
      expect(value.error.message).toContain(b.id);
    }
    for (const s of [a, b]) {
      expect((await get(s.id)).status).toBe('stopped');
      expect(existsSync(s.worktreePath)).toBe(true);
    }
    // The exact id still works.
    const done = await runJson(sessionSchema, home.path, ['terminate', '--session-id', a.id]);
    expect(done.result.code, done.result.stderr).toBe(0);
    expect((await get(b.id)).status).toBe('stopped');
  });
});
