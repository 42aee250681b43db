import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/domain';
import { readLock } from '../../src/main/host/host-lock';
import { ROOT, runJson } from '../cli/cli-harness';
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

describe.skipIf(!built)('the CLI runs sessions with no app open', () => {
  it('create → start → attach → stop, the program living in the terminal host between commands', async () => {
    const created = await runJson<Session[]>(home.path, [
      'create',
      '--name',
      'cli shell',
      '--repo',
      repo.path,
      '--program',
      'bash',
      '--no-start',
    ]);
    expect(created.result.code, created.result.stderr).toBe(0);
    const id = created.value[0].id;
    expect(created.value[0].status).toBe('stopped');
    // No app: each command opened the data dir itself and let go of it when done.
    expect(readLock(home.path)).toBeNull();

    const started = await runJson<Session>(home.path, ['start', '--session-id', id]);
    expect(started.result.code, started.result.stderr).toBe(0);
    const pid = await waitFor('the program to run', async () => {
      const { value } = await runJson<Session[]>(home.path, ['list']);
      return value.find((s) => s.id === id)?.pid ?? null;
    });
    // The command that started it has exited; the program runs on in the terminal host.
    expect(readLock(home.path)).toBeNull();
    expect(pidRunning(pid)).toBe(true);
    expect(terminalHostLock(home.path)).not.toBeNull();

    const attach = runCliInPty(home.path, ['attach', '--session-id', id]);
    await attach.waitFor(/Attached to cli shell/);
    attach.pty.write('echo hello-$((40+2))\r');
    await attach.waitFor(/hello-42/);
    attach.pty.write('\x1d');
    expect(await attach.exited).toBe(0);
    expect(attach.output()).toMatch(/Detached from cli shell; it keeps running/);
    expect(pidRunning(pid)).toBe(true);

    // A second attach sees what the first one left on the screen.
    const again = runCliInPty(home.path, ['attach', '--session-id', id]);
    await again.waitFor(/hello-42/);
    again.pty.write('\x1d');
    expect(await again.exited).toBe(0);

    const stopped = await runJson<Session>(home.path, ['stop', '--session-id', id]);
    expect(stopped.result.code, stopped.result.stderr).toBe(0);
    expect(stopped.value.status).toBe('stopped');
    await waitFor('the program to be gone', () => !pidRunning(pid));
  });
});
