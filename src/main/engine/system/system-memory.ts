import { readFileSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';

/** The machine's memory as the memory-pressure policy weighs it. */
export interface SystemMemory {
  /** Memory that can be given to programs without swapping, in MB. */
  availableMb: number;
  totalMb: number;
  /** Where the figure came from: the kernel's estimate, or Node's free memory elsewhere. */
  source: 'MemAvailable' | 'freemem';
}

const MB = 1024 * 1024;

/** MemAvailable and MemTotal (kB) of a /proc/meminfo text, in MB; null when either is missing. */
export function parseMeminfo(text: string): { availableMb: number; totalMb: number } | null {
  const kb = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s*kB`, 'm').exec(text);
    return m ? Number(m[1]) : null;
  };
  const available = kb('MemAvailable');
  const total = kb('MemTotal');
  return available === null || total === null ? null : { availableMb: available / 1024, totalMb: total / 1024 };
}

/**
 * How much memory the machine has left. On Linux the kernel's MemAvailable (free memory plus the
 * page cache and slabs it can reclaim — `os.freemem()` leaves those out and would cry wolf on any
 * machine with a warm cache); elsewhere `os.freemem()`, which on macOS and Windows already counts
 * reclaimable memory.
 */
export function readSystemMemory(): SystemMemory {
  if (process.platform === 'linux') {
    try {
      const parsed = parseMeminfo(readFileSync('/proc/meminfo', 'utf8'));
      if (parsed) return { ...parsed, source: 'MemAvailable' };
    } catch {
      /* no /proc (a container without it): Node's figure below */
    }
  }
  return { availableMb: freemem() / MB, totalMb: totalmem() / MB, source: 'freemem' };
}
