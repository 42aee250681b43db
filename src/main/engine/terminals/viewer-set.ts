import type { Peer } from '../rpc/peer';
import type { ReportedColours } from './headless-screen';

/**
 * How one terminal's size follows several viewers (a tab, a second window, `attach`), as tmux's
 * `window-size`: `latest` — the size of the viewer used most recently (attached, resized, focused
 * or typed in); `smallest` — the smallest width and height among all viewers, so every one shows
 * the whole screen.
 */
export type SizePolicy = 'latest' | 'smallest';

export interface TerminalSize {
  cols: number;
  rows: number;
}

interface Viewer {
  /** The size this viewer wants (its window), when it said. */
  wanted: TerminalSize | null;
  /** Order of last use; higher is more recent. */
  lastUse: number;
  colours: ReportedColours | null;
}

/**
 * The viewers of one terminal and the decisions that depend on all of them: the terminal's size
 * under the size policy, and the primary viewer — the most recently used one — which alone
 * answers the program's terminal queries and whose colours are reported when the host answers.
 */
export class ViewerSet {
  private readonly viewers = new Map<Peer, Viewer>();
  private clock = 0;
  /** The colours of the last primary viewer that reported any, kept after it leaves. */
  private lastColours: ReportedColours | null = null;

  get size(): number {
    return this.viewers.size;
  }

  has(peer: Peer): boolean {
    return this.viewers.has(peer);
  }

  peers(): Peer[] {
    return [...this.viewers.keys()];
  }

  /** Adds (or re-adds) a viewer; attaching is using it. */
  add(peer: Peer, wanted: TerminalSize | null, colours: ReportedColours | null): void {
    this.viewers.set(peer, { wanted, lastUse: ++this.clock, colours });
    if (colours) this.lastColours = colours;
  }

  remove(peer: Peer): boolean {
    return this.viewers.delete(peer);
  }

  /** The viewer was used (typed in, focused); false when it is not a viewer. */
  touch(peer: Peer): boolean {
    const v = this.viewers.get(peer);
    if (!v) return false;
    v.lastUse = ++this.clock;
    if (v.colours) this.lastColours = v.colours;
    return true;
  }

  /** The viewer's window changed size; a resize is also a use. */
  want(peer: Peer, size: TerminalSize): boolean {
    const v = this.viewers.get(peer);
    if (!v) return false;
    v.wanted = size;
    return this.touch(peer);
  }

  /** The most recently used viewer, or null when none is attached. */
  primary(): Peer | null {
    let best: Peer | null = null;
    let bestUse = -1;
    for (const [peer, v] of this.viewers) {
      if (v.lastUse > bestUse) {
        best = peer;
        bestUse = v.lastUse;
      }
    }
    return best;
  }

  /** The colours the host reports for the program: the primary viewer's, else the last known. */
  colours(): ReportedColours | null {
    const p = this.primary();
    return (p && this.viewers.get(p)?.colours) || this.lastColours;
  }

  /** The size the policy gives, or null when no viewer said what it wants (keep the current size). */
  decide(policy: SizePolicy): TerminalSize | null {
    const sized = [...this.viewers.values()].filter((v) => v.wanted !== null);
    if (sized.length === 0) return null;
    if (policy === 'smallest') {
      return {
        cols: Math.min(...sized.map((v) => v.wanted!.cols)),
        rows: Math.min(...sized.map((v) => v.wanted!.rows)),
      };
    }
    return sized.reduce((a, b) => (b.lastUse > a.lastUse ? b : a)).wanted;
  }
}
