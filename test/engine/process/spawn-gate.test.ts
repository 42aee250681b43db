import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/main/engine/commands/command-runner';
import { runSetupScript } from '../../../src/main/engine/git/setup-script';
import {
  GATE_FD,
  isolatedArgv,
  openGate,
  redetectFdCloser,
  type SpawnRecord,
} from '../../../src/main/engine/process/isolated-spawn';
import { makeTempDir, type TempDir } from '../../support/temp-repo';
import { waitFor } from '../../support/wait-for';

// A child the host starts is written down in the process ledger before it runs anything: until
// then it waits at a gate (one byte on fd 3). A host killed in between leaves the child reading end
// of file, and it exits without running — so nothing the ledger does not know of outlives a crash
// (test/reliability/crash-children.test.ts once caught a setup script that had run before its row
// was written, and so was never stopped after the kill).

let dir: TempDir;
beforeAll(async () => {
  dir = await makeTempDir('ms-spawn-gate-');
});
afterAll(async () => {
  await dir.cleanup();
});
afterEach(() => {
  delete process.env.MULTISESSION_FD_CLOSER;
  redetectFdCloser();
});

/** The process's state letter from /proc (S: asleep — here, in its read of the gate). */
function stateOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

function exitOf(child: ReturnType<typeof spawn>): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

/** A deferred `recorded`, so the test decides when the child counts as written down. */
function heldRecord(): SpawnRecord & { release(): void } {
  let release = () => undefined as void;
  const recorded = new Promise<void>((resolve) => (release = resolve));
  return { recorded, ended: () => undefined, release };
}

describe.each(['perl', 'bash'])('the gate (%s wrapper)', (closer) => {
  beforeAll(() => {
    process.env.MULTISESSION_FD_CLOSER = closer;
    redetectFdCloser();
  });

  it('runs the program only once the gate opens', async () => {
    process.env.MULTISESSION_FD_CLOSER = closer;
    redetectFdCloser();
    const marker = join(dir.path, `ran-${closer}`);
    const argv = isolatedArgv('/bin/sh', ['-c', `touch '${marker}'`], { gateFd: GATE_FD });
    expect(argv.closer).toBe(closer);
    const child = spawn(argv.file, argv.args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    const exited = exitOf(child);
    // Asleep in its read of the gate, and the program has not run.
    await waitFor('the wrapper to wait at the gate', () => stateOf(child.pid!) === 'S');
    expect(existsSync(marker)).toBe(false);
    const record = heldRecord();
    openGate(child.stdio[GATE_FD] as NodeJS.WritableStream, record);
    expect(existsSync(marker)).toBe(false);
    record.release();
    expect((await exited).code).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  it('runs nothing when the host ends before writing it down', async () => {
    process.env.MULTISESSION_FD_CLOSER = closer;
    redetectFdCloser();
    const marker = join(dir.path, `never-${closer}`);
    const argv = isolatedArgv('/bin/sh', ['-c', `touch '${marker}'`], { gateFd: GATE_FD });
    const child = spawn(argv.file, argv.args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    const exited = exitOf(child);
    // What a killed host leaves: the gate's write end closed, nothing written.
    child.stdio[GATE_FD]!.destroy();
    const { code, stderr } = await exited;
    expect(code).toBe(125);
    expect(stderr).toMatch(/host ended before it wrote this process down; not started/);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('commands and setup scripts wait to be written down', () => {
  it('a command runs after its ledger row is written, not before', async () => {
    const marker = join(dir.path, 'command-ran');
    const record = heldRecord();
    let pid = 0;
    const result = runCommand({
      cwd: dir.path,
      command: 'touch',
      args: [marker],
      shell: false,
      env: {},
      timeoutMs: 30_000,
      onSpawn: (p) => {
        pid = p;
        return record;
      },
    });
    await waitFor('the command to wait at the gate', () => pid !== 0 && stateOf(pid) === 'S');
    expect(existsSync(marker)).toBe(false);
    record.release();
    expect((await result).exitCode).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  it('a setup script runs after its ledger row is written, not before', async () => {
    const marker = join(dir.path, 'setup-ran');
    const record = heldRecord();
    let pid = 0;
    const done = runSetupScript({
      cwd: dir.path,
      script: `touch '${marker}'`,
      onSpawn: (p) => {
        pid = p;
        return record;
      },
    });
    await waitFor('the setup script to wait at the gate', () => pid !== 0 && stateOf(pid) === 'S');
    expect(existsSync(marker)).toBe(false);
    record.release();
    await done;
    expect(existsSync(marker)).toBe(true);
  });
});
