import type { StatusSource, TerminalActivity } from '../../../shared/domain';
import type { HookCoverage, HookEvent } from './hook-injection';

/** One decided status change, with where it came from; `finished` marks the end of an agent's turn. */
export interface StatusDecision {
  activity: TerminalActivity;
  source: StatusSource;
  finished: boolean;
}

interface RunState {
  coverage: HookCoverage | null;
  hooksSpoke: boolean;
  current: TerminalActivity | null;
  source: StatusSource | null;
}

const activityOf: Record<HookEvent, TerminalActivity | null> = {
  ready: 'idle',
  busy: 'busy',
  waiting: 'waiting',
  idle: 'idle',
  finished: 'idle',
  ended: null,
};

/**
 * One decision from several status sources per session: the agent's own hooks over the screen
 * rules over output heuristics. Once a fully hooked agent (Claude Code, Gemini CLI) has spoken in
 * this run, its busy/idle stand — a long silent think is not "idle" because the screen is quiet —
 * but the screen may still raise `waiting` (a dialog no hook reported), and a `waiting` gives way
 * to whatever comes next. Agents whose hooks only mark the end of a turn (Codex, Aider) get that
 * event on top of the screen's decision: the latest report wins.
 */
export class StatusArbiter {
  private readonly runs = new Map<string, RunState>();

  /** A program (re)started: forget the previous run's sources. */
  begin(sessionId: string, coverage: HookCoverage | null): void {
    this.runs.set(sessionId, { coverage, hooksSpoke: false, current: null, source: null });
  }

  end(sessionId: string): void {
    this.runs.delete(sessionId);
  }

  /** The source that set the current status, if any. */
  sourceOf(sessionId: string): StatusSource | null {
    return this.runs.get(sessionId)?.source ?? null;
  }

  /** A hook event; returns the decision to apply, or null when nothing changes. */
  fromHook(sessionId: string, event: HookEvent): StatusDecision | null {
    const run = this.runs.get(sessionId);
    const activity = activityOf[event];
    if (!run || !activity) return null;
    run.hooksSpoke = true;
    const finished = event === 'finished' && run.current !== 'idle';
    if (run.current === activity && run.source === 'hooks' && !finished) return null;
    run.current = activity;
    run.source = 'hooks';
    return { activity, source: 'hooks', finished };
  }

  /** A change seen by the screen rules or output heuristics. */
  fromTerminal(
    sessionId: string,
    activity: TerminalActivity,
    source: 'screen' | 'output' | 'cpu',
  ): StatusDecision | null {
    const run = this.runs.get(sessionId);
    if (!run) return { activity, source, finished: false };
    const hooksRule = run.coverage === 'full' && run.hooksSpoke && run.source === 'hooks' && run.current !== 'waiting';
    if (hooksRule && activity !== 'waiting') return null;
    if (run.current === activity && run.source === source) return null;
    // The screen agreeing with what the hooks already said keeps the source shown "from hooks". A
    // dialog the hook reported is drawn only after it: that `waiting` is passed on again (same
    // status and source) so auto-yes looks at the screen once the question is on it.
    if (run.current === activity && run.source === 'hooks') {
      return activity === 'waiting' ? { activity, source: 'hooks', finished: false } : null;
    }
    run.current = activity;
    run.source = source;
    return { activity, source, finished: false };
  }
}
