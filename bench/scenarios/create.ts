import { join } from 'node:path';
import * as nodePty from 'node-pty';
import type { FrameClient } from '../../src/shared/client';
import { size, type BenchContext } from '../lib/context';
import { settleDisk } from '../lib/disk';
import { makeFigure, targets, type Target } from '../lib/figures';
import { withHost } from '../lib/host';
import type { Figure } from '../lib/report';
import { git, removeDir, resetRepo } from '../lib/repos';
import { createRunning, SLEEPER, terminate, type StatusWatch } from '../lib/sessions';
import { nowMs, waitFor } from '../lib/stats';

/** The raw baseline of one session: `git worktree add` and a node-pty spawn of the same program. */
async function rawCreate(repo: string, path: string, branch: string): Promise<number> {
  const t0 = nowMs();
  await git(repo, ['worktree', 'add', '--quiet', '-b', branch, path, 'main']);
  const pty = nodePty.spawn(SLEEPER.program, SLEEPER.args, {
    name: 'xterm-256color',
    cols: 120,
    rows: 32,
    cwd: path,
    env: process.env as Record<string, string>,
    encoding: 'utf8',
  });
  const t = nowMs() - t0;
  pty.kill('SIGKILL');
  await git(repo, ['worktree', 'remove', '--force', path]);
  await git(repo, ['branch', '-D', '--quiet', branch]);
  return t;
}

/** Settings for a pool measurement: on, `size` warm worktrees, a budget that never binds. */
async function usePool(client: FrameClient, poolSize: number): Promise<void> {
  await client.call('settings.update', { pool: { enabled: true, size: poolSize, diskBudgetMb: 1_000_000, repos: 3 } });
}

async function poolOff(client: FrameClient): Promise<void> {
  await client.call('settings.update', { pool: { enabled: false, size: 0, diskBudgetMb: 0, repos: 1 } });
}

/** Waits until the pool holds `n` ready worktrees of `repo` (it prepares in the background at low priority). */
async function poolReady(client: FrameClient, repo: string, n: number, timeoutMs: number): Promise<void> {
  await waitFor(
    `${n} warm worktrees of ${repo}`,
    async () => {
      const st = await client.call('pool.status', {});
      return st.repos.some((r) => r.repoRoot === repo && r.ready >= n) ? true : undefined;
    },
    timeoutMs,
    250,
  );
}

/**
 * `sessions.create` until the program runs, product and raw interleaved (alternating which goes
 * first) after the disk settled. With `pool`, the pool is filled before each product run, so each
 * run claims a warm worktree as a user creating sessions at a human pace would.
 */
async function createFigure(
  ctx: BenchContext,
  name: string,
  repo: string,
  warmups: number,
  runs: number,
  target: Target,
  pool: boolean,
): Promise<Figure> {
  const product: number[] = [];
  const raw: number[] = [];
  let claimed = 0;
  await withHost(ctx, name, async ({ client, watch }) => {
    // Creation says when it used a prepared worktree (progress step "warm"): count the claims.
    client.on('progress', (p) => {
      if (p.step === 'warm') claimed++;
    });
    if (pool) {
      await usePool(client, 1);
      // The pool keeps warm the bases creates used: one create tells it this repository's base.
      const [seed] = await createRunning(client, watch, { name: `${name} seed`, repoPath: repo, ...SLEEPER });
      await terminate(client, seed.id);
    } else {
      await poolOff(client);
    }
    for (let i = 0; i < warmups + runs; i++) {
      const measureProduct = async () => {
        if (pool) await poolReady(client, repo, 1, 10 * 60_000);
        await settleDisk();
        const t0 = nowMs();
        const [s] = await createRunning(client, watch, { name: `${name} ${i}`, repoPath: repo, ...SLEEPER });
        const t = nowMs() - t0;
        await terminate(client, s.id);
        return t;
      };
      const measureRaw = async () => {
        await settleDisk();
        return rawCreate(repo, join(ctx.root, `raw-${name}-${i}`), `raw-${name}-${i}`);
      };
      let t: number;
      let r: number;
      if (i % 2 === 0) {
        t = await measureProduct();
        r = await measureRaw();
      } else {
        r = await measureRaw();
        t = await measureProduct();
      }
      if (i >= warmups) {
        product.push(t);
        raw.push(r);
      }
      ctx.log(`${name} run ${i}: product ${t.toFixed(0)} ms, raw ${r.toFixed(0)} ms`);
    }
  });
  return makeFigure({
    name,
    unit: 'ms',
    product,
    baseline: raw,
    target,
    digits: 1,
    extra: pool ? { pool: 'on', warm_claims: claimed } : { pool: 'off' },
    baselineWhat: 'git worktree add + node-pty spawn',
  });
}

/** Targets of issue #17: with the pool, at most 150 ms on both repositories and ≤ 0.1 of raw on 10k. */
const poolTarget1k: Target = { text: '≤ 150 ms', test: ({ value }) => value <= 150 };
const poolTarget10k: Target = {
  text: '≤ 150 ms, ratio ≤ 0.1',
  test: ({ value, ratio }) => value <= 150 && ratio !== null && ratio <= 0.1,
};

export async function create1k(ctx: BenchContext): Promise<Figure[]> {
  return [await createFigure(ctx, 'create_1k', ctx.repo1k, 1, size(ctx, 5, 3), targets.ratioAtMost(1.15), false)];
}

export async function create10k(ctx: BenchContext): Promise<Figure[]> {
  // A 10k checkout takes seconds here: fewer runs, and no warm-up in a quick run.
  return [
    await createFigure(
      ctx,
      'create_10k',
      ctx.repo10k,
      size(ctx, 1, 0),
      size(ctx, 3, 1),
      targets.ratioAtMost(1.15),
      false,
    ),
  ];
}

export async function createPool1k(ctx: BenchContext): Promise<Figure[]> {
  return [await createFigure(ctx, 'create_pool_1k', ctx.repo1k, 1, size(ctx, 5, 3), poolTarget1k, true)];
}

export async function createPool10k(ctx: BenchContext): Promise<Figure[]> {
  return [await createFigure(ctx, 'create_pool_10k', ctx.repo10k, 1, size(ctx, 5, 2), poolTarget10k, true)];
}

/**
 * 20 `sessions.create` calls at once until all 20 programs run, against a serial loop of 20
 * `git worktree add`. With `pool`, 20 warm worktrees are ready first. A quick run uses the 1k
 * repository (20 checkouts of 10k files take minutes on a small machine).
 */
async function parallelFigure(ctx: BenchContext, name: string, pool: boolean, target: Target): Promise<Figure> {
  const n = 20;
  const runs = size(ctx, 3, 1);
  const product: number[] = [];
  const raw: number[] = [];
  let failures = 0;
  const repo = ctx.quick ? ctx.repo1k : ctx.repo10k;
  // Warm the page cache for the serial baseline as the product runs will be.
  await rawCreate(repo, join(ctx.root, `raw-${name}-warm`), `raw-${name}-warm`);
  await withHost(ctx, name, async ({ client, watch }) => {
    if (pool) {
      await usePool(client, n);
      const [seed] = await createRunning(client, watch, { name: `${name} seed`, repoPath: repo, ...SLEEPER });
      await terminate(client, seed.id);
    } else {
      await poolOff(client);
    }
    for (let run = 0; run < runs; run++) {
      const measureProduct = async () => {
        if (pool) await poolReady(client, repo, n, 30 * 60_000);
        await settleDisk();
        const t0 = nowMs();
        const r = await parallelCreates(client, watch, repo, `${name} ${run}`, n);
        const t = nowMs() - t0;
        failures += r.failures;
        for (const m of r.messages) ctx.log(`${name} create failed: ${m}`);
        await Promise.all(r.ids.map((id) => terminate(client, id).catch(() => undefined)));
        return t;
      };
      const measureRaw = async () => {
        const paths: string[] = [];
        await settleDisk();
        const r0 = nowMs();
        for (let i = 0; i < n; i++) {
          const path = join(ctx.root, `raw-${name}-${run}-${i}`);
          await git(repo, ['worktree', 'add', '--quiet', '-b', `raw-${name}-${run}-${i}`, path, 'main']);
          paths.push(path);
        }
        const r = nowMs() - r0;
        await Promise.all(paths.map((p) => removeDir(p)));
        await resetRepo(repo);
        return r;
      };
      // Alternating which goes first, so slow phases of a shared machine hit both alike.
      let t: number;
      let r: number;
      if (run % 2 === 0) {
        t = await measureProduct();
        r = await measureRaw();
      } else {
        r = await measureRaw();
        t = await measureProduct();
      }
      product.push(t);
      raw.push(r);
      ctx.log(`${name} run ${run}: product ${t.toFixed(0)} ms (${failures} failures), raw serial ${r.toFixed(0)} ms`);
    }
  });
  const withFailures: Target = {
    text: `${target.text}, 0 failures`,
    test: (f) => target.test(f) && failures === 0,
  };
  return makeFigure({
    name,
    unit: 'ms',
    product,
    baseline: raw,
    target: withFailures,
    digits: 0,
    extra: { failures, repo_files: ctx.quick ? 1000 : 10000, pool: pool ? 'on' : 'off' },
    baselineWhat: 'serial loop of 20 git worktree add',
  });
}

async function parallelCreates(
  client: FrameClient,
  watch: StatusWatch,
  repo: string,
  label: string,
  n: number,
): Promise<{ ids: string[]; failures: number; messages: string[] }> {
  const settled = await Promise.allSettled(
    Array.from({ length: n }, (_, i) =>
      client.call('sessions.create', { name: `${label} ${i}`, repoPath: repo, ...SLEEPER, autoStart: true }),
    ),
  );
  const sessions = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
  const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  const { failed } = await watch.settle(sessions);
  return {
    ids: sessions.map((s) => s.id),
    failures: rejected.length + failed,
    messages: rejected.map((r) => String(r.reason)),
  };
}

export async function parallelCreate20(ctx: BenchContext): Promise<Figure[]> {
  return [await parallelFigure(ctx, 'parallel_create_20', false, targets.ratioAtMost(0.6))];
}

export async function parallelCreatePool20(ctx: BenchContext): Promise<Figure[]> {
  return [await parallelFigure(ctx, 'parallel_create_pool_20', true, targets.ratioAtMost(0.2))];
}
