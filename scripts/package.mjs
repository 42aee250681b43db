#!/usr/bin/env node
// `npm run package`: builds the app, then the installers for this platform with electron-builder
// (electron-builder.yml → dist/). electron-builder lives in packaging/ with its own lockfile: it
// needs Node 22.13+ (its native-module rebuilder does), the app itself only 20.19+, so the app's
// `npm install` never pulls it in. Extra arguments go to electron-builder (e.g. --linux AppImage).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const windows = process.platform === 'win32';
const npm = windows ? 'npm.cmd' : 'npm';
const bin = (dir, name) => join(dir, 'node_modules', '.bin', windows ? `${name}.cmd` : name);

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(
    `package: building installers needs Node 22.13 or newer (this is ${process.versions.node}); ` +
      'installing, testing and running the app need only 20.19+.',
  );
  process.exit(1);
}

function run(what, cmd, args, cwd = root) {
  console.log(`\n━━ ${what} ━━`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', shell: windows });
  if (r.status !== 0) {
    console.error(`package: ${what} failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
}

const packaging = join(root, 'packaging');
if (!existsSync(bin(packaging, 'electron-builder'))) {
  // Its installer scripts are not needed to build installers (electron-winstaller's is denied).
  run('install electron-builder', npm, ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], packaging);
}
run('build', bin(root, 'electron-vite'), ['build']);
run('installers', bin(packaging, 'electron-builder'), [
  '--projectDir',
  root,
  '--config',
  'electron-builder.yml',
  '--publish',
  'never',
  ...process.argv.slice(2),
]);
