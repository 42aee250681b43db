import { spawn } from 'node:child_process';
import { size, type BenchContext } from '../lib/context';
import { withHost } from '../lib/host';
import { makeFigure } from '../lib/figures';
import type { Figure } from '../lib/report';
import { createRunning, SLEEPER } from '../lib/sessions';
import { median, nowMs } from '../lib/stats';

function rawTrue(cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = nowMs();
    const child = spawn('true', [], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.once('error', reject);
    child.once('close', () => resolve(nowMs() - t0));
  });
}

/** `commands.execute` of `true` in a session, round trip over the WebSocket. */
export async function executeTrue(ctx: BenchContext): Promise<Figure[]> {
  const warmups = 5;
  const runs = size(ctx, 40, 15);
  const product: number[] = [];
  const raw: number[] = [];
  await withHost(ctx, 'execute_true', async ({ client, watch }) => {
    const [s] = await createRunning(client, watch, {
      name: 'execute',
      repoPath: ctx.repo1k,
      program: SLEEPER.program,
      args: SLEEPER.args,
    });
    for (let i = 0; i < warmups + runs; i++) {
      const t0 = nowMs();
      const rec = await client.call('commands.execute', { sessionId: s.id, command: 'true' });
      const t = nowMs() - t0;
      if (rec.exitCode !== 0) throw new Error(`true exited with ${rec.exitCode}`);
      const r = await rawTrue(s.worktreePath);
      if (i >= warmups) {
        product.push(t);
        raw.push(r);
      }
    }
  });
  const overhead = median(product) - median(raw);
  ctx.log(`execute_true: ${median(product).toFixed(2)} ms vs raw ${median(raw).toFixed(2)} ms`);
  return [
    makeFigure({
      name: 'execute_true',
      unit: 'ms',
      product,
      baseline: raw,
      target: { text: 'overhead ≤ 5 ms', test: ({ value, baseline }) => baseline !== null && value - baseline <= 5 },
      extra: { overhead_ms: Math.round(overhead * 100) / 100 },
      baselineWhat: "child_process.spawn('true')",
    }),
  ];
}
