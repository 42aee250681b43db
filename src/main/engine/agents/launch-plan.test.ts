import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Session } from '../../../shared/domain';
import { makeSession } from '../../../../test/support/session-fixtures';
import { eventsFile, hookPaths, type HookPaths } from './hook-injection';
import { buildLaunchPlan } from './launch-plan';

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
    const system = join(dir, 'system.json');
    writeFileSync(
      system,
      JSON.stringify({
        telemetry: { enabled: false },
        hooks: { AfterAgent: [{ hooks: [{ type: 'command', command: 'true' }] }] },
      }),
    );
    const p = plan(session({ agent: 'gemini', program: '/usr/bin/gemini', promptDelivery: 'flag' }), {
      GEMINI_CLI_SYSTEM_SETTINGS_PATH: system,
    });
    expect(p.args).toEqual(['--prompt-interactive', 'fix it']);
    const file = p.env.GEMINI_CLI_SYSTEM_SETTINGS_PATH;
    const merged = z
      .object({ telemetry: z.unknown(), hooks: z.record(z.string(), z.array(z.unknown())) })
      .parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(merged.telemetry).toEqual({ enabled: false });
    expect(merged.hooks.AfterAgent).toHaveLength(2);
    expect(merged.hooks.BeforeAgent).toHaveLength(1);
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
