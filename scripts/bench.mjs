#!/usr/bin/env node
// `npm run bench`: builds the app (the benchmark is bundled with the engine as out/main/bench.js),
// then runs it with the given options (--quick, --only NAME, --out FILE, --keep).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite');

const build = spawnSync(bin, ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  process.stderr.write(
    `bench: the build failed (exit ${build.status ?? build.signal}); run \`npm run build\` to see why.\n`,
  );
  process.exit(1);
}
const run = spawnSync(process.execPath, [join(root, 'out', 'main', 'bench.js'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
// A full run rewrites the table in bench/README.md; keep it in the repository's Prettier style.
spawnSync(join(root, 'node_modules', '.bin', 'prettier'), ['--write', '--log-level', 'warn', 'bench/README.md'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
