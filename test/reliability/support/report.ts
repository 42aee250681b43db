import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where every reliability test file appends its figures (one JSON object per line). */
export const RELIABILITY_JSONL = resolve(__dirname, '../../../test-results/reliability.jsonl');

export interface PropertyFigures {
  /** The property of the issue: races, crash-consistency, work-loss, bad-input, injection, runaway, hostile-clients. */
  property: string;
  /** How many cases (inputs, kill points, matrix cells…) were tried. */
  cases: number;
  /** How many faults were injected (kills, hostile inputs, floods, refused clients…). */
  faults: number;
  /** How many cases broke the property (the test fails when this is not 0). */
  failures: number;
  /** Extra measured figures (peak memory, echo latency, counts) — reported, not asserted. */
  figures?: Record<string, number | string>;
}

/** One human-readable summary line: `property  cases=… faults=… failures=… key=value…`. */
export function formatLine(p: PropertyFigures): string {
  const extra = Object.entries(p.figures ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `[reliability] ${p.property.padEnd(18)} cases=${p.cases} faults=${p.faults} failures=${p.failures}${extra ? ` ${extra}` : ''}`;
}

/** Prints the property's summary line and appends it to test-results/reliability.jsonl. */
export function recordProperty(p: PropertyFigures): void {
  mkdirSync(join(RELIABILITY_JSONL, '..'), { recursive: true });
  appendFileSync(RELIABILITY_JSONL, `${JSON.stringify({ ...p, at: new Date().toISOString() })}\n`);
  console.log(formatLine(p));
}

/**
 * Counts cases and failures of one property across a test file. `check` records a failure with
 * its description instead of throwing, so the file can report every broken case at the end.
 */
export class PropertyTally {
  cases = 0;
  faults = 0;
  readonly failed: string[] = [];
  readonly figures: Record<string, number | string> = {};

  constructor(readonly property: string) {}

  check(ok: boolean, description: string): boolean {
    this.cases++;
    if (!ok) this.failed.push(description);
    return ok;
  }

  /** The failures recorded since `mark` (a test asserts only its own). */
  since(mark: number): string[] {
    return this.failed.slice(mark);
  }

  fault(n = 1): void {
    this.faults += n;
  }

  /** Prints and records the line (call from afterAll). */
  report(): void {
    recordProperty({
      property: this.property,
      cases: this.cases,
      faults: this.faults,
      failures: this.failed.length,
      figures: this.figures,
    });
    for (const f of this.failed.slice(0, 20)) console.log(`[reliability]   ✗ ${f}`);
  }
}
