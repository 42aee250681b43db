import { closeSync, mkdirSync, openSync, readSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';
import { eventsFile, hookEvents, type HookEvent, type HookPaths } from './hook-injection';

/** A safety net under fs.watch (which can miss events on some file systems): files are also checked this often. */
const POLL_MS = 3000;
/** A hook line is a short event name; a longer read is someone else's data. */
const MAX_READ = 64 * 1024;

/**
 * Watches the per-session events files the hooks append to and reports each new event once.
 * Only sessions that were `track`ed are read; reading starts at the end of what was already there.
 */
export class AgentEventWatcher {
  private readonly offsets = new Map<string, number>();
  private watcher: FSWatcher | null = null;
  private poll: NodeJS.Timeout | null = null;

  constructor(
    private readonly paths: HookPaths,
    private readonly onEvent: (sessionId: string, event: HookEvent) => void,
  ) {}

  /** Starts following a session; `fresh` empties its file first (a new program run). */
  track(sessionId: string, fresh: boolean): void {
    this.ensureWatching();
    const file = eventsFile(this.paths, sessionId);
    if (fresh) writeFileSync(file, '', { mode: 0o600 });
    this.offsets.set(sessionId, fresh ? 0 : sizeOf(file));
  }

  untrack(sessionId: string): void {
    this.offsets.delete(sessionId);
  }

  /** Reads whatever is new for one session now (tests, and before deciding on an exit). */
  drain(sessionId: string): void {
    const offset = this.offsets.get(sessionId);
    if (offset === undefined) return;
    const file = eventsFile(this.paths, sessionId);
    const size = sizeOf(file);
    if (size < offset) this.offsets.set(sessionId, 0); // truncated: start over
    if (size <= (this.offsets.get(sessionId) ?? 0)) return;
    const start = this.offsets.get(sessionId) ?? 0;
    const len = Math.min(size - start, MAX_READ);
    const buf = Buffer.alloc(len);
    let fd: number | null = null;
    try {
      fd = openSync(file, 'r');
      readSync(fd, buf, 0, len, start);
    } catch {
      return;
    } finally {
      if (fd !== null) closeSync(fd);
    }
    const text = buf.toString('utf8');
    const complete = text.lastIndexOf('\n');
    if (complete < 0) return; // a line still being written
    this.offsets.set(sessionId, start + Buffer.byteLength(text.slice(0, complete + 1)));
    for (const line of text.slice(0, complete).split('\n')) {
      const event = line.trim() as HookEvent;
      if (hookEvents.includes(event)) this.onEvent(sessionId, event);
    }
  }

  dispose(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    this.offsets.clear();
  }

  private ensureWatching(): void {
    if (this.watcher) return;
    mkdirSync(this.paths.eventsDir, { recursive: true, mode: 0o700 });
    try {
      this.watcher = watch(this.paths.eventsDir, (_type, name) => {
        if (name && name.endsWith('.log')) this.drain(basename(name, '.log'));
      });
      this.watcher.on('error', () => undefined);
    } catch {
      this.watcher = null;
    }
    this.poll = setInterval(() => {
      for (const id of this.offsets.keys()) this.drain(id);
    }, POLL_MS);
    this.poll.unref();
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
