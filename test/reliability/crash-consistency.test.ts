import { stopTerminalHosts } from '../support/terminal-host';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameClient } from '../../src/shared/client';
import { openEngine } from '../support/engine-harness';
import { repoRoot, startServeProcess, type ServeProcess } from '../support/serve-process';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { checkConsistency } from './support/consistency';
import { terminateAccepting } from '../support/accept-loss';
import { PropertyTally } from './support/report';

// Crash consistency: the built host is SIGKILLed while creating, terminating and cleaning up;
// after each restart the engine reconciles and nothing committed is lost.
const KILL_POINTS = 33;
const MAX_DELAY_MS = 800;
const built = existsSync(join(repoRoot, 'out/main/serve.js'));
const tally = new PropertyTally('crash-consistency');
const home = mkdtempSync(join(tmpdir(), 'ms-crash-'));
let repo: TempDir;
let serve: ServeProcess | null = null;

beforeAll(async () => {
  repo = await makeTempRepo({ files: 4 });
});
afterAll(async () => {
  if (built) tally.report();
  if (serve) await serve.stop('SIGKILL');
  if (serve) await stopTerminalHosts(serve.home);
  await repo.cleanup();
});

/** Commits the user made on session branches; none may ever disappear. */
const knownCommits: Array<{ branch: string; sha: string }> = [];

async function commitOnBranch(worktree: string, label: string): Promise<string> {
  writeFileSync(join(worktree, `${label}.txt`), `${label}\n`);
  await runGit(worktree, ['add', '--all']);
  await runGit(worktree, ['commit', '--quiet', '-m', label]);
  return (await runGit(worktree, ['rev-parse', 'HEAD'])).trim();
}

async function liveSessions(client: FrameClient) {
  const all = await client.call('sessions.list', {});
  return all.filter(
    (s) => s.status !== 'terminated' && !s.worktreeMissing && s.worktreePath && existsSync(s.worktreePath),
  );
}

const ops = ['create', 'terminate', 'cleanup'] as const;

describe.skipIf(!built)('crash consistency (built host, SIGKILL)', () => {
  it(`${KILL_POINTS} kill points while creating, terminating and cleaning up`, { timeout: 300_000 }, async () => {
    const delays: number[] = [];
    const perOp: Record<string, number> = { create: 0, terminate: 0, cleanup: 0 };
    let lostInFlight = 0;
    let orphansSeen = 0;
    const missingSeen = new Set<string>();
    let interrupted = 0;
    const t0 = Date.now();
    for (let i = 0; i < KILL_POINTS; i++) {
      const op = ops[i % ops.length];
      // Spread the kill points over 0–800 ms, in an order that is not monotonic per operation.
      const delay = Math.round((((i * 7) % KILL_POINTS) / (KILL_POINTS - 1)) * MAX_DELAY_MS);
      delays.push(delay);
      serve = await startServeProcess({ home });
      const client = await serve.client();

      // Before the kill: commits on a couple of live session branches (awaited, never in flight).
      let live = await liveSessions(client);
      for (const s of live.slice(0, 2)) {
        knownCommits.push({ branch: s.branch, sha: await commitOnBranch(s.worktreePath, `crash-${i}-${s.id}`) });
      }
      if (op !== 'create' && live.length < 3) {
        await client.call('sessions.create', {
          name: `seed ${i}`,
          repoPath: repo.path,
          program: 'bash',
          autoStart: false,
          copies: 3,
        });
        live = await liveSessions(client);
      }
      if (op === 'cleanup') {
        // Terminated sessions with merged branches give cleanup something to delete mid-way.
        for (const s of live.slice(0, 2)) await terminateAccepting(client, s.id);
      }

      const inFlight: Array<Promise<unknown>> = [];
      if (op === 'create') {
        for (let k = 0; k < 3; k++) {
          inFlight.push(
            client.request('sessions.create', {
              name: `crash ${i}.${k}`,
              repoPath: repo.path,
              program: 'bash',
              autoStart: k === 0,
            }),
          );
        }
      } else if (op === 'terminate') {
        for (const [k, s] of live.slice(0, 3).entries()) {
          // Never accept a loss together with deleteBranch: that is the one way the user may drop commits.
          inFlight.push(
            k === 1
              ? terminateAccepting(client, s.id)
              : client.request('sessions.terminate', { sessionId: s.id, deleteBranch: true }),
          );
        }
      } else {
        inFlight.push(client.request('cleanup.run', {}));
      }
      perOp[op]++;
      await new Promise((r) => setTimeout(r, delay));
      tally.fault();
      await serve.stop('SIGKILL');
      serve = null;
      const settled = await Promise.all(inFlight);
      lostInFlight += settled.filter((r) => !(r as { ok: boolean }).ok).length;
      client.close();

      // After the kill: a fresh engine on the same data dir reconciles.
      const h = await openEngine({ home });
      try {
        const c = await checkConsistency(h, [repo.path]);
        tally.check(c.violations.length === 0, `kill ${i} (${op} +${delay} ms): ${c.violations.join('; ')}`);
        // Everything reachable from a branch, once: no commit the user made may have vanished.
        const reachable = new Set((await runGit(repo.path, ['rev-list', '--branches'])).split('\n'));
        for (const k of knownCommits) {
          tally.check(
            reachable.has(k.sha),
            `kill ${i} (${op} +${delay} ms): commit ${k.sha.slice(0, 8)} of ${k.branch} lost`,
          );
        }
        orphansSeen += c.orphans.length;
        for (const r of c.records) if (r.status !== 'terminated' && r.worktreeMissing) missingSeen.add(r.id);
        // Interrupted creations are told apart, then tidied so the data dir stays small.
        for (const r of c.records.filter((x) => x.status === 'error')) {
          interrupted++;
          tally.check(Boolean(r.errorReason), `kill ${i}: record ${r.name} in error says nothing`);
          await terminateAccepting(h, r.id);
        }
      } finally {
        await h.close();
      }
    }
    tally.figures.killPoints = KILL_POINTS;
    tally.figures.delaysMs = `${Math.min(...delays)}-${Math.max(...delays)}`;
    tally.figures.perOp = `create:${perOp.create}/terminate:${perOp.terminate}/cleanup:${perOp.cleanup}`;
    tally.figures.requestsCutByKill = lostInFlight;
    tally.figures.commitsTracked = knownCommits.length;
    tally.figures.orphansReported = orphansSeen;
    tally.figures.recordsMissingWorktree = missingSeen.size;
    tally.figures.interruptedCreations = interrupted;
    tally.figures.seconds = Math.round((Date.now() - t0) / 1000);
    expect(tally.failed).toEqual([]);
  });
});
