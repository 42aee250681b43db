import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TerminalActivity } from '../../../src/shared/domain';
import { EventHub } from '../../../src/main/engine/rpc/event-hub';
import { silentLogger } from '../../../src/main/engine/core/logger';
import { readScreenStatus, rulesForAgent } from '../../../src/main/engine/terminals/status-rules';
import { RecordingPeer } from '../../support/recording-peer';
import { waitFor } from '../../support/wait-for';
import {
  defaultActivityTiming,
  evaluateActivity,
  initialActivityState,
  recordCpu,
  recordOutput,
  StatusDetector,
} from '../../../src/main/engine/terminals/status-detector';
import { buildPtyEnv, TerminalService, type TerminalExit } from '../../../src/main/engine/terminals/terminal-service';

const fakeAgent = resolve(__dirname, '../../fixtures/fake-agent.mjs');

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
  const ask = () => 'waiting' as const;
  const calm = () => null;

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

describe('screen rules', () => {
  const asks = (lines: string[], agent: string) => readScreenStatus(lines, rulesForAgent(agent)) === 'waiting';
  it('recognises each agent’s confirmation and the generic questions', () => {
    expect(asks(['Edit file', ' Do you want to make this edit to a.ts?', '❯ 1. Yes', '  2. No', ''], 'claude')).toBe(
      true,
    );
    expect(asks(['Allow execution of: npm test?', '● Yes, allow once'], 'gemini')).toBe(true);
    expect(asks(['Add a.py to the chat? (Y)es/(N)o [Yes]: '], 'aider')).toBe(true);
    expect(asks(['Would you like to run the following command?', '  $ ls', '› 1. Yes, proceed'], 'codex')).toBe(true);
    expect(asks(['Permission required', 'Allow once  Allow always  Reject'], 'opencode')).toBe(true);
    expect(asks(["rm: remove regular file 'x'?"], 'shell')).toBe(true);
    expect(asks(['Continue [Y/n] '], 'shell')).toBe(true);
    expect(asks(['$ ls', 'a b c', '$ '], 'shell')).toBe(false);
    expect(asks(['Do you want to proceed?', 'output', '$ '], 'shell')).toBe(false);
    expect(asks(['', '   ', ''], 'claude')).toBe(false);
  });

  it('an answered aider question that is still on screen no longer counts', () => {
    expect(asks(['Add a.py to the chat? (Y)es/(N)o [Yes]: y', 'Added a.py to the chat', '>'], 'aider')).toBe(false);
  });

  it('a working footer is busy', () => {
    expect(readScreenStatus(['✻ Thinking… (3s · esc to interrupt)', '❯ '], rulesForAgent('claude'))).toBe('busy');
  });
});

describe('busy from CPU', () => {
  const t = defaultActivityTiming;
  it('a silent program burning a core is busy; when it stops, idle', () => {
    const s = initialActivityState();
    recordCpu(s, 1000, 0.97, t, 2000);
    const calm = () => null;
    evaluateActivity(s, 1000, t, calm);
    const r = evaluateActivity(s, 1000 + t.holdMs, t, calm);
    expect(r.changed).toBe('busy');
    expect(s.source).toBe('cpu');
    recordCpu(s, 3000, 0.01, t, 2000);
    evaluateActivity(s, 3000, t, calm);
    expect(evaluateActivity(s, 3000 + t.holdMs, t, calm).changed).toBe('idle');
  });

  it('a question on screen wins over CPU use', () => {
    const s = initialActivityState();
    recordCpu(s, 0, 1, t, 2000);
    evaluateActivity(s, 0, t, () => 'waiting');
    expect(evaluateActivity(s, t.holdMs, t, () => 'waiting').changed).toBe('waiting');
    expect(s.source).toBe('screen');
  });
});
