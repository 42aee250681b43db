#!/usr/bin/env node
// `npm run bench`: builds the app (the benchmark drives the built host), then the benchmark itself
// (its own Vite build, bench/vite.config.mts → out/bench/bench.js — never part of the app's build
// or its installers), then runs it with the given options (--quick, --only NAME, --out FILE, --keep).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

for (const [what, cmd, args] of [
  ['the app', bin('electron-vite'), ['build']],
  ['the benchmark', bin('vite'), ['build', '--config', 'bench/vite.config.mts']],
]) {
  const build = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) {
    process.stderr.write(`bench: building ${what} failed (exit ${build.status ?? build.signal}).\n`);
    process.exit(1);
  }
}
const run = spawnSync(process.execPath, [join(root, 'out', 'bench', 'bench.js'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
// A full run rewrites the table in bench/README.md; keep it in the repository's Prettier style.
spawnSync(join(root, 'node_modules', '.bin', 'prettier'), ['--write', '--log-level', 'warn', 'bench/README.md'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
