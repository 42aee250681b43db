import type { FrameClient } from '../../src/shared/client';
import { spawnChild, type BenchChild } from './children';
import type { BenchContext } from './context';
import { removeDir, resetRepo } from './repos';
import { StatusWatch, TerminalTap } from './sessions';

export interface HostSession {
  host: BenchChild;
  client: FrameClient;
  watch: StatusWatch;
  tap: TerminalTap;
  home: string;
}

/**
 * Runs `fn` against a fresh host (own data dir, running cap raised for the many-session figures,
 * warm worktree pool off)
 * through a WebSocket client, then stops the host and forgets its worktrees.
 */
export async function withHost<T>(
  ctx: BenchContext,
  label: string,
  fn: (h: HostSession) => Promise<T>,
  opts: { keepHome?: boolean } = {},
): Promise<T> {
  const home = ctx.newHome(label);
  const host = await spawnChild('host', home);
  const client = await host.client();
  const watch = new StatusWatch(client);
  const tap = new TerminalTap(client);
  try {
    // The warm pool is off: it prepares worktrees in the background after creates (git checkouts
    // whose spawns cost the host ~15 % of a core for a minute), which the terminal figures must not
    // count as terminal work. The pool's own figures turn it on (create.ts).
    await client.call('settings.update', {
      maxRunning: 500,
      pool: { enabled: false, size: 0, diskBudgetMb: 0, repos: 1 },
    });
    return await fn({ host, client, watch, tap, home });
  } finally {
    tap.dispose();
    watch.dispose();
    client.close();
    await host.stop();
    if (!opts.keepHome) {
      await removeDir(home);
      await resetRepo(ctx.repo1k);
      await resetRepo(ctx.repo10k);
    }
  }
}
