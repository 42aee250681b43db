import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../support/engine-harness';
import { repoRoot, startServeProcess, type ServeProcess } from '../support/serve-process';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { stopTerminalHosts } from '../support/terminal-host';

// Crash consistency of pause and resume: the built host is SIGKILLed at spread-out points while
// pausing or resuming; after each kill a fresh engine reconciles, and every file's latest content
// must be in the folder or on the branch — never in neither.
const KILL_POINTS = 10;
// A pause or resume through the built host takes ~250–600 ms here: the kill points spread over it.
const MIN_DELAY_MS = 120;
const MAX_DELAY_MS = 600;
const built = existsSync(join(repoRoot, 'out/main/serve.js'));
const home = mkdtempSync(join(tmpdir(), 'ms-pause-crash-'));
let repo: TempDir;
let serve: ServeProcess | null = null;

beforeAll(async () => {
  repo = await makeTempRepo({ files: { 'a.txt': 'a\n' } });
});
afterAll(async () => {
  if (serve) await serve.stop('SIGKILL');
  await stopTerminalHosts(home);
  await repo.cleanup();
});

/** Where each file's latest content is found: the folder, the branch tip, or nowhere. */
async function findContent(worktree: string, branch: string, file: string, content: string): Promise<string> {
  const inFolder = existsSync(join(worktree, file)) && readFileSync(join(worktree, file), 'utf8') === content;
  if (inFolder) return 'folder';
  const onBranch = await runGit(repo.path, ['show', `${branch}:${file}`]).catch(() => null);
  return onBranch === content ? 'branch' : 'nowhere';
}

describe.skipIf(!built)('pause / resume crash consistency (built host, SIGKILL)', () => {
  it(`${KILL_POINTS} kill points while pausing and resuming`, { timeout: 300_000 }, async () => {
    const first = await openEngine({ home });
    const [created] = await first.call('sessions.create', {
      name: 'crash pauser',
      repoPath: repo.path,
      program: 'bash',
      autoStart: false,
    });
    await first.close();
    const expected = new Map<string, string>();
    const seen = { paused: 0, notPaused: 0 };
    for (let i = 0; i < KILL_POINTS; i++) {
      const delay =
        MIN_DELAY_MS + Math.round((((i * 3) % KILL_POINTS) / (KILL_POINTS - 1)) * (MAX_DELAY_MS - MIN_DELAY_MS));
      serve = await startServeProcess({ home });
      const client = await serve.client();
      const s = await client.call('sessions.get', { sessionId: created.id });
      const op = s.status === 'paused' ? 'sessions.resume' : 'sessions.pause';
      if (op === 'sessions.pause') {
        // New work before each pause: an edit, a new file.
        expected.set('a.txt', `a, edit ${i}\n`);
        expected.set(`work-${i}.txt`, `work ${i}\n`);
        for (const [f, c] of expected)
          if (f === 'a.txt' || f === `work-${i}.txt`) writeFileSync(join(s.worktreePath, f), c);
      }
      const inFlight = client.request(op, { sessionId: s.id });
      await new Promise((r) => setTimeout(r, delay)); // the kill point, not a synchronisation
      await serve.stop('SIGKILL');
      serve = null;
      await inFlight;
      client.close();

      const h = await openEngine({ home });
      try {
        const after = await h.call('sessions.get', { sessionId: s.id });
        const where = `kill ${i} (${op} +${delay} ms, now ${after.status})`;
        expect(['paused', 'stopped', 'active', 'idle', 'busy', 'waiting', 'queued'], where).toContain(after.status);
        if (after.status === 'paused') {
          seen.paused++;
          expect(existsSync(after.worktreePath), where).toBe(false);
          expect(after.worktreeMissing, where).toBeNull();
        } else {
          seen.notPaused++;
          expect(existsSync(after.worktreePath), where).toBe(true);
          expect(after.paused, where).toBeNull();
        }
        for (const [f, c] of expected) {
          expect(`${f}: ${await findContent(after.worktreePath, after.branch, f, c)}`, where).not.toBe(`${f}: nowhere`);
        }
      } finally {
        await h.close();
      }
    }
    // Whatever state the kills left, a resume (or a pause then a resume) gives every file back.
    const h = await openEngine({ home });
    try {
      let s = await h.call('sessions.get', { sessionId: created.id });
      if (s.status !== 'paused') s = await h.call('sessions.pause', { sessionId: s.id });
      s = await h.call('sessions.resume', { sessionId: s.id });
      for (const [f, c] of expected) expect(readFileSync(join(s.worktreePath, f), 'utf8'), f).toBe(c);
      expect(seen.paused + seen.notPaused).toBe(KILL_POINTS);
    } finally {
      await h.close();
    }
  });
});
