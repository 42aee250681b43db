import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempRepo, type TempDir } from '../support/temp-repo';
import { waitFor } from '../support/wait-for';
import { fdCloser, redetectFdCloser } from '../../src/main/engine/process/isolated-spawn';

// Sessions are isolated from each other and from the host: every kind of child (a session's
// program, a command, a batch item, a setup script) holds only its own terminal or stdio, and gets
// the allow-listed environment plus its own session's variables — never another session's or the
// host's secrets. Shown with two real sessions; the control (no fd closing) shows the attack works.
const HOST_SECRET = 'MULTISESSION_TEST_HOST_SECRET';
// The shell's own fds, listed by a child (a glob or $(…) in the shell itself would open fds of its
// own, and so would a redirect); `; :` keeps the shell from exec'ing ls in place.
const FD_LIST = 'ls -l /proc/$$/fd; :';
const TYPE_INTO_EVERY_FD = `perl -e 'for my $fd (3..64) { open(my $h, ">&=", $fd) or next; syswrite($h, "TYPED-BY-B\\n"); close $h }'`;

/** fd number → what it points to, for a live process. */
function fdsOf(pid: number): Map<number, string> {
  const out = new Map<number, string>();
  for (const name of readdirSync(`/proc/${pid}/fd`)) {
    try {
      out.set(Number(name), readlinkSync(`/proc/${pid}/fd/${name}`));
    } catch {
      // Closed while listing.
    }
  }
  return out;
}

function parseFdList(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const m = / (\d+) -> (.*)$/.exec(line);
    if (m) out.set(Number(m[1]), m[2]);
  }
  return out;
}

const environOf = (pid: number) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');

let h: Harness;
let repo: TempDir;

beforeAll(async () => {
  process.env[HOST_SECRET] = 'host-secret-value';
  repo = await makeTempRepo();
  h = await openEngine();
});
afterAll(async () => {
  delete process.env[HOST_SECRET];
  delete process.env.MULTISESSION_FD_CLOSER;
  redetectFdCloser();
  await h.close();
  await repo.cleanup();
});

async function running(name: string, program: string, extra: Record<string, unknown> = {}, on: Harness = h) {
  const [s] = await on.call('sessions.create', { name, repoPath: repo.path, program, ...extra });
  await waitFor(`${name} to run`, () => on.engine.sessions.list().find((x) => x.id === s.id)?.pid != null);
  const started = on.engine.sessions.list().find((x) => x.id === s.id)!;
  // The pid is the wrapper's until it execs the program in place: wait for the program itself.
  await waitFor(`${name}'s program to exec`, () => {
    try {
      return readFileSync(`/proc/${started.pid}/cmdline`, 'utf8').split('\0')[0].endsWith(program);
    } catch {
      return false;
    }
  });
  return started;
}

describe.skipIf(process.platform !== 'linux')('isolation between sessions (Linux /proc)', () => {
  it('the fd closer is found on this machine', () => {
    expect(fdCloser().closer).not.toBe('none');
  });

  it('each program, command, batch item and setup script holds only its own terminal and stdio', async () => {
    const a = await running('A', 'cat', { env: { SECRET_A: 'only-for-a' } });
    const b = await running('B', 'sleep', { args: ['600'] });
    // Programs: fds 0-2 on their own terminal, nothing else, no PTY master.
    const fa = fdsOf(a.pid!);
    const fb = fdsOf(b.pid!);
    expect([...fa.keys()].sort()).toEqual([0, 1, 2]);
    expect([...fb.keys()].sort()).toEqual([0, 1, 2]);
    expect(new Set(fa.values()).size).toBe(1);
    expect(new Set(fb.values()).size).toBe(1);
    expect(fa.get(0)).toMatch(/^\/dev\/pts\/\d+$/);
    expect(fb.get(0)).toMatch(/^\/dev\/pts\/\d+$/);
    expect(fa.get(0)).not.toBe(fb.get(0));

    // A command in B: /dev/null and its two pipes, nothing else.
    const cmd = await h.call('commands.execute', { sessionId: b.id, command: 'sh', args: ['-c', FD_LIST] });
    const fc = parseFdList(cmd.stdout);
    expect([...fc.keys()].sort()).toEqual([0, 1, 2]);
    expect(fc.get(0)).toBe('/dev/null');
    for (const target of fc.values()) expect(target).not.toMatch(/ptmx|\/dev\/pts/);

    // A batch item in both sessions lists its shell's fds (kept in each session's command history).
    const batch = await h.call('batch.run', {
      selector: { sessionIds: [a.id, b.id] },
      command: 'sh',
      args: ['-c', FD_LIST],
    });
    await waitFor(
      'the batch to finish',
      async () => (await h.call('batch.get', { batchId: batch.id })).status === 'done',
    );
    for (const s of [a, b]) {
      const history = await h.call('commands.history', { sessionId: s.id });
      const item = history.find((c) => c.batchId === batch.id);
      const fbatch = parseFdList(item?.stdout ?? '');
      expect([...fbatch.keys()].sort()).toEqual([0, 1, 2]);
      for (const target of fbatch.values()) expect(target).not.toMatch(/ptmx|\/dev\/pts/);
    }

    // A setup script of a third session, created while A and B run (its output comes as progress).
    const marks = h.peer.events.length;
    const [c] = await h.call('sessions.create', {
      name: 'C',
      repoPath: repo.path,
      program: 'sleep',
      args: ['1'],
      autoStart: false,
      setupScript: `${FD_LIST}; env > setup-env.txt`,
    });
    const setupOut = h.peer.events
      .slice(marks)
      .filter((e) => e.name === 'progress')
      .map((e) => (e.payload as { message: string }).message)
      .join('\n');
    const fsetup = parseFdList(setupOut);
    expect([...fsetup.keys()].sort()).toEqual([0, 1, 2]);
    for (const target of fsetup.values()) expect(target).not.toMatch(/ptmx|\/dev\/pts/);
    const setupEnv = readFileSync(join(c.worktreePath, 'setup-env.txt'), 'utf8');
    expect(setupEnv).not.toContain(HOST_SECRET);
    expect(setupEnv).toContain(`MULTISESSION_SESSION_ID=${c.id}`);

    // B, using whatever it was given, tries to type into A's terminal: nothing arrives.
    await h.call('commands.execute', { sessionId: b.id, command: 'sh', args: ['-c', TYPE_INTO_EVERY_FD] });
    await h.call('terminals.input', { sessionId: a.id, data: 'MARKER-FROM-A\n' });
    await waitFor(
      "A's own input to echo",
      async () => (await h.engine.terminals.serialize(a.id))?.includes('MARKER-FROM-A') ?? false,
    );
    expect(await h.engine.terminals.serialize(a.id)).not.toContain('TYPED-BY-B');

    // Environments: B's program and commands see neither A's variables nor the host's secrets.
    const envB = environOf(b.pid!);
    expect(envB.some((v) => v.startsWith('SECRET_A='))).toBe(false);
    expect(envB.some((v) => v.startsWith(`${HOST_SECRET}=`))).toBe(false);
    expect(envB).toContain(`MULTISESSION_SESSION_ID=${b.id}`);
    expect(environOf(a.pid!)).toContain('SECRET_A=only-for-a');
    const envCmd = await h.call('commands.execute', { sessionId: b.id, command: 'env' });
    expect(envCmd.stdout).not.toContain('SECRET_A');
    expect(envCmd.stdout).not.toContain(HOST_SECRET);

    for (const s of [a, b]) await h.call('sessions.stop', { sessionId: s.id });
  });

  it('a session can pass chosen host variables through (its own allow-list extension)', async () => {
    const s = await running('P', 'sleep', { args: ['600'], passEnv: [HOST_SECRET] });
    expect(environOf(s.pid!)).toContain(`${HOST_SECRET}=host-secret-value`);
    const cmd = await h.call('commands.execute', { sessionId: s.id, command: 'env' });
    expect(cmd.stdout).toContain(`${HOST_SECRET}=host-secret-value`);
    await h.call('sessions.stop', { sessionId: s.id });
  });

  it('control: without the fd closer, B inherits A’s PTY master and types into A (what the closer prevents)', async () => {
    process.env.MULTISESSION_FD_CLOSER = 'none';
    redetectFdCloser();
    // Terminals in this process, as before the terminal host: the engine holds every PTY master,
    // so both B's program and the commands the engine runs for B would inherit A's.
    const local = await openEngine({ terminals: 'in-process' });
    try {
      const a = await running('A2', 'cat', {}, local);
      const b = await running('B2', 'sleep', { args: ['600'] }, local);
      expect([...fdsOf(b.pid!).values()].some((t) => t === '/dev/ptmx')).toBe(true);
      await local.call('commands.execute', { sessionId: b.id, command: 'sh', args: ['-c', TYPE_INTO_EVERY_FD] });
      await waitFor(
        'B’s text to reach A',
        async () => (await local.engine.terminals.serialize(a.id))?.includes('TYPED-BY-B') ?? false,
      );
      for (const s of [a, b]) await local.call('sessions.stop', { sessionId: s.id });
    } finally {
      delete process.env.MULTISESSION_FD_CLOSER;
      redetectFdCloser();
      await local.close();
    }
  });
});
