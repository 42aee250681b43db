#!/usr/bin/env node
// Prints the reliability suite's summary — one line per property with its figures — from
// test-results/reliability.jsonl (written by test/reliability/*.test.ts). Exits 1 when a property
// recorded failures or none were recorded. Usage: node test/reliability/summary.mjs
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const file = join(dirname(fileURLToPath(import.meta.url)), '../../test-results/reliability.jsonl');
if (!existsSync(file)) {
  console.log('reliability: no figures recorded (the suite did not run)');
  process.exit(1);
}
// The last record of each property wins (a re-run appends).
const latest = new Map();
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const r = JSON.parse(line);
  latest.set(r.property, r);
}
const order = [
  'races',
  'crash-consistency',
  'crash-children',
  'work-loss',
  'pause-work-loss',
  'fail-closed',
  'confinement',
  'serialised-ops',
  'quarantine',
  'bad-input',
  'injection',
  'runaway',
  'hostile-clients',
  'fuzz',
  'kernel-limits',
];
const rows = [...latest.values()].sort((a, b) => order.indexOf(a.property) - order.indexOf(b.property));
console.log('property            cases  faults  failures  figures');
for (const r of rows) {
  const figures = Object.entries(r.figures ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  console.log(
    `${r.property.padEnd(18)} ${String(r.cases).padStart(6)} ${String(r.faults).padStart(7)} ${String(r.failures).padStart(9)}  ${figures}`,
  );
}
const missing = order.filter((p) => !latest.has(p));
if (missing.length) console.log(`not recorded: ${missing.join(', ')}`);
process.exit(rows.some((r) => r.failures > 0) || missing.length > 0 ? 1 : 0);
