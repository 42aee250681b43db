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
 * Runs `fn` against a fresh host (own data dir, running cap raised for the many-session figures)
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
    await client.call('settings.update', { maxRunning: 500 });
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
