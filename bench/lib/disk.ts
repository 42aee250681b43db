import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Dirty + writeback pages below this count as "settled" (a quiet machine sits at a few MB). */
export const SETTLED_DIRTY_KB = 16 * 1024;
/** Longest wait for the kernel to write pages back before a phase is measured anyway (and said so). */
const SETTLE_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

export interface SettleResult {
  /** Dirty + Writeback in kB when the wait ended. */
  dirtyKb: number;
  waitedMs: number;
  settled: boolean;
}

/** Totals over the run, written into results.json so a reader sees the check was made. */
export const diskSettling = { phases: 0, unsettled: 0, maxWaitMs: 0, maxDirtyKbAtStart: 0 };

/** Dirty + Writeback from /proc/meminfo in kB; null where the kernel does not say (not Linux). */
export function dirtyKb(): number | null {
  try {
    const text = readFileSync('/proc/meminfo', 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 'NaN');
    const v = field('Dirty') + field('Writeback');
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Before a measured phase: asks the kernel to write back dirty pages (`sync`) and then checks
 * /proc/meminfo until Dirty + Writeback are below SETTLED_DIRTY_KB — so one side of a comparison
 * never pays for the other side's writes. Returns what it found; not settled is counted and reported.
 */
export async function settleDisk(): Promise<SettleResult> {
  const t0 = Date.now();
  const start = dirtyKb();
  diskSettling.phases++;
  if (start !== null) diskSettling.maxDirtyKbAtStart = Math.max(diskSettling.maxDirtyKbAtStart, start);
  await execFileAsync('sync', []).catch(() => undefined);
  for (;;) {
    const d = dirtyKb();
    const waited = Date.now() - t0;
    if (d === null) return { dirtyKb: 0, waitedMs: waited, settled: true };
    if (d <= SETTLED_DIRTY_KB || waited > SETTLE_TIMEOUT_MS) {
      const settled = d <= SETTLED_DIRTY_KB;
      if (!settled) diskSettling.unsettled++;
      diskSettling.maxWaitMs = Math.max(diskSettling.maxWaitMs, waited);
      return { dirtyKb: d, waitedMs: waited, settled };
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
