import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsoleLogger } from './logger';

/** The lines the logger wrote to stderr during `fn`. */
function stderrLines(fn: () => void): string[] {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe('console logger', () => {
  it('writes one timestamped line per call with level and scope', () => {
    const lines = stderrLines(() => {
      const log = createConsoleLogger();
      log.info('git', 'created worktree');
      log.warn('pool', 'budget reached');
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info \[git\] created worktree\n$/);
    expect(lines[1]).toMatch(/ warn \[pool\] budget reached\n$/);
  });

  it('quiet drops info, never warnings or errors', () => {
    const lines = stderrLines(() => {
      const log = createConsoleLogger({ quiet: true });
      log.info('git', 'chatty');
      log.warn('git', 'careful');
      log.error('git', 'broken');
    });
    expect(lines.map((l) => l.split(' ')[1])).toEqual(['warn', 'error']);
  });

  it('an error carries the cause: the stack of an Error, the text of anything else', () => {
    const err = new Error('disk full');
    const lines = stderrLines(() => {
      const log = createConsoleLogger();
      log.error('store', 'write failed', err);
      log.error('store', 'odd failure', 42);
    });
    expect(lines[0]).toContain('error [store] write failed: Error: disk full');
    expect(lines[0]).toContain('logger.test.ts');
    expect(lines[1]).toMatch(/error \[store\] odd failure: 42\n$/);
  });
});
