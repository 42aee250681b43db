import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { parseJson } from '../../../shared/json';
import { shellQuote } from '../../../shared/command-line';
import type { AgentDef } from './agent-catalog';

/**
 * What a hook reports. `finished` is the end of a turn (the agent is idle again and the user may
 * want to know); `ended` is the agent's session closing (the exit handler takes it from there).
 */
export type HookEvent = 'ready' | 'busy' | 'waiting' | 'idle' | 'finished' | 'ended';
export const hookEvents: readonly HookEvent[] = ['ready', 'busy', 'waiting', 'idle', 'finished', 'ended'];

/** Which activities an agent's hooks can tell on their own; partial coverage leaves the rest to the screen. */
export type HookCoverage = 'full' | 'turn-end';

export function hookCoverage(agent: AgentDef): HookCoverage | null {
  switch (agent.hooks) {
    case 'claude-settings':
    case 'gemini-settings':
      return 'full';
    case 'opencode-plugin':
      return 'full';
    case 'codex-notify':
    case 'aider-notify':
      return 'turn-end';
    default:
      return null;
  }
}

/**
 * The one script every hook runs: appends the event name to the session's events file. O_APPEND
 * writes this small are atomic, the file survives the app being closed, and it needs no socket,
 * no node and no environment variable. stdin (Claude's and Gemini's JSON) is left unread.
 */
const EMIT_SCRIPT = `#!/bin/sh
# Multisession: records an agent's own status event for one session. Args: <events file> <event>.
printf '%s\\n' "$2" >> "$1"
`;

export interface HookPaths {
  /** `<data dir>/agent-hooks`: the emit script and per-session settings files. */
  hooksDir: string;
  /** `<data dir>/agent-events`: one `<sessionId>.log` per session. */
  eventsDir: string;
}

export function hookPaths(dataDir: string): HookPaths {
  return { hooksDir: join(dataDir, 'agent-hooks'), eventsDir: join(dataDir, 'agent-events') };
}

export function eventsFile(paths: HookPaths, sessionId: string): string {
  return join(paths.eventsDir, `${sessionId}.log`);
}

function emitScript(paths: HookPaths): string {
  const script = join(paths.hooksDir, 'emit.sh');
  mkdirSync(paths.hooksDir, { recursive: true, mode: 0o700 });
  mkdirSync(paths.eventsDir, { recursive: true, mode: 0o700 });
  if (!existsSync(script) || readFileSync(script, 'utf8') !== EMIT_SCRIPT) {
    writeFileSync(script, EMIT_SCRIPT, { mode: 0o700 });
  }
  return script;
}

/** A shell command line that records `event` for the session. */
function emitCommand(paths: HookPaths, sessionId: string, event: HookEvent): string {
  return `/bin/sh ${shellQuote(emitScript(paths))} ${shellQuote(eventsFile(paths, sessionId))} ${event}`;
}

type HookTable = Record<string, { matcher?: string; event: HookEvent }[]>;

/** Claude Code hook events → what they tell (https://docs.claude.com/en/docs/claude-code/hooks). */
const claudeHooks: HookTable = {
  SessionStart: [{ event: 'ready' }],
  UserPromptSubmit: [{ event: 'busy' }],
  PreToolUse: [{ matcher: '*', event: 'busy' }],
  PostToolUse: [{ matcher: '*', event: 'busy' }],
  PermissionRequest: [{ matcher: '*', event: 'waiting' }],
  Notification: [
    { matcher: 'permission_prompt', event: 'waiting' },
    { matcher: 'elicitation_dialog', event: 'waiting' },
    { matcher: 'idle_prompt', event: 'idle' },
  ],
  Stop: [{ event: 'finished' }],
  // A turn that ended on an API error (not logged in, rate limit): the agent waits for the user again.
  StopFailure: [{ event: 'idle' }],
  SessionEnd: [{ event: 'ended' }],
};

/** Gemini CLI hook events (geminicli.com/docs/hooks/reference). */
const geminiHooks: HookTable = {
  SessionStart: [{ event: 'ready' }],
  BeforeAgent: [{ event: 'busy' }],
  BeforeTool: [{ matcher: '.*', event: 'busy' }],
  AfterTool: [{ matcher: '.*', event: 'busy' }],
  Notification: [{ event: 'waiting' }],
  AfterAgent: [{ event: 'finished' }],
  SessionEnd: [{ event: 'ended' }],
};

function hookSettings(table: HookTable, paths: HookPaths, sessionId: string): Record<string, unknown> {
  const hooks: Record<string, unknown[]> = {};
  for (const [name, entries] of Object.entries(table)) {
    hooks[name] = entries.map((e) => ({
      ...(e.matcher ? { matcher: e.matcher } : {}),
      hooks: [{ type: 'command', command: emitCommand(paths, sessionId, e.event), timeout: 10 }],
    }));
  }
  return { hooks };
}

/** Where Gemini CLI reads its system settings unless told otherwise (an admin's file must be kept). */
function geminiSystemSettingsPath(hostEnv: Record<string, string | undefined>): string {
  if (hostEnv.GEMINI_CLI_SYSTEM_SETTINGS_PATH) return hostEnv.GEMINI_CLI_SYSTEM_SETTINGS_PATH;
  if (process.platform === 'darwin') return '/Library/Application Support/GeminiCli/settings.json';
  return '/etc/gemini-cli/settings.json';
}

/**
 * Whether Gemini CLI would read a system settings file at `file`: it skips one (with a warning on
 * screen) unless the file and every folder above it belong to root and nobody else may write
 * them. Checked before injecting, so a session never shows that warning nor claims hooks that
 * cannot run; for anyone but root the status comes from the screen instead.
 */
export function geminiWouldReadSystemSettings(file: string): boolean {
  if (process.platform === 'win32' || typeof process.getuid !== 'function' || process.getuid() !== 0) return false;
  const secure = (p: string) => {
    try {
      const st = statSync(p);
      const link = lstatSync(p);
      return st.uid === 0 && (st.mode & 0o022) === 0 && (!link.isSymbolicLink() || link.uid === 0);
    } catch {
      return false;
    }
  };
  let dir: string;
  try {
    dir = realpathSync(dirname(file));
  } catch {
    return false;
  }
  for (;;) {
    if (!secure(dir)) return false;
    const up = dirname(dir);
    if (up === dir) return true;
    dir = up;
  }
}

function readJsonObject(path: string, fallback: Record<string, unknown>): Record<string, unknown>;
function readJsonObject(path: string, fallback: null): Record<string, unknown> | null;
function readJsonObject(path: string, fallback: Record<string, unknown> | null): Record<string, unknown> | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
  const v = parseJson(z.record(z.string(), z.unknown()), text);
  return v.ok ? v.value : fallback;
}

/**
 * OpenCode's per-session status: a plugin (OpenCode loads JS plugins named in its config) that
 * appends our event names for the bus events that tell busy / waiting / idle. `\0` is replaced by
 * the session's events file.
 */
const OPENCODE_PLUGIN = `// Multisession: reports this OpenCode session's status to the Multisession app.
import { appendFileSync } from 'node:fs';
const file = \0;
const emit = (event) => {
  try {
    appendFileSync(file, event + '\\n');
  } catch {}
};
export const MultisessionStatus = async () => {
  emit('ready');
  return {
    event: async ({ event }) => {
      const t = event.type;
      if (t === 'session.status') {
        const s = event.properties?.status?.type;
        emit(s === 'idle' ? 'idle' : 'busy');
      } else if (t === 'session.idle') emit('finished');
      else if (t === 'permission.asked' || t === 'question.asked') emit('waiting');
      else if (t === 'permission.replied' || t === 'question.replied' || t === 'question.rejected') emit('busy');
      else if (t === 'session.error') emit('idle');
    },
  };
};
`;

export interface HookInjection {
  args: string[];
  env: Record<string, string>;
  /** Files written for this session (removed when the session ends). */
  files: string[];
}

/**
 * The per-session arguments, environment and files that make the agent report its own status —
 * never a change to the user's global configuration.
 */
export function injectHooks(
  agent: AgentDef,
  sessionId: string,
  paths: HookPaths,
  hostEnv: Record<string, string | undefined> = process.env,
): HookInjection {
  const none: HookInjection = { args: [], env: {}, files: [] };
  switch (agent.hooks) {
    case 'claude-settings': {
      // --settings adds a settings layer for this run only; the user's own hooks keep running.
      const file = join(paths.hooksDir, `${sessionId}.claude.json`);
      emitScript(paths);
      writeFileSync(file, JSON.stringify(hookSettings(claudeHooks, paths, sessionId), null, 2), { mode: 0o600 });
      return { args: ['--settings', file], env: {}, files: [file] };
    }
    case 'gemini-settings': {
      // Gemini takes no settings file on its command line; its system-settings path is the one
      // per-process layer. Whatever the machine's system settings hold is carried over.
      const file = join(paths.hooksDir, `${sessionId}.gemini.json`);
      emitScript(paths);
      if (!geminiWouldReadSystemSettings(file)) return none;
      const base = readJsonObject(geminiSystemSettingsPath(hostEnv), {});
      const ours = hookSettings(geminiHooks, paths, sessionId);
      const theirHooks = (base.hooks && typeof base.hooks === 'object' ? base.hooks : {}) as Record<string, unknown[]>;
      const merged: Record<string, unknown[]> = { ...theirHooks };
      for (const [k, v] of Object.entries(ours.hooks as Record<string, unknown[]>)) {
        merged[k] = [...(theirHooks[k] ?? []), ...v];
      }
      writeFileSync(file, JSON.stringify({ ...base, hooks: merged }, null, 2), { mode: 0o600 });
      return { args: [], env: { GEMINI_CLI_SYSTEM_SETTINGS_PATH: file }, files: [file] };
    }
    case 'codex-notify': {
      // Codex runs `notify` with the event JSON appended as one more argument (ignored by the script).
      const argv = ['/bin/sh', emitScript(paths), eventsFile(paths, sessionId), 'finished'];
      return { args: ['-c', `notify=${JSON.stringify(argv)}`], env: {}, files: [] };
    }
    case 'opencode-plugin': {
      // OPENCODE_CONFIG adds a config layer on top of the user's own (theirs stays in effect); a
      // config the host already points at is carried over with our plugin added to its list.
      const plugin = join(paths.hooksDir, `${sessionId}.opencode-status.mjs`);
      const file = join(paths.hooksDir, `${sessionId}.opencode.json`);
      // A host config we cannot read as plain JSON (JSONC) is left in effect rather than replaced.
      const base = hostEnv.OPENCODE_CONFIG ? readJsonObject(hostEnv.OPENCODE_CONFIG, null) : {};
      if (!base) return none;
      emitScript(paths);
      writeFileSync(plugin, OPENCODE_PLUGIN.replace('\0', JSON.stringify(eventsFile(paths, sessionId))), {
        mode: 0o600,
      });
      const theirs = Array.isArray(base.plugin) ? (base.plugin as unknown[]) : [];
      writeFileSync(file, JSON.stringify({ ...base, plugin: [...theirs, pathToFileURL(plugin).href] }, null, 2), {
        mode: 0o600,
      });
      return { args: [], env: { OPENCODE_CONFIG: file }, files: [file, plugin] };
    }
    case 'aider-notify':
      // Aider runs the notifications command whenever it waits for the user's input.
      return {
        args: ['--notifications', '--notifications-command', emitCommand(paths, sessionId, 'finished')],
        env: {},
        files: [],
      };
    default:
      return none;
  }
}

/** Removes a session's hook files and its events file. */
export function removeHookFiles(paths: HookPaths, sessionId: string): void {
  for (const f of [
    join(paths.hooksDir, `${sessionId}.claude.json`),
    join(paths.hooksDir, `${sessionId}.gemini.json`),
    join(paths.hooksDir, `${sessionId}.opencode.json`),
    join(paths.hooksDir, `${sessionId}.opencode-status.mjs`),
    eventsFile(paths, sessionId),
  ]) {
    rmSync(f, { force: true });
  }
}
