#!/usr/bin/env node
// `npm start`: build, then launch the desktop app. Where the Electron binary cannot be had (no
// network for its download, no display), say so in one line and start browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const passArgs = process.argv.slice(2);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

const build = run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
if (build.status !== 0) process.exit(build.status ?? 1);

function electronBinary() {
  const dir = join(root, 'node_modules/electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

function fetchElectron() {
  const installer = join(root, 'node_modules/electron/install.js');
  if (!existsSync(installer)) return false;
  // The download is Electron's own installer script (denied at `npm ci` by allowScripts).
  const r = spawnSync(process.execPath, [installer], {
    cwd: join(root, 'node_modules/electron'),
    stdio: 'ignore',
    timeout: 180_000,
  });
  return r.status === 0;
}

function browserMode(reason) {
  console.log(`${reason} — starting browser mode instead.`);
  const child = spawn(process.execPath, [join(root, 'out/main/serve.js'), ...passArgs], {
    cwd: root,
    stdio: 'inherit',
  });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}

const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
if (process.env.MULTISESSION_BROWSER === '1') {
  browserMode('MULTISESSION_BROWSER=1');
} else if (headless) {
  browserMode('No display here (DISPLAY and WAYLAND_DISPLAY are unset), so the desktop window cannot open');
} else {
  let bin = electronBinary();
  if (!bin && fetchElectron()) bin = electronBinary();
  if (!bin) {
    browserMode('The Electron binary is not installed and could not be downloaded');
  } else {
    const args = [...(process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : []), root];
    const child = spawn(bin, args, { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
  }
}
