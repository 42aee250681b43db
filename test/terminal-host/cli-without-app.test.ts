import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sessionSchema } from '../../src/shared/domain';
import { readLock } from '../../src/main/host/host-lock';
import { ROOT, runCli, runJson } from '../cli/cli-harness';
import { runCliInPty } from '../cli/pty-run';
import { pidRunning } from '../support/pid-running';
import { makeTempDir, makeTempRepo, type TempDir } from '../support/temp-repo';
import { stopTerminalHosts, terminalHostLock } from '../support/terminal-host';
import { waitFor } from '../support/wait-for';

const built = existsSync(join(ROOT, 'out/main/cli.js')) && existsSync(join(ROOT, 'out/main/terminal-host.js'));

let home: TempDir;
let repo: TempDir;
beforeAll(async () => {
  home = await makeTempDir('ms-cli-noapp-');
  repo = await makeTempRepo({ files: 2 });
});
afterAll(async () => {
  await stopTerminalHosts(home.path);
  await home.cleanup();
  await repo.cleanup();
});

async function pidOf(id: string): Promise<number> {
  return waitFor('the program to run', async () => {
    const { value } = await runJson(z.array(sessionSchema), home.path, ['list']);
    return value.find((s) => s.id === id)?.pid ?? null;
  });
}

/** Attaches in a real terminal, types a line, checks its echo, detaches with Ctrl-]. */
async function attachAndType(id: string, line: string, expectOnScreen: RegExp): Promise<string> {
  const attach = runCliInPty(home.path, ['attach', '--session-id', id]);
  await attach.waitFor(/Attached to cli shell/);
  if (line) attach.pty.write(`${line}\r`);
  await attach.waitFor(expectOnScreen);
  attach.pty.write('\x1d');
  expect(await attach.exited).toBe(0);
  expect(attach.output()).toMatch(/Detached from cli shell; it keeps running/);
  return attach.output();
}

describe.skipIf(!built)('the CLI runs sessions with no app open', () => {
  it('create → attach → stop → start → attach → stop, the program living in the terminal host between commands', async () => {
    // create starts the program at once, though no app runs and the command exits right after.
    const created = await runCli(home.path, [
      'create',
      '--name',
      'cli shell',
      '--repo',
      repo.path,
      '--program',
      'bash',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/created and started — it keeps running after this command/);
    const { value: listed } = await runJson(z.array(sessionSchema), home.path, ['list']);
    const id = listed.find((s) => s.name === 'cli shell')!.id;
    const pid = await pidOf(id);
    // No app: each command opened the data dir itself and let go of it when done.
    expect(readLock(home.path)).toBeNull();
    expect(pidRunning(pid)).toBe(true);
    expect(terminalHostLock(home.path)).not.toBeNull();

    await attachAndType(id, 'echo hello-$((40+2))', /hello-42/);
    expect(pidRunning(pid)).toBe(true);
    // A second attach sees what the first one left on the screen.
    await attachAndType(id, '', /hello-42/);

    const stopped = await runJson(sessionSchema, home.path, ['stop', '--session-id', id]);
    expect(stopped.result.code, stopped.result.stderr).toBe(0);
    expect(stopped.value.status).toBe('stopped');
    await waitFor('the program to be gone', () => !pidRunning(pid));
    const refused = runCliInPty(home.path, ['attach', '--session-id', id]);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/is stopped — its program is not running/);

    const started = await runJson(sessionSchema, home.path, ['start', '--session-id', id]);
    expect(started.result.code, started.result.stderr).toBe(0);
    const pid2 = await pidOf(id);
    expect(pid2).not.toBe(pid);
    expect(readLock(home.path)).toBeNull();
    await attachAndType(id, 'echo again-$((6*7))', /again-42/);
    expect(pidRunning(pid2)).toBe(true);

    const end = await runJson(sessionSchema, home.path, ['stop', '--session-id', id]);
    expect(end.value.status).toBe('stopped');
    await waitFor('the second program to be gone', () => !pidRunning(pid2));
  });

  it('hibernate frees the program and keeps the worktree; wake runs it again; each refuses the wrong state', async () => {
    const created = await runJson(sessionSchema, home.path, [
      'create',
      '--name',
      'cli sleeper',
      '--repo',
      repo.path,
      '--program',
      'bash',
    ]);
    expect(created.result.code, created.result.stderr).toBe(0);
    const id = created.value.id;
    const pid = await pidOf(id);
    const wrongWake = await runCli(home.path, ['wake', '--session-id', id]);
    expect(wrongWake.code).toBe(1);
    expect(wrongWake.stderr).toMatch(/INVALID_STATE/);

    const slept = await runJson(sessionSchema, home.path, ['hibernate', '--session-id', id]);
    expect(slept.result.code, slept.result.stderr).toBe(0);
    expect(slept.value.status).toBe('hibernated');
    await waitFor('the program to be gone', () => !pidRunning(pid));
    expect(existsSync(slept.value.worktreePath)).toBe(true);
    const again = await runCli(home.path, ['hibernate', '--session-id', id]);
    expect(again.code).toBe(0);

    const woken = await runJson(sessionSchema, home.path, ['wake', '--session-id', id]);
    expect(woken.result.code, woken.result.stderr).toBe(0);
    const pid2 = await pidOf(id);
    expect(pid2).not.toBe(pid);
    expect(pidRunning(pid2)).toBe(true);
    await runJson(sessionSchema, home.path, ['stop', '--session-id', id]);
    await waitFor('the woken program to be gone', () => !pidRunning(pid2));
  });
});
