import { readFileSync } from 'node:fs';
import { uptime } from 'node:os';

let cached: string | null = null;

/**
 * Identifies this boot of the machine: Linux's boot_id, elsewhere the boot time to the minute.
 * Sessions recorded running under another boot were lost to a restart of the machine.
 */
export function currentBootId(): string {
  if (cached) return cached;
  try {
    cached = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    cached = `boot-${Math.round((Date.now() / 1000 - uptime()) / 60)}`;
  }
  return cached;
}
