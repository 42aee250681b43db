import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../support/temp-repo';
import { pidRunning } from '../../support/pid-running';
import { runCommand } from '../../../src/main/engine/commands/command-runner';

let dir: TempDir;
beforeEach(async () => {
  dir = await makeTempDir('ms-runner-');
});
afterEach(async () => {
  await dir.cleanup();
});

const base = { env: {}, timeoutMs: null, shell: false } as const;

describe('runCommand', () => {
  it('passes injection payloads to the program as literal arguments', async () => {
    const marker = join(dir.path, 'pwned');
    const payloads = [
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `; touch ${marker}`,
      `| touch ${marker}`,
      `&& touch ${marker}`,
      `\ntouch ${marker}\n`,
      `'; touch ${marker}; '`,
    ];
    const r = await runCommand({ ...base, cwd: dir.path, command: 'printf', args: ['%s\\0', ...payloads] });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(payloads);
    const e = await runCommand({ ...base, cwd: dir.path, command: 'echo', args: payloads });
    expect(e.stdout).toBe(`${payloads.join(' ')}\n`);
    expect(existsSync(marker)).toBe(false);
  });

  it('quotes arguments of a shell command so they stay literal too', async () => {
    const marker = join(dir.path, 'pwned');
    const payload = `$(touch ${marker}); touch ${marker} 'x'`;
    const r = await runCommand({ ...base, shell: true, cwd: dir.path, command: 'printf %s', args: [payload] });
    expect(r.stdout).toBe(payload);
    expect(existsSync(marker)).toBe(false);
  });

  it('runs a real shell when asked', async () => {
    const r = await runCommand({
      ...base,
      shell: true,
      cwd: dir.path,
      command: 'echo a | tr a b; echo $((2+3)) >&2',
      args: [],
    });
    expect(r.stdout).toBe('b\n');
    expect(r.stderr).toBe('5\n');
    expect(r.exitCode).toBe(0);
    const literal = await runCommand({ ...base, cwd: dir.path, command: 'echo', args: ['a | tr a b'] });
    expect(literal.stdout).toBe('a | tr a b\n');
  });

  it('runs in cwd with the given environment and no host secrets', async () => {
    process.env.MULTISESSION_TEST_SECRET = 'leak';
    try {
      const r = await runCommand({
        ...base,
        shell: true,
        cwd: dir.path,
        command: 'pwd; echo "$FOO"; echo "${MULTISESSION_TEST_SECRET:-none}"',
        args: [],
        env: { FOO: 'bar baz' },
      });
      expect(r.stdout).toBe(`${dir.path}\nbar baz\nnone\n`);
    } finally {
      delete process.env.MULTISESSION_TEST_SECRET;
    }
  });

  it('passes exit codes through', async () => {
    const r = await runCommand({ ...base, shell: true, cwd: dir.path, command: 'exit 3', args: [] });
    expect(r.exitCode).toBe(3);
    expect(r.timedOut).toBe(false);
    const f = await runCommand({ ...base, cwd: dir.path, command: 'false', args: [] });
    expect(f.exitCode).toBe(1);
  });

  it('kills the whole tree on timeout', async () => {
    const r = await runCommand({
      ...base,
      shell: true,
      cwd: dir.path,
      command: 'sleep 100 & echo $!; echo $$; sleep 100',
      args: [],
      timeoutMs: 500,
    });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    const pids = r.stdout.trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(pidRunning(pid)).toBe(false);
  });

  it('kills the tree when aborted', async () => {
    const ac = new AbortController();
    const p = runCommand({
      ...base,
      shell: true,
      cwd: dir.path,
      command: 'echo $$; sleep 100',
      args: [],
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 300);
    const r = await p;
    expect(r.cancelled).toBe(true);
    expect(r.timedOut).toBe(false);
    expect(pidRunning(Number(r.stdout.trim()))).toBe(false);
  });

  it('bounds output and keeps the tail', async () => {
    const r = await runCommand({
      ...base,
      cwd: dir.path,
      command: 'node',
      args: ['-e', "for (let i = 0; i < 2000; i++) process.stdout.write('line ' + i + '\\n')"],
      maxOutputBytes: 1000,
    });
    expect(r.truncated).toBe(true);
    expect(Buffer.byteLength(r.stdout)).toBeLessThanOrEqual(1000);
    expect(r.stdout.endsWith('line 1999\n')).toBe(true);
    const small = await runCommand({ ...base, cwd: dir.path, command: 'echo', args: ['hi'], maxOutputBytes: 1000 });
    expect(small.truncated).toBe(false);
  });

  it('reports a program that is not on PATH', async () => {
    const r = await runCommand({ ...base, cwd: dir.path, command: 'no-such-program-ms', args: [] });
    expect(r.spawnErrorCode).toBe('ENOENT');
    expect(r.spawnError).toMatch(/ENOENT/);
    expect(r.exitCode).toBeNull();
  });

  it('does not wait for a background child that keeps the pipes open', async () => {
    const r = await runCommand({
      ...base,
      shell: true,
      cwd: dir.path,
      command: 'sleep 3 & echo $!; echo done',
      args: [],
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('done');
  });
});
