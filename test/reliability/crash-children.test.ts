import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameClient } from '../../src/shared/client';
import { isRunningStatus } from '../../src/shared/session-state';
import { runCli } from '../cli/cli-harness';
import { pidRunning } from '../support/pid-running';
import { repoRoot, startServeProcess, type ServeProcess } from '../support/serve-process';
import { makeTempRepo, type TempDir } from '../support/temp-repo';
import { waitFor } from '../support/wait-for';
import { PropertyTally } from './support/report';

// After a crash (SIGKILL of the built host) the next start finds what the host had started — a
// session's program, a setup script in the middle of a creation, a command, a running batch item —
// stops what still runs, and every record says what happened (issue #16, item 7). Each child
// writes its own pid to a file and holds on (`exec sleep`), and the program ignores SIGHUP, so it
// outlives its terminal: without the process ledger all four would run on after the crash.
const built = existsSync(join(repoRoot, 'out/main/serve.js'));
const tally = new PropertyTally('crash-children');
const home = mkdtempSync(join(tmpdir(), 'ms-crash-children-'));
const pids = mkdtempSync(join(tmpdir(), 'ms-crash-pids-'));
let repo: TempDir;
const hosts: ServeProcess[] = [];
const seen: number[] = [];

beforeAll(async () => {
  repo = await makeTempRepo({ files: 3 });
});
afterAll(async () => {
  if (built) tally.report();
  for (const h of hosts) await h.stop('SIGKILL');
  // Whatever a failed run left behind is ours to end.
  for (const pid of seen) if (pidRunning(pid)) process.kill(pid, 'SIGKILL');
  await repo.cleanup();
  rmSync(home, { recursive: true, force: true });
  rmSync(pids, { recursive: true, force: true });
});

/** `echo $$ > FILE; exec sleep 600`: the pid in FILE is the process that holds on (temp paths have no spaces). */
const holdAndTell = (file: string) => `echo $$ > ${join(pids, file)}; exec sleep 600`;

async function pidOf(file: string): Promise<number> {
  const path = join(pids, file);
  const pid = await waitFor(
    `${file} to be written`,
    () => {
      if (!existsSync(path)) return null;
      const n = Number(readFileSync(path, 'utf8').trim());
      return Number.isInteger(n) && n > 0 ? n : null;
    },
    60_000,
  );
  seen.push(pid);
  return pid;
}

describe.skipIf(!built)('crash: what the host started is found and stopped at the next start', () => {
  it(
    'program, setup script, command and batch item outlive a SIGKILL and are stopped and told',
    {
      timeout: 240_000,
    },
    async () => {
      const first = await startServeProcess({ home });
      hosts.push(first);
      const c: FrameClient = await first.client();
      const create = (name: string, extra: Record<string, unknown>) =>
        c.call('sessions.create', { name, repoPath: repo.path, program: 'bash', autoStart: false, ...extra });

      // A program that ignores the hang-up its terminal sends when the host dies.
      const [prog] = await create('prog', {
        program: `sh -c 'trap "" HUP; ${holdAndTell('program.pid')}'`,
        autoStart: true,
      });
      const [cmd] = await create('cmd', {});
      const [b1] = await create('batch-1', {});
      const [b2] = await create('batch-2', {});
      const programPid = await pidOf('program.pid');

      // Left in flight: each call would answer only when its child ends.
      void c
        .request('commands.execute', { sessionId: cmd!.id, command: 'sh', args: ['-c', holdAndTell('command.pid')] })
        .catch(() => undefined);
      const batch = await c.call('batch.run', {
        selector: { sessionIds: [b1!.id, b2!.id] },
        command: 'sh',
        args: ['-c', holdAndTell('batch-$MULTISESSION_SESSION_ID.pid')],
        concurrency: 1,
      });
      void c
        .request('sessions.create', {
          name: 'setup',
          repoPath: repo.path,
          program: 'bash',
          autoStart: false,
          setupScript: holdAndTell('setup.pid'),
        })
        .catch(() => undefined);

      const commandPid = await pidOf('command.pid');
      const setupPid = await pidOf('setup.pid');
      const batchFile = await waitFor('one batch item to run', () =>
        [b1!, b2!].map((s) => `batch-${s.id}.pid`).find((f) => existsSync(join(pids, f))),
      );
      const batchPid = await pidOf(batchFile);
      const runningItem = batchFile === `batch-${b1!.id}.pid` ? b1!.id : b2!.id;
      const children = { program: programPid, 'setup script': setupPid, command: commandPid, 'batch item': batchPid };

      tally.fault();
      await first.stop('SIGKILL');
      c.close();
      // The point of the test: each of them outlived the host.
      for (const [what, pid] of Object.entries(children)) {
        tally.check(pidRunning(pid), `the ${what} (pid ${pid}) did not outlive the host — nothing to recover`);
      }

      const t0 = Date.now();
      const second = await startServeProcess({ home });
      hosts.push(second);
      tally.figures.restartMs = Date.now() - t0;
      const c2 = await second.client();
      try {
        for (const [what, pid] of Object.entries(children)) {
          // The session's program may be re-adopted from the terminal host instead: checked below.
          if (what === 'program') continue;
          const gone = await waitFor(`the ${what} to be stopped`, () => !pidRunning(pid), 15_000).catch(() => false);
          tally.check(gone, `the ${what} (pid ${pid}) still runs after the restart`);
        }
        const stopped = (pid: number) => `(pid ${pid}) was still running and was stopped`;
        const sessions = await c2.call('sessions.list', {});

        const setup = sessions.find((s) => s.name === 'setup');
        tally.check(setup?.status === 'error', `interrupted create: status ${setup?.status}`);
        tally.check(setup?.recovery === 'interrupted-create', `interrupted create: recovery ${setup?.recovery}`);
        tally.check(
          Boolean(setup?.errorReason?.includes(`its setup script ${stopped(setupPid)}`)),
          `interrupted create does not tell about its setup script: ${setup?.errorReason}`,
        );

        // "Keep" the interrupted creation's worktree: a normal stopped session whose files are all there.
        if (setup) {
          // Through the real CLI, which talks to the running host.
          const cli = await runCli(home, ['recover', '--session-id', setup.id]);
          tally.check(
            cli.code === 0 && /Kept the worktree of setup/.test(cli.stdout),
            `recover: ${cli.stdout}${cli.stderr}`,
          );
          const kept = await c2.call('sessions.get', { sessionId: setup.id });
          tally.check(kept.status === 'stopped' && kept.recovery === null, `recover: ${kept.status} ${kept.recovery}`);
          tally.check(existsSync(join(setup.worktreePath, 'file-1.txt')), 'recover: the checkout is not complete');
          const again = await c2.request('sessions.recover', { sessionId: setup.id });
          tally.check(!again.ok && again.error.code === 'INVALID_STATE', 'recover twice was accepted');
        }

        // Re-adopted (a terminal host kept it) or stopped — the record must say which.
        const p = sessions.find((s) => s.id === prog!.id);
        const programRuns = pidRunning(programPid);
        tally.check(
          programRuns
            ? Boolean(p && isRunningStatus(p.status)) && p?.pid === programPid
            : p?.status === 'stopped' && p.pid === null,
          `program ${programRuns ? 'runs' : 'stopped'} but the record says ${p?.status} (pid ${p?.pid})`,
        );
        if (!programRuns) {
          tally.check(
            Boolean(p?.errorReason?.includes(`its program ${stopped(programPid)}`)),
            `the stopped program's session does not say so: ${p?.errorReason}`,
          );
        }

        const history = await c2.call('commands.history', { sessionId: cmd!.id });
        tally.check(
          history.some((r) => r.exitCode === null && r.stderr.includes(`its process ${stopped(commandPid)}`)),
          `the command's history does not record the interruption: ${JSON.stringify(history.map((r) => r.stderr))}`,
        );

        const after = await c2.call('batch.get', { batchId: batch.id });
        tally.check(after.status === 'cancelled', `interrupted batch: status ${after.status}`);
        for (const item of after.items) {
          const expected = item.sessionId === runningItem ? `its command ${stopped(batchPid)}` : 'Not started';
          tally.check(
            item.status === 'cancelled' && item.outputTail.includes(expected),
            `batch item of ${item.sessionId}: ${item.status} "${item.outputTail}" (expected "${expected}")`,
          );
        }
        tally.figures.children = Object.keys(children).length;
        tally.figures.programReadopted = programRuns ? 1 : 0;
      } finally {
        c2.close();
      }
      expect(tally.failed).toEqual([]);
    },
  );
});
