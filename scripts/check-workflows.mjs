#!/usr/bin/env node
// Offline check of the GitHub Actions workflows (.github/workflows/*.yml), run by .ci/run:
// 1. each file against the workflow JSON schema (SchemaStore's, compiled into
//    @action-validator/core's WebAssembly — no network), after proving on a broken workflow that
//    the validator rejects it;
// 2. what CI must do here (issue 19): tests on Linux, macOS and Windows, the Electron specs under a
//    virtual display, installers by electron-builder uploaded as artifacts, installs that fail on
//    an engine warning, actions pinned to a version, a time limit on every job.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const { validateWorkflow } = require('@action-validator/core');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, '.github/workflows');
const problems = [];

// A validator that accepts anything would make this check worthless: it must reject these.
const broken = [
  'on: push\njobs:\n  a:\n    steps: []\n',
  'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: 5\n        bogus: 1\n',
];
for (const text of broken) {
  if (validateWorkflow(text).errors.length === 0) problems.push(`validator accepted a broken workflow:\n${text}`);
}

const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
if (files.length === 0) problems.push('no workflow under .github/workflows');
const steps = [];
const jobs = [];
for (const f of files) {
  const text = readFileSync(join(dir, f), 'utf8');
  for (const e of validateWorkflow(text).errors) {
    problems.push(`${f}: ${e.title}${'path' in e ? ` at ${e.path}` : ''}${e.detail ? ` — ${e.detail}` : ''}`);
  }
  const doc = parse(text);
  for (const [id, job] of Object.entries(doc?.jobs ?? {})) {
    jobs.push({ file: f, id, job });
    if (typeof job['timeout-minutes'] !== 'number') problems.push(`${f}: job ${id} has no timeout-minutes`);
    for (const s of job.steps ?? []) {
      steps.push({ file: f, id, job, step: s });
      if (s.uses && !/@(v\d+(\.\d+)*|[0-9a-f]{40})$/.test(s.uses)) problems.push(`${f}: ${s.uses} is not pinned`);
      if (/\bnpm ci\b/.test(s.run ?? '') && !/--engine-strict/.test(s.run)) {
        problems.push(`${f}: job ${id} installs without --engine-strict (engine warnings would pass)`);
      }
    }
  }
}

const oses = (job) => JSON.stringify(job.strategy?.matrix ?? job['runs-on'] ?? '');
const runs = (re) => steps.filter((s) => re.test(s.step.run ?? ''));
const testJobs = runs(/\bnpm test\b/).map((s) => s.job);
for (const os of ['ubuntu', 'macos', 'windows']) {
  if (!testJobs.some((j) => oses(j).includes(os))) problems.push(`no job runs npm test on ${os}`);
  const pkg = runs(/\bnpm run package\b/).map((s) => s.job);
  if (!pkg.some((j) => oses(j).includes(os))) problems.push(`no job builds the installers on ${os}`);
}
if (runs(/xvfb-run[^\n]*npm test/).length === 0) problems.push('the Electron specs never run under a virtual display');
const uploads = steps.filter((s) => /^actions\/upload-artifact@/.test(s.step.uses ?? ''));
if (
  !uploads.some(
    (s) => /\bdist\//.test(String(s.step.with?.path ?? '')) && runs(/npm run package/).some((r) => r.job === s.job),
  )
) {
  problems.push('the installers (dist/) are not uploaded as artifacts by the job that builds them');
}

if (problems.length > 0) {
  console.error(`workflow check: ${problems.length} problem(s)\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`workflow check: ${files.length} workflow(s), ${jobs.length} jobs, ${steps.length} steps valid`);
