import { createConsoleLogger, silentLogger } from '../engine/core/logger';
import { connect } from '../client/connect';
import type { MultisessionClient } from '../client/multisession-client';

/**
 * Runs one verb against the data dir: connects (or opens it in this process), runs, and always
 * closes — which, when this CLI owns the data dir, stops the engine cleanly. Ctrl-C and SIGTERM
 * also close before exiting, so an owned engine never leaves a torn database or stray programs.
 */
export async function withClient<T>(
  home: string | undefined,
  fn: (client: MultisessionClient) => Promise<T>,
  opts: { allowOwn?: boolean } = {},
): Promise<T> {
  const log = process.env.MULTISESSION_DEBUG ? createConsoleLogger() : silentLogger;
  const client = await connect({ home, allowOwn: opts.allowOwn, log });
  const onSignal = (signal: NodeJS.Signals) => {
    void client.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn(client);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await client.close();
  }
}
