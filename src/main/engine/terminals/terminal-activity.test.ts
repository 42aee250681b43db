import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TerminalActivity } from '../../../shared/domain';
import { EventHub } from '../rpc/event-hub';
import { silentLogger } from '../core/logger';
import { patternsForAgent, screenAsksUser } from './agent-prompts';
import { RecordingPeer } from '../../../../test/support/recording-peer';
import { waitFor } from '../../../../test/support/wait-for';
import {
  defaultActivityTiming,
  evaluateActivity,
  initialActivityState,
  recordOutput,
  StatusDetector,
} from './status-detector';
import { buildPtyEnv, TerminalService, type TerminalExit } from './terminal-service';

const fakeAgent = resolve(__dirname, '../../../../test/fixtures/fake-agent.mjs');

describe('activity of a real program', () => {
  let hub: EventHub;
  let service: TerminalService;
  let dir: string;

  beforeEach(() => {
    hub = new EventHub();
    service = new TerminalService({ hub, log: silentLogger });
    dir = mkdtempSync(join(tmpdir(), 'ms-activity-'));
  });

  afterEach(async () => {
    await service.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the fake agent goes busy → waiting → busy → exited 0', async () => {
    const seen: TerminalActivity[] = [];
    const broadcast = new RecordingPeer('watcher', null);
    hub.addPeer(broadcast);
    service.onActivity((sessionId, activity) => {
      if (sessionId === 'agent') seen.push(activity);
    });
    let exit: TerminalExit | null = null;
    service.onExit((e) => {
      exit = e;
    });
    service.spawn({
      sessionId: 'agent',
      file: fakeAgent,
      args: ['--spin-ms', '2000', '--work-ms', '2500', '--prompt', 'fix the bug'],
      cwd: dir,
      env: buildPtyEnv({}),
      agent: 'claude',
    });
    await waitFor('busy', () => seen.includes('busy'), 20_000);
    await waitFor('waiting', () => seen.includes('waiting'), 20_000);
    expect(service.stats('agent')?.activity).toBe('waiting');
    expect(service.screenLines('agent')?.join('\n')).toContain('Do you want to proceed?');
    service.input('agent', 'y');
    await waitFor('busy again', () => seen.lastIndexOf('busy') > seen.indexOf('waiting'), 20_000);
    await waitFor('exit', () => exit !== null, 20_000);
    expect(exit).toEqual({ sessionId: 'agent', exitCode: 0, signal: null });
    const order = seen.filter((a, i) => i === 0 || a !== seen[i - 1]);
    const b1 = order.indexOf('busy');
    const w = order.indexOf('waiting', b1);
    const b2 = order.indexOf('busy', w);
    expect(b1).toBeGreaterThanOrEqual(0);
    expect(w).toBeGreaterThan(b1);
    expect(b2).toBeGreaterThan(w);
    expect(readFileSync(join(dir, 'AGENT_EDIT.md'), 'utf8')).toContain('fix the bug');
    // Activity and exit were broadcast to every connected client too.
    expect(broadcast.events.some((e) => e.name === 'terminals.activity')).toBe(true);
    expect(broadcast.events.at(-1)?.name).toBe('terminals.exit');
  });

  it('answering n exits 1 without editing', async () => {
    service.spawn({
      sessionId: 'no',
      file: fakeAgent,
      args: ['--spin-ms', '200'],
      cwd: dir,
      env: buildPtyEnv({}),
      agent: 'claude',
    });
    await waitFor('prompt', () => service.screenLines('no')?.some((l) => l.includes('Do you want to proceed?')));
    service.input('no', 'n');
    const exit = await new Promise<TerminalExit>((r) => service.onExit(r));
    expect(exit.exitCode).toBe(1);
    expect(existsSync(join(dir, 'AGENT_EDIT.md'))).toBe(false);
  });

  it('a quiet shell prompt reads idle, a question from a command reads waiting', async () => {
    const seen: TerminalActivity[] = [];
    service.onActivity((_, a) => seen.push(a));
    service.spawn({
      sessionId: 'sh',
      file: 'bash',
      args: ['--norc', '--noprofile', '-i'],
      cwd: dir,
      env: buildPtyEnv({ PS1: '$ ' }),
      agent: 'shell',
    });
    service.input('sh', 'read -p "Delete everything? " answer\r');
    await waitFor('waiting', () => service.stats('sh')?.activity === 'waiting', 20_000);
    service.input('sh', 'no\r');
    await waitFor('idle', () => service.stats('sh')?.activity === 'idle', 20_000);
    expect(seen).toEqual(['waiting', 'idle']);
  });
});

describe('activity decisions', () => {
  const t = defaultActivityTiming;
  const ask = () => true;
  const calm = () => false;

  it('one short burst is not busy; sustained output is, and quiet makes it idle', () => {
    const s = initialActivityState();
    recordOutput(s, 1000, t);
    expect(evaluateActivity(s, 1000 + t.settleMs, t, calm).changed).toBeNull();
    for (let at = 2000; at <= 2600; at += 100) recordOutput(s, at, t);
    expect(evaluateActivity(s, 2600, t, calm).changed).toBeNull(); // must hold first
    const held = evaluateActivity(s, 2600 + t.holdMs, t, calm);
    expect(held.changed).toBe('busy');
    expect(held.nextAt).toBe(2600 + t.busyWindowMs);
    expect(evaluateActivity(s, 2600 + t.busyWindowMs, t, calm).changed).toBeNull();
    expect(evaluateActivity(s, 2600 + t.busyWindowMs + t.holdMs, t, calm).changed).toBe('idle');
    expect(evaluateActivity(s, 9999, t, calm).nextAt).toBeNull(); // nothing armed when settled
  });

  it('a question on a quiet screen is waiting; echo of typing does not make it busy', () => {
    const s = initialActivityState();
    recordOutput(s, 0, t);
    evaluateActivity(s, t.settleMs, t, ask);
    expect(evaluateActivity(s, t.settleMs + t.holdMs, t, ask).changed).toBe('waiting');
    s.lastInputAt = 5000;
    for (let at = 5010; at < 5000 + t.echoWindowMs; at += 20) recordOutput(s, at, t);
    expect(s.lastOutputAt).toBe(0);
    expect(evaluateActivity(s, 6000, t, ask).changed).toBeNull();
    expect(s.activity).toBe('waiting');
  });
});

describe('StatusDetector timers', () => {
  it('arms one timeout on output and none once the state has settled', async () => {
    const changes: TerminalActivity[] = [];
    const detector = new StatusDetector({
      readScreen: () => ['Proceed? (y/n)'],
      onChange: (a) => changes.push(a),
      timing: { settleMs: 40, holdMs: 30, busyWindowMs: 100, sustainMs: 20, burstGapMs: 50 },
    });
    expect(detector.nextEvaluationAt()).toBeNull();
    detector.noteOutput();
    expect(detector.nextEvaluationAt()).not.toBeNull();
    await waitFor('waiting', () => detector.activity === 'waiting', 10_000);
    await waitFor('timer disarmed', () => detector.nextEvaluationAt() === null, 10_000);
    expect(changes).toEqual(['waiting']);
    detector.stop();
    detector.noteOutput();
    expect(detector.nextEvaluationAt()).toBeNull();
  });
});

describe('agent prompts', () => {
  it('recognises each agent’s confirmation and the generic questions', () => {
    const claude = patternsForAgent('claude');
    expect(
      screenAsksUser(['Edit file', ' Do you want to make this edit to a.ts?', '❯ 1. Yes', '  2. No', ''], claude),
    ).toBe(true);
    expect(screenAsksUser(['Allow execution of: npm test?', '● Yes, allow once'], patternsForAgent('gemini'))).toBe(
      true,
    );
    expect(screenAsksUser(['Add a.py to the chat? (Y)es/(N)o [Yes]: '], patternsForAgent('aider'))).toBe(true);
    expect(
      screenAsksUser(
        ['Would you like to run the following command?', '  $ ls', '› 1. Yes, proceed'],
        patternsForAgent('codex'),
      ),
    ).toBe(true);
    expect(
      screenAsksUser(['Permission required', 'Allow once  Allow always  Reject'], patternsForAgent('opencode')),
    ).toBe(true);
    expect(screenAsksUser(["rm: remove regular file 'x'?"], patternsForAgent('shell'))).toBe(true);
    expect(screenAsksUser(['Continue [Y/n] '], [])).toBe(true);
    expect(screenAsksUser(['$ ls', 'a b c', '$ '], patternsForAgent('shell'))).toBe(false);
    expect(screenAsksUser(['Do you want to proceed?', 'output', '$ '], patternsForAgent('shell'))).toBe(false);
    expect(screenAsksUser(['', '   ', ''], claude)).toBe(false);
  });
});
