import { readFileSync } from 'node:fs';
import { isAlive } from '../../src/main/engine/process/process-tree';

/**
 * True while `pid` is a live process. A zombie (dead, not yet reaped — orphans stay so under an
 * init that never reaps, as in some containers) counts as gone.
 */
export function pidRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
