import { describe, expect, it } from 'vitest';
import { answerFor, AnswerBudget, MAX_ANSWERS_PER_MINUTE } from './auto-approver';
import { StatusArbiter } from './status-arbiter';

describe('one status decision from hooks and screen', () => {
  it('without hooks the screen decides', () => {
    const a = new StatusArbiter();
    a.begin('s', null);
    expect(a.fromTerminal('s', 'busy', 'screen')).toEqual({ activity: 'busy', source: 'screen', finished: false });
    expect(a.fromTerminal('s', 'idle', 'screen')?.activity).toBe('idle');
  });

  it('once a fully hooked agent spoke, a quiet screen does not make it idle, but a dialog still shows', () => {
    const a = new StatusArbiter();
    a.begin('s', 'full');
    expect(a.fromTerminal('s', 'busy', 'screen')?.source).toBe('screen'); // hooks silent so far
    expect(a.fromHook('s', 'busy')).toEqual({ activity: 'busy', source: 'hooks', finished: false });
    expect(a.fromTerminal('s', 'idle', 'screen')).toBeNull(); // a long silent think
    expect(a.fromTerminal('s', 'waiting', 'screen')).toEqual({
      activity: 'waiting',
      source: 'screen',
      finished: false,
    });
    // A waiting gives way to the next report from anyone (the user answered and denied, say).
    expect(a.fromTerminal('s', 'idle', 'screen')?.activity).toBe('idle');
    expect(a.fromHook('s', 'busy')?.activity).toBe('busy');
    expect(a.fromHook('s', 'finished')).toEqual({ activity: 'idle', source: 'hooks', finished: true });
    expect(a.fromHook('s', 'finished')).toBeNull(); // no second "finished" for one turn
    expect(a.sourceOf('s')).toBe('hooks');
  });

  it('the screen agreeing with the hooks keeps the source; a dialog drawn after its hook is passed on again', () => {
    const a = new StatusArbiter();
    a.begin('s', 'full');
    a.fromHook('s', 'busy');
    expect(a.fromHook('s', 'waiting')).toEqual({ activity: 'waiting', source: 'hooks', finished: false });
    expect(a.fromTerminal('s', 'waiting', 'screen')).toEqual({ activity: 'waiting', source: 'hooks', finished: false });
    expect(a.sourceOf('s')).toBe('hooks');
    a.begin('s', 'turn-end');
    a.fromHook('s', 'finished');
    expect(a.fromTerminal('s', 'idle', 'screen')).toBeNull();
    expect(a.sourceOf('s')).toBe('hooks');
  });

  it('turn-end hooks (Codex, Aider) mark the end of a turn on top of the screen', () => {
    const a = new StatusArbiter();
    a.begin('s', 'turn-end');
    a.fromHook('s', 'ready');
    expect(a.fromTerminal('s', 'busy', 'screen')?.activity).toBe('busy');
    expect(a.fromHook('s', 'finished')).toEqual({ activity: 'idle', source: 'hooks', finished: true });
    expect(a.fromTerminal('s', 'busy', 'screen')?.activity).toBe('busy');
  });

  it('a new run forgets the old one; hooks of a session not running are ignored', () => {
    const a = new StatusArbiter();
    a.begin('s', 'full');
    a.fromHook('s', 'busy');
    a.end('s');
    expect(a.fromHook('s', 'busy')).toBeNull();
    a.begin('s', 'full');
    expect(a.fromTerminal('s', 'idle', 'screen')?.source).toBe('screen');
  });
});

describe('auto-yes', () => {
  it('answers each agent’s known confirmation with its own keys, and nothing else', () => {
    expect(answerFor('claude', ['Edit file', ' Do you want to make this edit to a.ts?', ' ❯ 1. Yes', '   2. No'])).toBe(
      '\r',
    );
    expect(answerFor('codex', ['Would you like to run the following command?', '$ rm -rf build'])).toBe('y');
    expect(answerFor('aider', ['Add .aider* to .gitignore (recommended)? (Y)es/(N)o [Yes]:'])).toBe('y\r');
    expect(answerFor('custom', ['Do you want to proceed? (y/n) '])).toBe('y');
    expect(answerFor('claude', ['What should I do next?'])).toBeNull();
    expect(answerFor('custom', ['Delete everything?'])).toBeNull();
    expect(answerFor('shell', ['Proceed? (y/n)'])).toBeNull();
  });

  it('stops answering a session that asks too often', () => {
    const b = new AnswerBudget();
    const t = 1_000_000;
    for (let i = 0; i < MAX_ANSWERS_PER_MINUTE; i++) expect(b.take('s', t + i)).toBe(true);
    expect(b.take('s', t + 100)).toBe(false);
    expect(b.take('other', t + 100)).toBe(true);
    expect(b.take('s', t + 61_000)).toBe(true);
  });
});
