import { ContractFrameClient } from '../../src/shared/client';
import type { TerminalHostEvents, TerminalHostRequests } from '../../src/shared/terminal-host-contract';
import { isAlive } from '../../src/main/engine/process/process-tree';
import { readLockFile } from '../../src/main/host/lock-file';
import {
  terminalHostLockPath,
  terminalHostLockProtocols,
  terminalHostLockSchema,
  type TerminalHostLock,
} from '../../src/main/terminal-host/terminal-host-paths';
import { connectSocketChannel } from '../../src/main/transports/socket/socket-channel';
import { waitFor } from './wait-for';

/** The live terminal host of a data dir (this build's protocol unless given), or null. */
export function terminalHostLock(home: string, protocol?: number): TerminalHostLock | null {
  for (const p of protocol === undefined ? terminalHostLockProtocols(home) : [protocol]) {
    const lock = readLockFile(terminalHostLockSchema, terminalHostLockPath(home, p));
    if (lock) return lock;
  }
  return null;
}

/**
 * Stops every terminal host of a data dir and the programs in it (tests start hosts whose
 * programs would otherwise outlive the test: keeping sessions running is the default).
 */
export async function stopTerminalHosts(home: string): Promise<void> {
  for (const p of terminalHostLockProtocols(home)) {
    const lock = readLockFile(terminalHostLockSchema, terminalHostLockPath(home, p));
    if (!lock) continue;
    try {
      const client = new ContractFrameClient<TerminalHostRequests, TerminalHostEvents>(
        await connectSocketChannel(lock.socketPath),
      );
      await client.request('shutdown', { stopPrograms: true });
      client.close();
    } catch {
      process.kill(lock.pid, 'SIGTERM');
    }
    await waitFor(`terminal host ${lock.pid} to exit`, () => !isAlive(lock.pid), 20_000);
  }
}
