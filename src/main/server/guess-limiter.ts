import type { Logger } from '../engine/core/logger';

export type GuessVerdict = 'ok' | 'wrong' | 'limited';

export interface GuessLimits {
  /** Wrong tokens per address per window checked at once; default 20. */
  freePerWindow?: number;
  windowMs?: number;
  /** Past the free ones, attempts wait in line and are checked at this rate; default 5 per second. */
  perSecondWhenThrottled?: number;
  /** At most this many attempts wait in line per address; more are refused unchecked; default 20. */
  maxWaiting?: number;
}

interface AddressState {
  failures: number;
  since: number;
  reported: number;
  waiting: number;
  nextSlot: number;
}

/**
 * Rate-limits access-token guesses per remote address and logs them in aggregate. The first wrong
 * tokens of a window are checked at once; past them every attempt from that address waits in a
 * short line checked at a few per second (so a brute force gets a few guesses a second at most)
 * and attempts beyond the line are refused unchecked. The right token is never refused outright:
 * the real user's page gets in after its turn in line. Logged: the first wrong token of a window at
 * once, then one line per window with the count — never one line per guess.
 */
export class GuessLimiter {
  private readonly state = new Map<string, AddressState>();
  private readonly freePerWindow: number;
  private readonly windowMs: number;
  private readonly spacingMs: number;
  private readonly maxWaiting: number;
  private timer: NodeJS.Timeout | null = null;
  /** Wrong tokens, and attempts refused unchecked, for stats and tests. */
  wrong = 0;
  limited = 0;

  constructor(
    private readonly log: Logger,
    limits: GuessLimits = {},
  ) {
    this.freePerWindow = limits.freePerWindow ?? 20;
    this.windowMs = limits.windowMs ?? 60_000;
    this.spacingMs = 1000 / (limits.perSecondWhenThrottled ?? 5);
    this.maxWaiting = limits.maxWaiting ?? 20;
  }

  /** Judges one attempt from `address`; `check` compares its token (called at most once, maybe later). */
  async judge(address: string, check: () => boolean): Promise<GuessVerdict> {
    const s = this.current(address);
    if (s && s.failures >= this.freePerWindow) {
      if (s.waiting >= this.maxWaiting) {
        this.limited++;
        return 'limited';
      }
      s.waiting++;
      const now = Date.now();
      const slot = Math.max(now, s.nextSlot);
      s.nextSlot = slot + this.spacingMs;
      await new Promise((r) => setTimeout(r, slot - now));
      s.waiting--;
    }
    if (check()) return 'ok';
    this.failed(address);
    return 'wrong';
  }

  close(): void {
    this.report(true);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private failed(address: string): void {
    this.wrong++;
    const now = Date.now();
    let s = this.state.get(address);
    if (!s) {
      s = { failures: 0, since: now, reported: 0, waiting: 0, nextSlot: now };
      this.state.set(address, s);
    }
    s.failures++;
    if (s.failures === 1) {
      this.log.warn(
        'serve',
        `a wrong access token came from ${address}; further ones are counted and reported per minute`,
      );
      s.reported = 1;
    }
    if (!this.timer) {
      this.timer = setInterval(() => this.report(false), this.windowMs);
      this.timer.unref();
    }
  }

  private current(address: string): AddressState | undefined {
    const s = this.state.get(address);
    if (s && s.waiting === 0 && Date.now() - s.since >= this.windowMs) {
      this.flush(address, s);
      this.state.delete(address);
      return undefined;
    }
    return s;
  }

  private flush(address: string, s: AddressState): void {
    const unreported = s.failures - s.reported;
    if (unreported <= 0) return;
    const throttled = s.failures > this.freePerWindow ? ' (throttled past the first ' + this.freePerWindow + ')' : '';
    this.log.warn(
      'serve',
      `${unreported} more wrong access token(s) from ${address} since ${new Date(s.since).toISOString()}${throttled}`,
    );
    s.reported = s.failures;
  }

  private report(all: boolean): void {
    const now = Date.now();
    for (const [address, s] of this.state) {
      this.flush(address, s);
      if (all || (s.waiting === 0 && now - s.since >= this.windowMs)) this.state.delete(address);
    }
    if (this.state.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
