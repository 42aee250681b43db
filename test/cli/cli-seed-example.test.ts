import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { requests } from '../../src/shared/contract';
import {
  agentPresetSchema,
  cleanupReportSchema,
  commandRecordSchema,
  sessionSchema,
  systemStatusSchema,
  type Session,
} from '../../src/shared/domain';
import { makeTempDir, makeTempRepo, type TempDir } from '../support/temp-repo';
import { waitFor } from '../support/wait-for';
import { assertBuilt, runCli, startServe, type CliResult, type ServeHost } from './cli-harness';

// The original description's CLI example, run as written inside a repository on a machine with
// no agent CLI: PATH holds only the system folders (node and git live there, no agent does) and
// HOME is empty, so neither PATH nor the usual install folders have an agent.
const noAgentEnv = (home: string) => ({ PATH: '/usr/bin:/bin', HOME: home, SHELL: '/bin/bash' });

let data: TempDir;
let userHome: TempDir;
let repo: TempDir;
let cwd: string;

/** The command succeeded quietly and printed one document of `schema` (the contract's output). */
function json<S extends z.ZodType>(schema: S, r: CliResult): z.output<S> {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return schema.parse(JSON.parse(r.stdout));
}

beforeAll(async () => {
  assertBuilt();
  data = await makeTempDir('ms-seed-data-');
  userHome = await makeTempDir('ms-seed-home-');
  repo = await makeTempRepo();
  // Run from a sub-folder: --repo defaults to the repository of the current folder, not the folder.
  cwd = join(repo.path, 'src', 'deep');
  mkdirSync(cwd, { recursive: true });
});
afterAll(async () => {
  await data?.cleanup();
  await userHome?.cleanup();
  await repo?.cleanup();
});

describe('the seed example on a machine with no agent installed', () => {
  const run = (args: string[]) => runCli(data.path, args, { cwd, env: noAgentEnv(userHome.path) });

  it('detects no agent, so the default program is the shell and says why', async () => {
    const { agents, defaults } = json(
      z.object({ agents: z.array(agentPresetSchema), defaults: requests['agents.defaults'].output }),
      await run(['agents', '--json']),
    );
    expect(agents.filter((a) => a.installed).map((a) => a.id)).toEqual(['shell']);
    expect(defaults.defaultProgram.agent).toBe('shell');
    expect(defaults.defaultProgram.reason).toMatch(/no agent CLI is installed/);
    expect(defaults.types.every((t) => t.agent === 'shell')).toBe(true);
    const human = await run(['agents']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Default program: shell — no agent CLI is installed/);
  });

  let session: Session;
  it('create --name "My Session" --type code_generation', async () => {
    const r = await run(['create', '--name', 'My Session', '--type', 'code_generation']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/My Session/);
    const [s] = json(z.array(sessionSchema), await run(['list', '--json']));
    session = s;
    expect(s.type).toBe('code_generation');
    expect(s.repoPath).toBe(realpathSync(repo.path));
    expect(s.agent).toBe('shell');
    expect(s.program).toBe('/bin/bash');
    expect(s.agentReason).toMatch(/default program: no agent CLI is installed/);
    expect(s.ports).not.toBeNull();
  });

  it('list', async () => {
    const r = await run(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('My Session');
    expect(r.stdout).toContain(session.id);
  });

  it('execute --session-id … --exec-command echo --exec-args "Hello"', async () => {
    const rec = json(
      commandRecordSchema,
      await run(['execute', '--session-id', session.id, '--exec-command', 'echo', '--exec-args', 'Hello', '--json']),
    );
    expect(rec.exitCode).toBe(0);
    expect(rec.stdout).toBe('Hello\n');
    const human = await run(['execute', '--session-id', session.id, '--exec-command', 'echo', '--exec-args', 'Hello']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Hello');
  });

  it('status', async () => {
    const s = json(systemStatusSchema, await run(['status', '--json']));
    expect(s.totalSessions).toBe(1);
    expect(s.commandsExecuted).toBe(2);
    expect((await run(['status'])).code).toBe(0);
  });

  it('cleanup', async () => {
    const report = json(cleanupReportSchema, await run(['cleanup', '--json']));
    // Nothing is stale: the live session and its worktree are kept, nothing is removed.
    expect(report.removed).toEqual([]);
    expect((await run(['cleanup'])).code).toBe(0);
    expect(json(z.array(sessionSchema), await run(['list', '--json']))).toHaveLength(1);
  });
});

describe('with a host running on that machine', () => {
  let host: ServeHost;
  let hostData: TempDir;
  beforeAll(async () => {
    hostData = await makeTempDir('ms-seed-host-');
    host = await startServe(hostData.path, noAgentEnv(userHome.path));
  });
  afterAll(async () => {
    await host?.stop();
    await hostData?.cleanup();
  });
  const run = (args: string[]) => runCli(hostData.path, args, { cwd, env: noAgentEnv(userHome.path) });

  it('starts the shell, and a prompt is not typed into it unless asked', async () => {
    const [s] = json(
      z.array(sessionSchema),
      await run([
        'create',
        '--name',
        'Shell Prompt',
        '--type',
        'code_generation',
        '--prompt',
        'touch TYPED',
        '--copies',
        '1',
        '--json',
      ]),
    );
    expect(s.agent).toBe('shell');
    expect(s.promptDelivery).toBe('not-sent');
    // No type prefix either: the prefix is an instruction for agents.
    expect(s.prompt).toBe('touch TYPED');
    const running = await waitFor('the shell to run', async () => {
      const [x] = json(z.array(sessionSchema), await run(['list', '--json'])).filter((y) => y.id === s.id);
      return x.pid ? x : null;
    });
    expect(running.promptSent).toBe(false);

    const [asked] = json(
      z.array(sessionSchema),
      await run(['create', '--name', 'Typed', '--prompt', 'touch TYPED', '--type-prompt', '--copies', '1', '--json']),
    );
    expect(asked.promptDelivery).toBe('typed');
    const rec = await waitFor('the asked-for prompt to run in the shell', async () => {
      const r = json(
        commandRecordSchema,
        await run(['execute', '--session-id', asked.id, '--exec-command', 'ls', '--json']),
      );
      return r.stdout.includes('TYPED') ? r : null;
    });
    expect(rec.exitCode).toBe(0);
    const other = json(
      commandRecordSchema,
      await run(['execute', '--session-id', s.id, '--exec-command', 'ls', '--json']),
    );
    expect(other.stdout).not.toContain('TYPED');
  });
});
