import { spawn } from 'node:child_process';
import { size, type BenchContext } from '../lib/context';
import { withHost } from '../lib/host';
import { ratioOf, round, type Figure } from '../lib/report';
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
  const value = median(product);
  const baseline = median(raw);
  const overhead = value - baseline;
  ctx.log(`execute_true: ${value.toFixed(2)} ms vs raw ${baseline.toFixed(2)} ms`);
  return [
    {
      name: 'execute_true',
      value: round(value, 2),
      unit: 'ms',
      baseline: round(baseline, 2),
      ratio: ratioOf(value, baseline),
      runs,
      target: 'overhead ≤ 5 ms',
      met: overhead <= 5,
      extra: { overhead_ms: round(overhead, 2) },
      baselineWhat: "child_process.spawn('true')",
    },
  ];
}
