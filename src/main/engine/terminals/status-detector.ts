import type { TerminalActivity } from '../../../shared/domain';
import { readScreenStatus, rulesForAgent, type StatusRules } from './status-rules';

/** What decided an activity: the screen rules, the program's output, or its CPU use. */
export type ActivitySource = 'screen' | 'output' | 'cpu';

export interface ActivityTiming {
  /** Busy lasts this long after the last output. */
  busyWindowMs: number;
  /** Outputs closer together than this are one burst. */
  burstGapMs: number;
  /** A burst must go on this long to count as busy (one-off redraws are not work). */
  sustainMs: number;
  /** Quiet needed before the screen is read for a question. */
  settleMs: number;
  /** A new state must hold this long before it is reported, so the status does not flicker. */
  holdMs: number;
  /** Output this soon after the user typed is echo, not the program working. */
  echoWindowMs: number;
  /** CPU use of the process tree above this share of one core counts as working. */
  cpuBusyShare: number;
}

export const defaultActivityTiming: ActivityTiming = {
  busyWindowMs: 1500,
  burstGapMs: 500,
  sustainMs: 300,
  settleMs: 500,
  holdMs: 300,
  echoWindowMs: 150,
  cpuBusyShare: 0.3,
};

/** What the detector has seen so far; kept apart from timers so the decision is a pure function. */
export interface ActivityState {
  activity: TerminalActivity;
  candidate: TerminalActivity;
  candidateSince: number;
  lastOutputAt: number | null;
  lastAnyOutputAt: number | null;
  burstStart: number;
  lastInputAt: number | null;
  /** Until when a CPU sample said the program works (null: no such sample). */
  cpuBusyUntil: number | null;
  /** What decided the current activity. */
  source: ActivitySource;
  candidateSource: ActivitySource;
}

export function initialActivityState(): ActivityState {
  return {
    activity: 'idle',
    candidate: 'idle',
    candidateSince: 0,
    lastOutputAt: null,
    lastAnyOutputAt: null,
    burstStart: 0,
    lastInputAt: null,
    cpuBusyUntil: null,
    source: 'output',
    candidateSource: 'output',
  };
}

/** Records output at `now`; output right after input is echo and only resets the quiet clock. */
export function recordOutput(s: ActivityState, now: number, t: ActivityTiming): void {
  s.lastAnyOutputAt = now;
  if (s.lastInputAt !== null && now - s.lastInputAt < t.echoWindowMs) return;
  if (s.lastOutputAt === null || now - s.lastOutputAt > t.burstGapMs) s.burstStart = now;
  s.lastOutputAt = now;
}

/** A CPU sample: the tree used `share` of a core over the last interval. */
export function recordCpu(s: ActivityState, now: number, share: number, t: ActivityTiming, intervalMs: number): void {
  s.cpuBusyUntil = share >= t.cpuBusyShare ? now + intervalMs + t.holdMs : null;
}

export interface Evaluation {
  /** The newly reported activity, if it changed. */
  changed: TerminalActivity | null;
  /** When to evaluate again, or null when nothing can change without new output. */
  nextAt: number | null;
}

/**
 * Decides the activity at `now`: busy while sustained output continues, then — once quiet —
 * what the screen shows (a question: waiting; the agent's working footer: busy), else busy while
 * the process tree burns CPU, else idle. `readScreen` is only called when the output has settled,
 * so a flooding program never pays for screen reads.
 */
export function evaluateActivity(
  s: ActivityState,
  now: number,
  t: ActivityTiming,
  readScreen: () => 'waiting' | 'busy' | null,
): Evaluation {
  const deadlines: number[] = [];
  let raw: TerminalActivity | null;
  let source: ActivitySource = 'output';
  const out = s.lastOutputAt;
  const sustained =
    out !== null && (s.activity === 'busy' || s.candidate === 'busy' || out - s.burstStart >= t.sustainMs);
  if (out !== null && now - out < t.busyWindowMs && sustained) {
    raw = 'busy';
    deadlines.push(out + t.busyWindowMs);
  } else if (s.lastAnyOutputAt !== null && now - s.lastAnyOutputAt < t.settleMs) {
    raw = null; // still settling: keep whatever is pending
    deadlines.push(Math.min(s.lastAnyOutputAt + t.settleMs, now + t.holdMs));
  } else {
    const screen = readScreen();
    if (screen) {
      raw = screen;
      source = 'screen';
    } else if (s.cpuBusyUntil !== null && now < s.cpuBusyUntil) {
      raw = 'busy';
      source = 'cpu';
      deadlines.push(s.cpuBusyUntil);
    } else {
      raw = 'idle';
    }
  }
  let changed: TerminalActivity | null = null;
  if (raw !== null) {
    if (raw === s.activity) {
      s.candidate = raw;
      s.source = source;
    } else {
      if (raw !== s.candidate) {
        s.candidate = raw;
        s.candidateSince = now;
      }
      s.candidateSource = source;
      if (now - s.candidateSince >= t.holdMs) {
        s.activity = raw;
        s.source = source;
        changed = raw;
      } else {
        deadlines.push(s.candidateSince + t.holdMs);
      }
    }
  }
  const nextAt = deadlines.length ? Math.max(now + 20, Math.min(...deadlines)) : null;
  return { changed, nextAt };
}

/**
 * Per-terminal busy / idle / waiting detection. It costs nothing while a terminal is quiet:
 * a single timeout is armed by output and re-armed only while a state change is still possible.
 */
export class StatusDetector {
  private readonly state = initialActivityState();
  private readonly timing: ActivityTiming;
  private readonly rules: readonly StatusRules[];
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private stopped = false;

  constructor(
    private readonly opts: {
      agent?: string;
      /** The visible lines of the screen, top to bottom. */
      readScreen: () => string[];
      onChange: (activity: TerminalActivity, source: ActivitySource) => void;
      timing?: Partial<ActivityTiming>;
    },
  ) {
    this.timing = { ...defaultActivityTiming, ...opts.timing };
    this.rules = rulesForAgent(opts.agent);
  }

  get activity(): TerminalActivity {
    return this.state.activity;
  }

  get source(): ActivitySource {
    return this.state.source;
  }

  /**
   * The user typed. A question on screen may have been answered: look again once the program had
   * time to redraw, even if it prints nothing (an answered dialog that just disappears).
   */
  noteInput(): void {
    const now = Date.now();
    this.state.lastInputAt = now;
    if (!this.stopped && this.state.activity === 'waiting' && !this.timer) this.arm(now + this.timing.settleMs);
  }

  /** A CPU sample of the program's process tree: `share` of one core over the last `intervalMs`. */
  noteCpu(share: number, intervalMs: number): void {
    if (this.stopped) return;
    const now = Date.now();
    const wasBusy = this.state.cpuBusyUntil !== null;
    recordCpu(this.state, now, share, this.timing, intervalMs);
    if ((wasBusy || this.state.cpuBusyUntil !== null) && !this.timer) this.arm(now);
  }

  noteOutput(): void {
    if (this.stopped) return;
    const now = Date.now();
    recordOutput(this.state, now, this.timing);
    if (!this.timer) this.arm(now + Math.min(this.timing.holdMs, this.timing.settleMs));
  }

  /** No more events (the program exited or the terminal is gone); the activity reads idle. */
  stop(): void {
    this.stopped = true;
    this.clear();
    this.state.activity = 'idle';
  }

  private arm(at: number): void {
    this.clear();
    this.timerAt = at;
    this.timer = setTimeout(() => this.tick(), Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private tick(): void {
    this.timer = null;
    if (this.stopped) return;
    const { changed, nextAt } = evaluateActivity(this.state, Date.now(), this.timing, () =>
      readScreenStatus(this.opts.readScreen(), this.rules),
    );
    if (nextAt !== null) this.arm(nextAt);
    if (changed) this.opts.onChange(changed, this.state.source);
  }

  /** For diagnostics: when the next evaluation is due, or null when nothing is armed. */
  nextEvaluationAt(): number | null {
    return this.timer ? this.timerAt : null;
  }
}
