import { findAgentDef, type ConfirmAnswer } from './agent-catalog';

/** Plain `(y/n)` questions of programs that are not a known agent (scripts, the test stand-in). */
const genericConfirmations: ConfirmAnswer[] = [{ pattern: /[([]\s*y\s*\/\s*n\s*[)\]]\s*\??\s*$/i, keys: 'y' }];

/** How many lines from the bottom a confirmation may sit in (dialogs have option lists and footers). */
const SEARCH_LINES = 14;
/** Answers per session per minute above which auto-yes stops and tells the user (a loop, not work). */
export const MAX_ANSWERS_PER_MINUTE = 20;

export function confirmationsFor(agent: string): ConfirmAnswer[] {
  if (agent === 'shell') return [];
  return findAgentDef(agent)?.confirmations ?? genericConfirmations;
}

/** The keys that accept the confirmation on screen, or null when no known one is showing. */
export function answerFor(agent: string, lines: readonly string[]): string | null {
  const table = confirmationsFor(agent);
  const tail = lines
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(-SEARCH_LINES);
  for (const c of table) if (tail.some((l) => c.pattern.test(l))) return c.keys;
  return null;
}

/** Rate guard: true while a session may be answered again. */
export class AnswerBudget {
  private readonly times = new Map<string, number[]>();

  take(sessionId: string, now = Date.now()): boolean {
    const recent = (this.times.get(sessionId) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= MAX_ANSWERS_PER_MINUTE) {
      this.times.set(sessionId, recent);
      return false;
    }
    recent.push(now);
    this.times.set(sessionId, recent);
    return true;
  }

  forget(sessionId: string): void {
    this.times.delete(sessionId);
  }
}
