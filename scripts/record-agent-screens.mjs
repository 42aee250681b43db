#!/usr/bin/env node
// Records the first screens of the real agent CLIs (trust prompts, login and auth pickers, main
// input screens) as fixtures for the status-rule tests: each fixture is the program's raw output
// from its start until that screen had settled, so a test replays it into a headless terminal of
// the recorded size and sees exactly what a user saw. Runs each CLI in a private HOME and a
// throwaway git repository, answering terminal queries as a light-themed terminal would.
//
//   node scripts/record-agent-screens.mjs [scenario…]   (default: all)
//
// Writes test/fixtures/agent-screens/<name>.ansi and index.json (size, expected status, note).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pty from 'node-pty';
import xtermHeadless from '@xterm/headless';
import { agentClis, makeAgentHome, stopProcessesOfHome } from './agent-clis.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test/fixtures/agent-screens');
const cols = 100;
const rows = 30;
const ENTER = '\r';
const DOWN = '\x1b[B';
const ESC = '\x1b';

/**
 * A scenario starts one CLI and walks its screens. `expect` is the status a user should see on
 * that screen: `waiting` when the program is asking the user something, `idle` otherwise.
 */
const scenarios = {
  claude: {
    cli: 'claude',
    steps: [
      { until: /trust this folder/, save: 'claude-trust-folder', expect: 'waiting', note: 'workspace trust prompt' },
      { keys: DOWN },
      {
        keys: ENTER,
        until: /Not logged in|\/login/,
        save: 'claude-main',
        expect: 'idle',
        note: 'main input, not logged in',
      },
      { keys: '/login' },
      {
        keys: ENTER,
        until: /Select login method/,
        save: 'claude-login-method',
        expect: 'waiting',
        note: '/login method picker',
      },
      {
        keys: ESC,
        until: /Login interrupted|Not logged in/,
        save: 'claude-login-cancelled',
        expect: 'idle',
        note: 'picker dismissed: the question was answered',
      },
    ],
  },
  'codex-login': {
    cli: 'codex',
    steps: [
      { until: /Sign in with ChatGPT/, save: 'codex-sign-in', expect: 'waiting', note: 'first-run sign-in picker' },
      {
        keys: '3',
        until: /OpenAI API key/,
        save: 'codex-sign-in-other',
        expect: 'waiting',
        note: '"sign in another way" picker',
      },
      {
        keys: ENTER,
        until: /Paste or type your API key/,
        save: 'codex-api-key',
        expect: 'waiting',
        note: 'API key entry',
      },
    ],
  },
  'codex-trust': {
    cli: 'codex',
    // A stored (fake) key skips sign-in, as for a user who logged in before; nothing is sent with it.
    before: 'printf sk-offline-fixture | codex login --with-api-key',
    steps: [
      { until: /Trust this folder\?/, save: 'codex-trust-folder', expect: 'waiting', note: 'folder trust prompt' },
      {
        keys: ENTER,
        until: /Ask Codex to do anything|OpenAI Codex/,
        save: 'codex-main',
        expect: 'idle',
        note: 'main input',
      },
    ],
  },
  gemini: {
    cli: 'gemini',
    steps: [
      {
        until: /Do you trust the files in this folder\?/,
        save: 'gemini-trust-folder',
        expect: 'waiting',
        note: 'folder trust dialog',
      },
      {
        keys: ENTER,
        until: /How would you like to authenticate/,
        save: 'gemini-auth-method',
        expect: 'waiting',
        note: 'auth method picker',
      },
      {
        keys: ENTER,
        until: /Enter the authorization code/,
        save: 'gemini-auth-code',
        expect: 'waiting',
        note: 'Google sign-in asks for the code',
      },
    ],
  },
  'gemini-key': {
    cli: 'gemini',
    env: { GEMINI_API_KEY: 'offline-fixture-key' },
    steps: [
      { until: /Do you trust the files in this folder\?/ },
      {
        keys: ENTER,
        until: /Existing API key detected/,
        save: 'gemini-auth-key-found',
        expect: 'waiting',
        note: 'auth picker offering the key',
      },
      {
        keys: ENTER,
        until: /Enter Gemini API Key/,
        save: 'gemini-api-key',
        expect: 'waiting',
        note: 'API key entry, prefilled',
      },
      {
        keys: ENTER,
        until: /Type your message|@path\/to\/file/,
        save: 'gemini-main',
        expect: 'idle',
        note: 'main input with an API key set',
      },
    ],
  },
  opencode: {
    cli: 'opencode',
    steps: [{ until: /Ask anything/, save: 'opencode-main', expect: 'idle', note: 'main input' }],
  },
};

/** Colours a light-themed terminal reports for OSC 10 (foreground) and OSC 11 (background). */
const oscColour = { 10: 'rgb:3333/3333/3333', 11: 'rgb:ffff/ffff/ffff' };

function screenText(term) {
  const b = term.buffer.active;
  const lines = [];
  for (let y = b.viewportY; y < b.viewportY + term.rows; y++) lines.push(b.getLine(y)?.translateToString(true) ?? '');
  return lines.join('\n');
}

async function runScenario(name, sc, index) {
  const { home, env } = makeAgentHome([sc.cli]);
  const repo = mkdtempSync(join(tmpdir(), 'ms-fixture-repo-'));
  const git = (...a) => execFileSync('git', a, { cwd: repo, env: { ...env, GIT_CONFIG_NOSYSTEM: '1' } });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'README.md'), '# fixture\n');
  git('add', '.');
  git('-c', 'user.name=fixture', '-c', 'user.email=fixture@example.invalid', 'commit', '-qm', 'init');
  const fullEnv = { ...env, TERM: 'xterm-256color', COLORTERM: 'truecolor', ...sc.env };
  if (sc.before) execFileSync('/bin/sh', ['-c', sc.before], { cwd: repo, env: fullEnv, stdio: 'ignore' });
  const term = new xtermHeadless.Terminal({ cols, rows, allowProposedApi: true, logLevel: 'off' });
  const bin = join(fullEnv.PATH.split(':')[0], agentClis[sc.cli].bin);
  const p = pty.spawn(bin, [], { name: 'xterm-256color', cols, rows, cwd: repo, env: fullEnv });
  let raw = '';
  let lastOutput = Date.now();
  let exited = false;
  term.onData((reply) => p.write(reply));
  p.onData((d) => {
    raw += d;
    lastOutput = Date.now();
    term.write(d);
    // eslint-disable-next-line no-control-regex -- OSC 10/11 colour queries are escape sequences
    for (const m of d.matchAll(/\x1b\](1[01]);\?(\x07|\x1b\\)/g)) p.write(`\x1b]${m[1]};${oscColour[m[1]]}${m[2]}`);
  });
  const exit = new Promise((r) => p.onExit(() => r((exited = true))));
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  try {
    for (const step of sc.steps) {
      if (step.keys) p.write(step.keys);
      if (!step.until) {
        await wait(300);
        continue;
      }
      const t0 = Date.now();
      // The screen must show the text and then stay quiet for a second (animations aside).
      for (;;) {
        await wait(100);
        await new Promise((r) => term.write('', r));
        const shown = step.until.test(screenText(term));
        if (shown && Date.now() - lastOutput > 1000) break;
        if (exited) throw new Error(`${name}: the program exited before ${step.until}:\n${screenText(term)}`);
        if (Date.now() - t0 > 60_000) throw new Error(`${name}: no ${step.until} within 60 s:\n${screenText(term)}`);
      }
      if (step.save) {
        writeFileSync(join(outDir, `${step.save}.ansi`), raw);
        index[step.save] = {
          cli: sc.cli,
          version: agentClis[sc.cli].version,
          cols,
          rows,
          expect: step.expect,
          note: step.note,
        };
        console.log(`${step.save}: ${step.expect} (${raw.length} chars)`);
      }
    }
  } finally {
    // The program may still be writing its config: let it go before its home is removed.
    p.kill();
    await Promise.race([exit, wait(5000)]);
    // Codex's detached app-server daemon (and anything else the CLI left) goes with its home.
    stopProcessesOfHome(home);
    term.dispose();
    rmSync(home, { recursive: true, force: true, maxRetries: 5 });
    rmSync(repo, { recursive: true, force: true, maxRetries: 5 });
  }
}

mkdirSync(outDir, { recursive: true });
const indexFile = join(outDir, 'index.json');
let index = {};
try {
  index = JSON.parse(readFileSync(indexFile, 'utf8'));
} catch {
  // First recording.
}
const wanted = process.argv.slice(2);
for (const [name, sc] of Object.entries(scenarios)) {
  if (wanted.length && !wanted.includes(name)) continue;
  await runScenario(name, sc, index);
  const sorted = Object.fromEntries(Object.entries(index).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(indexFile, `${JSON.stringify(sorted, null, 2)}\n`);
}
