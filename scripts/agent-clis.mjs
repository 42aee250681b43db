#!/usr/bin/env node
// Installs the real agent CLIs (Claude Code, Codex, Gemini CLI, OpenCode) from the npm registry at
// the versions pinned in agent-clis.json, each into its own private prefix in a cache shared by
// every checkout on the machine. Nothing is installed globally and no user config is read or
// written: tests run the CLIs in a private HOME (test/support/agent-cli.ts).
//
//   node scripts/agent-clis.mjs install [id…]   install the missing ones (all when no id is given)
//   node scripts/agent-clis.mjs path [id…]      print the path of each installed executable
//   node scripts/agent-clis.mjs home [id…]      make a private HOME, install the CLIs, print
//                                               {"home", "env"} as JSON (test/support/agent-cli.ts)
//   node scripts/agent-clis.mjs stop HOME        end every process running with HOME=HOME, print
//                                               their pids as JSON (Codex's detached daemon)
//
// The cache is $MULTISESSION_AGENT_CLI_CACHE, else $XDG_CACHE_HOME/multisession/agent-clis, else
// ~/.cache/multisession/agent-clis. Each version installs into a temporary folder that is renamed
// into place once its executable answered --version, so concurrent installs never see half a tree.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** @type {Record<string, { package: string; version: string; bin: string }>} */
export const agentClis = JSON.parse(readFileSync(join(here, 'agent-clis.json'), 'utf8'));

export function cacheDir(env = process.env) {
  if (env.MULTISESSION_AGENT_CLI_CACHE) return env.MULTISESSION_AGENT_CLI_CACHE;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'multisession', 'agent-clis');
}

function prefixOf(id, env) {
  const cli = agentClis[id];
  return join(cacheDir(env), `${id}-${cli.version}`);
}

/** The executable of an installed CLI, or null when that version is not in the cache. */
export function installedPath(id, env = process.env) {
  const cli = agentClis[id];
  if (!cli) throw new Error(`unknown agent CLI "${id}" (known: ${Object.keys(agentClis).join(', ')})`);
  const bin = join(prefixOf(id, env), 'node_modules', '.bin', cli.bin);
  return existsSync(bin) ? bin : null;
}

/** Installs one CLI unless its pinned version is already cached; returns its executable. */
export function install(id, env = process.env) {
  const have = installedPath(id, env);
  if (have) return have;
  const cli = agentClis[id];
  const final = prefixOf(id, env);
  const tmp = `${final}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  const t0 = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(
    npm,
    [
      'install',
      '--prefix',
      tmp,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `${cli.package}@${cli.version}`,
    ],
    { stdio: ['ignore', 2, 2], env: { ...env, npm_config_update_notifier: 'false' } },
  );
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`npm install ${cli.package}@${cli.version} failed (exit ${r.status})`);
  }
  const bin = join(tmp, 'node_modules', '.bin', cli.bin);
  // A CLI whose native part did not install (a skipped postinstall, a missing platform package)
  // fails here rather than in the middle of a test.
  const home = join(tmp, '.probe-home');
  mkdirSync(home, { recursive: true });
  const probe = spawnSync(bin, ['--version'], {
    env: { PATH: env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home },
    encoding: 'utf8',
    timeout: 60_000,
  });
  rmSync(home, { recursive: true, force: true });
  if (probe.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`${cli.bin} --version failed after install: ${probe.stderr || probe.error}`);
  }
  try {
    renameSync(tmp, final);
  } catch (e) {
    // Another process installed the same version first: keep theirs.
    rmSync(tmp, { recursive: true, force: true });
    if (!installedPath(id, env)) throw e;
  }
  // Progress goes to stderr: stdout carries only paths and JSON for callers.
  console.error(
    `installed ${cli.package}@${cli.version} (${probe.stdout.trim()}) in ${Math.round((Date.now() - t0) / 1000)} s`,
  );
  return installedPath(id, env);
}

/**
 * A throwaway HOME for the agent CLIs with the given CLIs first on PATH, and a complete
 * environment for a CLI (or for a host that starts CLIs) that holds none of the caller's variables,
 * so no API key or config path of the user leaks in. Claude Code exits at once without network
 * unless ~/.claude.json says onboarding is done, so that file is written; every other CLI starts
 * from nothing and shows its true first screens (trust, login and theme pickers).
 */
export function makeAgentHome(ids = [], env = process.env) {
  const home = mkdtempSync(join(tmpdir(), 'ms-agent-home-'));
  const xdg = {
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CACHE_HOME: join(home, '.cache'),
  };
  for (const dir of Object.values(xdg)) mkdirSync(dir, { recursive: true });
  mkdirSync(join(home, '.codex'), { recursive: true });
  writeFileSync(join(home, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true }, null, 2));
  const bins = ids.map((id) => dirname(install(id, env)));
  return {
    home,
    env: {
      HOME: home,
      USER: env.USER || 'multisession-test',
      PATH: [...bins, env.PATH || '/usr/local/bin:/usr/bin:/bin'].join(delimiter),
      LANG: 'C.UTF-8',
      TMPDIR: tmpdir(),
      ...xdg,
      CODEX_HOME: join(home, '.codex'),
      // No telemetry, update checks or self-updates from a test run.
      DISABLE_AUTOUPDATER: '1',
      DISABLE_TELEMETRY: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      OPENCODE_DISABLE_AUTOUPDATE: 'true',
    },
  };
}

/**
 * Ends every process still running with `HOME=<home>`: what the CLIs left behind. Codex 0.171
 * starts a detached `codex app-server` daemon that outlives the CLI and its session; only processes
 * of this private home can match, so nothing of the user's is touched. Returns the pids signalled.
 */
export function stopProcessesOfHome(home) {
  const needle = Buffer.from(`\0HOME=${home}\0`);
  const stopped = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ;
    try {
      environ = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${pid}/environ`)]);
    } catch {
      continue; // gone, or not ours to read
    }
    if (!environ.includes(needle)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      stopped.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  return stopped;
}

function main(argv) {
  const [cmd = 'install', ...ids] = argv;
  const wanted = ids.length ? ids : Object.keys(agentClis);
  if (cmd === 'install') {
    for (const id of wanted) console.log(`${id}: ${install(id)}`);
  } else if (cmd === 'path') {
    let missing = 0;
    for (const id of wanted) {
      const p = installedPath(id);
      if (!p) missing++;
      console.log(`${id}: ${p ?? '(not installed)'}`);
    }
    process.exitCode = missing ? 1 : 0;
  } else if (cmd === 'home') {
    process.stdout.write(`${JSON.stringify(makeAgentHome(ids))}\n`);
  } else if (cmd === 'stop' && ids.length === 1) {
    process.stdout.write(`${JSON.stringify(stopProcessesOfHome(ids[0]))}\n`);
  } else {
    console.error('usage: node scripts/agent-clis.mjs install|path|home [claude|codex|gemini|opencode …] | stop HOME');
    process.exitCode = 2;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
