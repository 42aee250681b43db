import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Session } from '../../../src/shared/domain';
import { makeSession } from '../../support/session-fixtures';
import { makeRootOwnedDir } from '../../support/root-owned-dir';
import {
  eventsFile,
  geminiWouldReadSystemSettings,
  hookPaths,
  type HookPaths,
} from '../../../src/main/engine/agents/hook-injection';
import { buildLaunchPlan } from '../../../src/main/engine/agents/launch-plan';

let dir: string;
let paths: HookPaths;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ms-launch-'));
  paths = hookPaths(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const session = (over: Partial<Session>) => makeSession('abc123', dir, { prompt: 'fix it', ...over });
const plan = (s: Session, hostEnv: Record<string, string> = {}) =>
  buildLaunchPlan(s, { paths, hostPath: '/usr/bin:/bin', ports: { base: 20010, count: 10 }, hostEnv });

describe('launch plans', () => {
  it('Claude Code: --settings with hooks, its permission mode, the prompt as the last argument', () => {
    const p = plan(
      session({
        agent: 'claude',
        program: '/usr/bin/claude',
        promptDelivery: 'arg',
        approval: { policy: 'agent', mode: 'acceptEdits' },
      }),
    );
    expect(p.args.slice(0, 2)).toEqual(['--permission-mode', 'acceptEdits']);
    expect(p.args[2]).toBe('--settings');
    expect(p.args[p.args.length - 1]).toBe('fix it');
    const settings = z
      .object({
        hooks: z.record(
          z.string(),
          z.array(z.object({ matcher: z.string().optional(), hooks: z.array(z.object({ command: z.string() })) })),
        ),
      })
      .parse(JSON.parse(readFileSync(p.args[3], 'utf8')));
    expect(Object.keys(settings.hooks)).toEqual(
      expect.arrayContaining(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'Notification', 'Stop']),
    );
    // The hook command really appends its event to the session's events file.
    execFileSync('/bin/sh', ['-c', settings.hooks.Stop[0].hooks[0].command]);
    execFileSync('/bin/sh', ['-c', settings.hooks.UserPromptSubmit[0].hooks[0].command]);
    expect(readFileSync(eventsFile(paths, 'abc123'), 'utf8')).toBe('finished\nbusy\n');
    expect(p.hookCoverage).toBe('full');
    expect(p.env).toMatchObject({ PORT: '20010', MULTISESSION_PORT: '20010', MULTISESSION_PORT_RANGE: '20010-20019' });
  });

  it('Codex: notify through -c, its approval policy, the prompt as an argument', () => {
    const p = plan(
      session({
        agent: 'codex',
        program: '/usr/bin/codex',
        promptDelivery: 'arg',
        approval: { policy: 'agent', mode: 'full-auto' },
      }),
    );
    expect(p.args.slice(0, 4)).toEqual(['--ask-for-approval', 'never', '--sandbox', 'workspace-write']);
    expect(p.args[4]).toBe('-c');
    const notify = /^notify=(.*)$/.exec(p.args[5])![1];
    const argv = z.array(z.string()).min(1).parse(JSON.parse(notify));
    // Codex appends its JSON payload as one more argument; the script ignores it.
    execFileSync(argv[0], [...argv.slice(1), '{"type":"agent-turn-complete"}']);
    expect(readFileSync(eventsFile(paths, 'abc123'), 'utf8')).toBe('finished\n');
    expect(p.hookCoverage).toBe('turn-end');
  });

  it('Gemini CLI: a per-session system settings file that keeps the machine’s own settings', () => {
    // Gemini reads a system settings file only from a root-owned folder nobody else may write.
    const secure = makeRootOwnedDir('ms-launch-gemini-');
    if (!secure) return expect(geminiWouldReadSystemSettings(join(dir, 'x.json'))).toBe(false);
    try {
      const securePaths = hookPaths(secure.path);
      const system = join(dir, 'system.json');
      writeFileSync(
        system,
        JSON.stringify({
          telemetry: { enabled: false },
          hooks: { AfterAgent: [{ hooks: [{ type: 'command', command: 'true' }] }] },
        }),
      );
      const p = buildLaunchPlan(session({ agent: 'gemini', program: '/usr/bin/gemini', promptDelivery: 'flag' }), {
        paths: securePaths,
        hostPath: '/usr/bin:/bin',
        ports: null,
        hostEnv: { GEMINI_CLI_SYSTEM_SETTINGS_PATH: system },
      });
      expect(p.args).toEqual(['--prompt-interactive', 'fix it']);
      expect(p.hookCoverage).toBe('full');
      const file = p.env.GEMINI_CLI_SYSTEM_SETTINGS_PATH;
      expect(geminiWouldReadSystemSettings(file)).toBe(true);
      const merged = z
        .object({ telemetry: z.unknown(), hooks: z.record(z.string(), z.array(z.unknown())) })
        .parse(JSON.parse(readFileSync(file, 'utf8')));
      expect(merged.telemetry).toEqual({ enabled: false });
      expect(merged.hooks.AfterAgent).toHaveLength(2);
      expect(merged.hooks.BeforeAgent).toHaveLength(1);
    } finally {
      secure.cleanup();
    }
  });

  it('Gemini CLI: no settings path Gemini would refuse (under /tmp), so no hooks are claimed', () => {
    const p = plan(session({ agent: 'gemini', program: '/usr/bin/gemini', promptDelivery: 'flag' }));
    expect(geminiWouldReadSystemSettings(join(dir, 'agent-hooks', 'x.json'))).toBe(false);
    expect(p.env.GEMINI_CLI_SYSTEM_SETTINGS_PATH).toBeUndefined();
    expect(p.hookCoverage).toBeNull();
    expect(p.args).toEqual(['--prompt-interactive', 'fix it']);
  });

  it('OpenCode: a per-session plugin through OPENCODE_CONFIG reports busy / waiting / idle', async () => {
    const p = plan(
      session({
        agent: 'opencode',
        program: '/usr/bin/opencode',
        promptDelivery: 'flag',
        approval: { policy: 'agent', mode: 'auto' },
      }),
    );
    expect(p.args).toEqual(['--auto', '--prompt', 'fix it']);
    expect(p.hookCoverage).toBe('full');
    const config = z
      .object({ plugin: z.array(z.string()) })
      .parse(JSON.parse(readFileSync(p.env.OPENCODE_CONFIG, 'utf8')));
    expect(config.plugin).toHaveLength(1);
    // The plugin as OpenCode runs it: one init, then bus events.
    const mod: unknown = await import(config.plugin[0]);
    const plugin = z.object({ MultisessionStatus: z.function() }).parse(mod).MultisessionStatus as () => Promise<{
      event: (e: { event: { type: string; properties?: unknown } }) => Promise<void>;
    }>;
    const hooks = await plugin();
    for (const event of [
      { type: 'session.status', properties: { status: { type: 'busy' } } },
      { type: 'permission.asked', properties: {} },
      { type: 'permission.replied', properties: {} },
      { type: 'message.updated', properties: {} },
      { type: 'session.idle', properties: {} },
    ])
      await hooks.event({ event });
    expect(readFileSync(eventsFile(paths, 'abc123'), 'utf8')).toBe('ready\nbusy\nwaiting\nbusy\nfinished\n');
  });

  it('OpenCode: a host config is carried over, and one that is not plain JSON is left alone', () => {
    const theirs = join(dir, 'theirs.json');
    writeFileSync(theirs, JSON.stringify({ model: 'x/y', plugin: ['their-plugin'] }));
    const s = session({ agent: 'opencode', program: '/usr/bin/opencode', promptDelivery: 'flag' });
    const merged = z
      .object({ model: z.string(), plugin: z.array(z.string()) })
      .parse(JSON.parse(readFileSync(plan(s, { OPENCODE_CONFIG: theirs }).env.OPENCODE_CONFIG, 'utf8')));
    expect(merged.model).toBe('x/y');
    expect(merged.plugin[0]).toBe('their-plugin');
    expect(merged.plugin).toHaveLength(2);
    writeFileSync(theirs, '{ // a comment: JSONC\n "model": "x/y" }');
    const kept = plan(s, { OPENCODE_CONFIG: theirs });
    expect(kept.env.OPENCODE_CONFIG).toBeUndefined();
    expect(kept.hookCoverage).toBeNull();
  });

  it('Aider: the prompt is typed once ready, notifications report the end of each turn', () => {
    const p = plan(session({ agent: 'aider', program: '/usr/bin/aider', promptDelivery: 'typed' }));
    expect(p.args.slice(0, 2)).toEqual(['--notifications', '--notifications-command']);
    expect(p.typeWhenReady).toBe('fix it');
  });

  it('a shell gets no prompt unless asked, and an agent found outside PATH gets its folder on PATH', () => {
    const shell = plan(session({ agent: 'shell', program: '/bin/bash', promptDelivery: 'not-sent' }));
    expect(shell.args).toEqual([]);
    expect(shell.typeWhenReady).toBeNull();
    expect(shell.env.PATH).toBeUndefined();
    expect(plan(session({ agent: 'shell', program: '/bin/bash', promptDelivery: 'typed' })).typeWhenReady).toBe(
      'fix it',
    );
    const local = plan(session({ agent: 'claude', program: '/home/u/.local/bin/claude', promptDelivery: 'arg' }));
    expect(local.env.PATH).toBe('/home/u/.local/bin:/usr/bin:/bin');
  });

  it('a restarted session does not get its prompt again', () => {
    const p = plan(session({ agent: 'claude', program: '/usr/bin/claude', promptDelivery: 'arg', promptSent: true }));
    expect(p.args).not.toContain('fix it');
  });
});
