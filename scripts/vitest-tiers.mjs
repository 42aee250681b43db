// A Vitest reporter that writes what `npm test`'s summary shows per tier: for each project
// (unit, integration, serial) its files, tests passed/failed/skipped and the wall-clock time from
// its first file's start to its last file's end. Written to reports/vitest-tiers.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export default class TiersReporter {
  constructor(opts = {}) {
    this.outFile = opts.outputFile ?? 'reports/vitest-tiers.json';
    this.started = new Map();
  }

  onTestModuleStart(module) {
    this.started.set(module.moduleId, Date.now());
  }

  onTestRunEnd(modules) {
    const tiers = {};
    for (const m of modules) {
      const name = m.project.name || 'default';
      const t = (tiers[name] ??= { files: 0, passed: 0, failed: 0, skipped: 0, start: Infinity, end: 0 });
      t.files += 1;
      const start = this.started.get(m.moduleId) ?? Date.now();
      t.start = Math.min(t.start, start);
      t.end = Math.max(t.end, start + (m.diagnostic().duration ?? 0));
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) t.failed += 1; // failed to load
      for (const test of m.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') t.passed += 1;
        else if (state === 'failed') t.failed += 1;
        else t.skipped += 1;
      }
    }
    const out = Object.fromEntries(
      Object.entries(tiers).map(([name, t]) => [
        name,
        {
          files: t.files,
          passed: t.passed,
          failed: t.failed,
          skipped: t.skipped,
          seconds: t.end > t.start ? Math.round((t.end - t.start) / 1000) : 0,
        },
      ]),
    );
    mkdirSync(dirname(this.outFile), { recursive: true });
    writeFileSync(this.outFile, JSON.stringify(out, null, 2));
  }
}
