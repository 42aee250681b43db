#!/usr/bin/env node
// `npm test`: every tier that can run here — build, typecheck, lint, Vitest (unit + integration),
// Playwright e2e in Chromium (and the Electron specs where an Electron binary exists) — then one
// summary. Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './agent-clis.mjs';
import { coverageByRoom } from './coverage-rooms.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// On Windows the .bin entries are .cmd scripts, which Node spawns only through a shell.
const windows = process.platform === 'win32';
const bin = (name) => join(root, 'node_modules/.bin', windows ? `${name}.cmd` : name);
const results = [];
const testHome = makeTestHome();

function step(name, cmd, args) {
  console.log(`\n━━ ${name} ━━ ${[cmd, ...args].map((a) => a.replace(root + '/', '')).join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0', ...testHome.env },
    shell: windows && cmd.endsWith('.cmd'),
  });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: Math.round((Date.now() - t0) / 1000) });
  return ok;
}

// Playwright empties its own output dir, so the runners' reports live apart from it.
rmSync(join(root, 'reports'), { recursive: true, force: true });
// The reliability suite appends its figures here; a stale file must not stand in for this run.
rmSync(join(root, 'test-results/reliability.jsonl'), { force: true });
const built = step('build', bin('electron-vite'), ['build']);
step('typecheck (node)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']);
step('typecheck (web)', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']);
step('lint', bin('eslint'), ['.', '--max-warnings=0']);
step('format', bin('prettier'), ['--check', '.', '--log-level', 'warn']);
// Import cycles (.dependency-cruiser.cjs); the type-only cycles recorded in
// .dependency-cruiser-known-violations.json are reported as known, any new cycle fails.
step('import cycles', bin('depcruise'), [
  ...['src', 'test', 'bench', 'e2e', 'scripts'],
  ...['--config', '.dependency-cruiser.cjs', '--ignore-known'],
]);
// The three tiers (vitest.config.mts: unit in parallel, integration two at a time, serial one at
// a time) in one run, with V8 coverage; the tiers reporter feeds the per-tier lines below.
step('vitest', bin('vitest'), [
  'run',
  '--coverage',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=reports/vitest.json',
  '--reporter=./scripts/vitest-tiers.mjs',
]);
// One line per reliability property (cases, faults, failures, figures); fails when any broke.
step('reliability summary', process.execPath, ['test/reliability/summary.mjs']);
if (built) step('playwright', bin('playwright'), ['test']);
else results.push({ name: 'playwright', ok: false, seconds: 0 });

// Counts from the runners' own JSON reports.
let passed = 0;
let failed = 0;
let skipped = 0;
const vitestJson = join(root, 'reports/vitest.json');
/** What failed and why, printed last: the tail of a CI log is often all there is to read. */
const failures = [];
const firstLines = (text, n = 6) =>
  String(text ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, n)
    .map((l) => `      ${l.slice(0, 200)}`)
    .join('\n');
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  for (const file of v.testResults ?? []) {
    for (const a of file.assertionResults ?? []) {
      if (a.status !== 'failed') continue;
      const where = relative(root, file.name ?? '');
      failures.push(`  vitest ${where} › ${a.fullName}\n${firstLines((a.failureMessages ?? []).join('\n'))}`);
    }
    if ((file.assertionResults ?? []).length === 0 && file.status === 'failed')
      failures.push(`  vitest ${relative(root, file.name ?? '')}\n${firstLines(file.message)}`);
  }
}
const notRun = [];
const e2eJson = join(root, 'reports/e2e.json');
if (existsSync(e2eJson)) {
  const e = JSON.parse(readFileSync(e2eJson, 'utf8'));
  passed += e.stats?.expected ?? 0;
  failed += (e.stats?.unexpected ?? 0) + (e.stats?.flaky ?? 0);
  skipped += e.stats?.skipped ?? 0;
  const walk = (suite) => {
    for (const s of suite.suites ?? []) walk(s);
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status === 'skipped') notRun.push(`${t.projectName}: ${spec.title}`);
        if (t.status === 'unexpected' || t.status === 'flaky') {
          for (const r of t.results ?? []) {
            if (r.status === 'passed' || r.status === 'skipped') continue;
            const failedStep = (r.steps ?? []).find((st) => st.error)?.title;
            const step = failedStep ? ` (step: ${failedStep})` : '';
            failures.push(
              `  playwright ${spec.file}:${spec.line} › ${spec.title}${step} [${r.status}]\n${firstLines(r.error?.message ?? r.errors?.[0]?.message)}`,
            );
          }
        }
      }
    }
  };
  for (const s of e.suites ?? []) walk(s);
}

console.log('\n━━ summary ━━');
for (const r of results) {
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds}s)`);
  if (r.name === 'vitest') printTiers();
}
for (const n of notRun) console.log(`not run: ${n} (no Electron binary or display here)`);
printCoverage();
if (failures.length > 0) {
  console.log('failed:');
  for (const f of failures) console.log(f);
}
rmSync(testHome.path, { recursive: true, force: true });
const stepsFailed = results.filter((r) => !r.ok).length;
console.log(`${passed} passed, ${failed + stepsFailed} failed, ${skipped} skipped`);
process.exit(stepsFailed > 0 || failed > 0 ? 1 : 0);

/** One line per Vitest tier: files, tests and its wall-clock time. */
function printTiers() {
  const file = join(root, 'reports/vitest-tiers.json');
  if (!existsSync(file)) return;
  const tiers = JSON.parse(readFileSync(file, 'utf8'));
  for (const name of ['unit', 'integration', 'serial']) {
    const t = tiers[name];
    if (!t) continue;
    const counts = `${t.passed} passed${t.failed ? `, ${t.failed} FAILED` : ''}${t.skipped ? `, ${t.skipped} skipped` : ''}`;
    console.log(`       ${name.padEnd(12)} ${String(t.files).padStart(3)} files  ${counts} (${t.seconds}s)`);
  }
}

/** Line coverage per room (V8 through Vitest); engine rooms under 90 % are marked. */
function printCoverage() {
  const rooms = coverageByRoom(root);
  if (!rooms) return;
  console.log('coverage (lines, V8, code run in the Vitest workers; child hosts/CLIs not counted):');
  const names = Object.keys(rooms).sort((a, b) => a.localeCompare(b));
  const row = (n) => {
    const r = rooms[n];
    const low = n.startsWith('engine/') && r.pct < 90 ? '  < 90 %' : '';
    return `  ${n.padEnd(20)} ${r.pct.toFixed(1).padStart(5)} %  (${r.covered}/${r.total})${low}`;
  };
  for (const n of names.filter((x) => x.startsWith('engine/'))) console.log(row(n));
  for (const n of names.filter((x) => !x.startsWith('engine/'))) console.log(row(n));
}

/**
 * A private HOME for this run: the shells and programs the tests start read no dotfiles of the
 * machine's user. A login's rc files are not ours to depend on — on this machine root's ~/.bashrc
 * runs `pyenv rehash`, whose lock file outlives a shell killed while holding it, and every bash
 * started afterwards then waits 60 s for it (a fresh-clone CI run failed six terminal specs so).
 * Git's identity is carried over, and the agent CLI cache stays where `.ci/run` filled it. Made
 * under the user's own cache folder, not /tmp, so a folder whose every ancestor is private to root
 * can still be made inside it (test/support/root-owned-dir.ts).
 */
function makeTestHome() {
  const base = join(homedir(), '.cache', 'multisession', 'test-homes');
  mkdirSync(base, { recursive: true, mode: 0o700 });
  const path = mkdtempSync(join(base, 'run-'));
  const git = (key) => {
    const r = spawnSync('git', ['config', '--global', '--get', key], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : '';
  };
  const name = git('user.name') || 'Multisession Tests';
  const email = git('user.email') || 'tests@multisession.invalid';
  writeFileSync(join(path, '.gitconfig'), `[user]\n\tname = ${name}\n\temail = ${email}\n`);
  writeFileSync(join(path, '.bashrc'), '');
  writeFileSync(join(path, '.profile'), '');
  const env = {
    HOME: path,
    MULTISESSION_AGENT_CLI_CACHE: cacheDir(process.env),
    XDG_CONFIG_HOME: join(path, '.config'),
    XDG_CACHE_HOME: join(path, '.cache'),
    XDG_DATA_HOME: join(path, '.local', 'share'),
    XDG_STATE_HOME: join(path, '.local', 'state'),
  };
  return { path, env };
}
