import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Harness } from '../support/engine-harness';
import { waitFor } from '../support/wait-for';
import { repoRoot } from '../support/serve-process';
import { makeTempDir, makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { PropertyTally } from './support/report';
import { sessionSchema } from '../../src/shared/domain';
import { parseJson } from '../../src/shared/json';

// Injection: shell metacharacters in names, branches, prompts, commands and arguments are never
// interpreted by a shell the user did not ask for — the marker files they would create never appear.
const tally = new PropertyTally('injection');
let h: Harness;
let repo: TempDir;
let markers: TempDir;
let seq = 0;

beforeAll(async () => {
  h = await openEngine();
  repo = await makeTempRepo({ files: 2 });
  markers = await makeTempDir('ms-markers-');
});
afterAll(async () => {
  tally.figures.markersFound = existsSync(markers.path) ? readdirSync(markers.path).length : 0;
  tally.report();
  await h.close();
  await repo.cleanup();
  await markers.cleanup();
});

/** Payloads that would each create one marker file if a shell ran them. */
function payloads(where: string, opts: { spaces?: boolean } = {}): string[] {
  const m = () => join(markers.path, `${where}-${++seq}`);
  const sp = opts.spaces === false ? '${IFS}' : ' ';
  return [
    `$(touch${sp}${m()})`,
    `\`touch${sp}${m()}\``,
    `x;touch${sp}${m()}`,
    `x|touch${sp}${m()}`,
    `x&&touch${sp}${m()}`,
    `x\ntouch${sp}${m()}\n`,
    `x'$(touch${sp}${m()})'`,
    `x"$(touch${sp}${m()})"`,
    `x&touch${sp}${m()}&`,
    `$(touch${sp}${m()})>${m()}`,
  ];
}

const markersNow = () => readdirSync(markers.path);

describe('injection', () => {
  it(
    'names, branches, prompts, env, programs, commands, arguments, skills and commit messages',
    { timeout: 120_000 },
    async () => {
      const started: string[] = [];
      // Every started program must really run (the prompt sessions keep `cat` running).
      await h.call('settings.update', { maxRunning: 100 });
      // Session names (also the source of branch and folder names) — one line only, so no newline payload.
      for (const p of payloads('name').filter((x) => !x.includes('\n'))) {
        tally.fault();
        const r = await h.request('sessions.create', {
          name: p,
          repoPath: repo.path,
          program: 'true',
          autoStart: true,
        });
        tally.check(r.ok, `name ${JSON.stringify(p)} refused: ${r.ok ? '' : r.error.code}`);
        if (r.ok) {
          started.push(r.value[0].id);
          tally.check(r.value[0].name === p.trim(), `name ${JSON.stringify(p)} kept literally`);
        }
      }
      // Branch names: created literally or refused by git's rules, never run.
      for (const p of [...payloads('branch', { spaces: false }), ...payloads('branch-sp')]) {
        tally.fault();
        const r = await h.request('sessions.create', {
          name: 'b',
          branchName: p,
          repoPath: repo.path,
          program: 'bash',
          autoStart: false,
        });
        tally.check(
          r.ok || r.error.code === 'INVALID_BRANCH_NAME',
          `branch ${JSON.stringify(p)}: ${r.ok ? '' : r.error.code}`,
        );
        if (r.ok) tally.check(r.value[0].branch === p, `branch ${JSON.stringify(p)} became ${r.value[0].branch}`);
      }
      // Base branch and existing branch names.
      for (const p of payloads('base', { spaces: false })) {
        tally.fault(2);
        for (const field of ['baseBranch', 'existingBranch'] as const) {
          const r = await h.request('sessions.create', {
            name: 'c',
            [field]: p,
            repoPath: repo.path,
            program: 'bash',
            autoStart: false,
          });
          tally.check(!r.ok, `${field} ${JSON.stringify(p)} accepted`);
        }
      }
      // Prompts typed into a program (cat echoes them), env values and copy-in patterns.
      for (const p of payloads('prompt')) {
        tally.fault(3);
        const r = await h.request('sessions.create', {
          name: 'prompt',
          repoPath: repo.path,
          program: 'cat',
          prompt: p,
          env: { INJECT: p },
          copyInPatterns: [p],
          autoStart: true,
        });
        tally.check(r.ok, `prompt/env/copy-in ${JSON.stringify(p)}: ${r.ok ? '' : r.error.message}`);
        if (r.ok) started.push(r.value[0].id);
      }
      // A program line with arguments is split without a shell: echo prints the payload.
      for (const p of payloads('program').filter((x) => !x.includes('\n'))) {
        tally.fault();
        const r = await h.request('sessions.create', {
          name: 'prog',
          repoPath: repo.path,
          program: `echo ${p}`,
          autoStart: true,
        });
        tally.check(r.ok, `program line ${JSON.stringify(p)}: ${r.ok ? '' : r.error.message}`);
        if (r.ok) started.push(r.value[0].id);
      }
      const [target] = await h.call('sessions.create', {
        name: 'target',
        repoPath: repo.path,
        program: 'bash',
        autoStart: false,
      });
      // Arguments of commands: echo prints exactly what it was given.
      for (const p of payloads('arg')) {
        tally.fault();
        const rec = await h.call('commands.execute', { sessionId: target.id, command: 'echo', args: [p, 'tail'] });
        tally.check(rec.stdout === `${p} tail\n`, `arg ${JSON.stringify(p)} came out as ${JSON.stringify(rec.stdout)}`);
      }
      // Commands themselves, without shell: the whole string is one program name that does not exist.
      for (const p of payloads('command')) {
        tally.fault();
        const r = await h.request('commands.execute', { sessionId: target.id, command: p });
        tally.check(
          !r.ok && r.error.code === 'PROGRAM_NOT_FOUND',
          `command ${JSON.stringify(p)}: ${r.ok ? `ran, exit ${r.value.exitCode}` : r.error.code}`,
        );
      }
      // Batch runs without shell.
      for (const p of payloads('batch')) {
        tally.fault();
        const b = await h.call('batch.run', { selector: { sessionIds: [target.id] }, command: 'echo', args: [p] });
        const done = await waitFor('the batch to finish', async () => {
          const x = await h.call('batch.get', { batchId: b.id });
          return x.status !== 'running' ? x : null;
        });
        tally.check(
          done.items[0].outputTail.includes(p.trim().split('\n')[0]),
          `batch arg ${JSON.stringify(p)} not printed literally`,
        );
      }
      // Skill parameters substituted into argv.
      await h.call('settings.update', {
        skills: [
          {
            name: 'echoer',
            description: '',
            source: 'settings',
            actions: {
              say: {
                description: '',
                command: 'echo',
                args: ['said:{text}'],
                params: [{ name: 'text', description: '', required: true }],
              },
            },
          },
        ],
      });
      for (const p of payloads('skill')) {
        tally.fault();
        const r = await h.request('commands.execute', {
          sessionId: target.id,
          kind: 'skill',
          command: 'echoer:say',
          params: { text: p },
        });
        tally.check(
          r.ok && r.value.stdout === `said:${p}\n`,
          `skill param ${JSON.stringify(p)}: ${r.ok ? JSON.stringify(r.value.stdout) : r.error.code}`,
        );
      }
      // Renames and commit messages.
      for (const p of payloads('rename').filter((x) => !x.includes('\n'))) {
        tally.fault();
        const r = await h.request('sessions.update', { sessionId: target.id, name: p });
        tally.check(r.ok, `rename ${JSON.stringify(p)}: ${r.ok ? '' : r.error.code}`);
      }
      const [committer] = await h.call('sessions.create', {
        name: 'committer',
        repoPath: repo.path,
        program: 'bash',
        autoStart: false,
      });
      const [msg] = payloads('commit');
      tally.fault();
      await (await import('node:fs/promises')).writeFile(join(committer.worktreePath, 'w.txt'), 'work\n');
      await h.call('sessions.terminate', { sessionId: committer.id, commitMessage: msg });
      tally.check(
        (await runGit(repo.path, ['log', '-1', '--format=%B', committer.branch])).trim() === msg.trim(),
        'commit message kept literally',
      );

      // Let the started programs run to their end before looking for markers.
      await waitFor('programs to start', async () => {
        const all = await h.call('sessions.list', {});
        return started.every((id) =>
          ['completed', 'error', 'active', 'idle', 'busy', 'waiting'].includes(all.find((s) => s.id === id)!.status),
        );
      });
      await new Promise((r) => setTimeout(r, 1500));
      const found = markersNow();
      tally.check(found.length === 0, `marker files appeared: ${found.join(', ')}`);
      for (const id of started) await h.call('sessions.stop', { sessionId: id });
      // Control: the same kind of payload does create its marker when the user asks for a shell,
      // so the absence above means "not interpreted", not "payloads that could never work".
      const control = await makeTempDir('ms-control-');
      const shellRun = await h.call('commands.execute', {
        sessionId: target.id,
        command: `x;touch ${control.path}/ok`,
        shell: true,
      });
      tally.check(
        existsSync(join(control.path, 'ok')),
        `control: a shell the user asked for did not run the payload (exit ${shellRun.exitCode})`,
      );
      await control.cleanup();
      expect(tally.failed).toEqual([]);
    },
  );

  it.skipIf(!existsSync(join(repoRoot, 'out/main/cli.js')))('through the CLI', { timeout: 60_000 }, async () => {
    const mark = tally.failed.length;
    const home = (await makeTempDir('ms-inject-cli-')).path;
    const cli = (argv: string[]) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [join(repoRoot, 'bin/multisession.js'), ...argv, '--json', '--home', home],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stdout = '';
        child.stdout.on('data', (d) => (stdout += String(d)));
        child.on('close', (code) => resolve({ code, stdout }));
      });
    const ps = payloads('cli').filter((x) => !x.includes('\n'));
    for (const p of ps) {
      tally.fault(2);
      const created = await cli([
        'create',
        '--name',
        p,
        '--repo',
        repo.path,
        '--program',
        `echo ${p}`,
        '--prompt',
        p,
        '--no-start',
      ]);
      tally.check(
        created.code === 0,
        `cli create ${JSON.stringify(p)} exit ${created.code}: ${created.stdout.slice(0, 200)}`,
      );
      if (created.code !== 0) continue;
      const parsedSession = parseJson(sessionSchema, created.stdout);
      tally.check(parsedSession.ok, `cli create printed a session: ${created.stdout.slice(0, 200)}`);
      if (!parsedSession.ok) continue;
      const session = parsedSession.value;
      const ran = await cli(['execute', '--session-id', session.id, '--exec-command', 'echo', '--exec-args', p]);
      tally.check(
        ran.code === 0 && ran.stdout.includes(JSON.stringify(`${p}\n`).slice(1, -1)),
        `cli execute ${JSON.stringify(p)}: ${ran.stdout.slice(0, 200)}`,
      );
    }
    const found = markersNow();
    tally.check(found.length === 0, `marker files appeared after the CLI: ${found.join(', ')}`);
    expect(tally.since(mark)).toEqual([]);
  });
});
