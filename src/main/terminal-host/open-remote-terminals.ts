import type { Logger } from '../engine/core/logger';
import type { EventHub } from '../engine/rpc/event-hub';
import { RemoteTerminals } from './remote-terminals';
import { effectiveProtocol } from './terminal-host-paths';

/**
 * The engine's terminals in the data dir's detached terminal host: connects to a running one
 * (without starting it — that happens on the first terminal needed) and notes hosts of other
 * protocol versions. What every UI host and CLI hands to `createEngine`.
 */
export async function openRemoteTerminals(opts: {
  dataDir: string;
  appVersion: string;
  hub: EventHub;
  log: Logger;
}): Promise<RemoteTerminals> {
  const terminals = new RemoteTerminals({ ...opts, protocol: effectiveProtocol() });
  await terminals.open();
  return terminals;
}
