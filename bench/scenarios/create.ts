import { join } from 'node:path';
import * as nodePty from 'node-pty';
import { size, type BenchContext } from '../lib/context';
import { withHost } from '../lib/host';
import { ratioOf, round, type Figure } from '../lib/report';
import { git, removeDir, resetRepo, settleDisk } from '../lib/repos';
import { createRunning, SLEEPER, terminate } from '../lib/sessions';
import { median, nowMs } from '../lib/stats';

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

async function createFigure(
  ctx: BenchContext,
  name: string,
  repo: string,
  warmups: number,
  runs: number,
): Promise<Figure> {
  const product: number[] = [];
  const raw: number[] = [];
  await withHost(ctx, name, async ({ client, watch }) => {
    for (let i = 0; i < warmups + runs; i++) {
      // Interleaved, alternating which goes first, so both see the same machine load.
      const measureProduct = async () => {
        await settleDisk();
        const t0 = nowMs();
        const [s] = await createRunning(client, watch, {
          name: `${name} ${i}`,
          repoPath: repo,
          program: SLEEPER.program,
          args: SLEEPER.args,
        });
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
  const value = median(product);
  const baseline = median(raw);
  return {
    name,
    value: round(value, 1),
    unit: 'ms',
    baseline: round(baseline, 1),
    ratio: ratioOf(value, baseline),
    runs,
    target: 'ratio ≤ 1.15',
    met: value / baseline <= 1.15,
    baselineWhat: 'git worktree add + node-pty spawn',
  };
}

export async function create1k(ctx: BenchContext): Promise<Figure[]> {
  return [await createFigure(ctx, 'create_1k', ctx.repo1k, 1, size(ctx, 5, 3))];
}

export async function create10k(ctx: BenchContext): Promise<Figure[]> {
  // A 10k checkout takes seconds here: fewer runs, and no warm-up in a quick run.
  return [await createFigure(ctx, 'create_10k', ctx.repo10k, size(ctx, 1, 0), size(ctx, 3, 1))];
}

/**
 * 20 sessions.create calls at once on the 10k repository, until all 20 programs run. A quick
 * run uses the 1k repository (20 checkouts of 10k files take minutes on a small machine).
 */
export async function parallelCreate20(ctx: BenchContext): Promise<Figure[]> {
  const n = 20;
  const runs = size(ctx, 3, 1);
  const product: number[] = [];
  const raw: number[] = [];
  let failures = 0;
  const repo = ctx.quick ? ctx.repo1k : ctx.repo10k;
  // Warm the page cache for the serial baseline as the product runs will be.
  await rawCreate(repo, join(ctx.root, 'raw-par-warm'), 'raw-par-warm');
  await withHost(ctx, 'parallel_create_20', async ({ client, watch }) => {
    for (let run = 0; run < runs; run++) {
      const measureProduct = async () => {
        await settleDisk();
        const t0 = nowMs();
        const settled = await Promise.allSettled(
          Array.from({ length: n }, (_, i) =>
            client.call('sessions.create', {
              name: `par ${run} ${i}`,
              repoPath: repo,
              program: SLEEPER.program,
              args: SLEEPER.args,
              autoStart: true,
            }),
          ),
        );
        const sessions = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
        const rejected = settled.filter((s) => s.status === 'rejected');
        const { failed } = await watch.settle(sessions);
        const t = nowMs() - t0;
        failures += rejected.length + failed;
        for (const r of rejected) ctx.log(`parallel create failed: ${String((r as PromiseRejectedResult).reason)}`);
        await Promise.all(sessions.map((s) => terminate(client, s.id).catch(() => undefined)));
        return t;
      };
      const measureRaw = async () => {
        const paths: string[] = [];
        await settleDisk();
        const r0 = nowMs();
        for (let i = 0; i < n; i++) {
          const path = join(ctx.root, `raw-par-${run}-${i}`);
          await git(repo, ['worktree', 'add', '--quiet', '-b', `raw-par-${run}-${i}`, path, 'main']);
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
      ctx.log(
        `parallel_create_20 run ${run}: product ${t.toFixed(0)} ms (${failures} failures), raw serial ${r.toFixed(0)} ms`,
      );
    }
  });
  const value = median(product);
  const baseline = median(raw);
  return [
    {
      name: 'parallel_create_20',
      value: round(value, 0),
      unit: 'ms',
      baseline: round(baseline, 0),
      ratio: ratioOf(value, baseline),
      runs,
      target: 'ratio ≤ 0.6, 0 failures',
      met: value / baseline <= 0.6 && failures === 0,
      extra: { failures, repo_files: ctx.quick ? 1000 : 10000 },
      baselineWhat: 'serial loop of 20 git worktree add',
    },
  ];
}
