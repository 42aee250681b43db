import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/shared/contract';
import { ReviewLive } from '../../src/main/engine/review/review-live';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { waitFor } from '../support/wait-for';
import { commitFiles, lines, newOne, write } from './review-support';

let h: Harness;
let repo: TempDir;
let live: ReviewLive;

/** Events the engine pushed to its test peer since `from`. */
const eventsOf = <K extends 'review.changed' | 'review.forecast'>(name: K, from: number) =>
  h.peer.events.slice(from).filter((e) => e.name === name) as { name: K; payload: EventPayload<K> }[];

beforeEach(async () => {
  h = await openEngine();
  repo = await makeTempRepo({ files: { 'app.txt': lines(), 'src/deep/code.ts': 'export {};\n' } });
});
afterEach(async () => {
  live?.dispose();
  await h.close();
  await repo.cleanup();
});

/** The app's and browser mode's live layer (the CLI engine in the harness does not watch). */
function startLive() {
  live = new ReviewLive(h.engine.review, { watch: true, forecastDebounceMs: 100, forecastMinIntervalMs: 0 });
  live.start();
}

describe('review follows the worktree without polling', () => {
  it('a file written in a nested folder, a staged change and a commit each announce review.changed', async () => {
    const s = await newOne(h, repo.path, 'watched');
    startLive();
    // The watcher is ready once a first write is seen; writes before that may predate the watches.
    await waitFor('the first change to be seen', async () => {
      await write(s.worktreePath, { 'src/deep/code.ts': `export const t = ${Date.now()};\n` });
      return eventsOf('review.changed', 0).some((e) => e.payload.sessionId === s.id);
    });
    let mark = h.peer.events.length;
    await write(s.worktreePath, { 'src/deep/new-file.ts': 'export {};\n' });
    await waitFor('a worktree change', () =>
      eventsOf('review.changed', mark).some((e) => e.payload.sessionId === s.id && e.payload.reason === 'worktree'),
    );
    mark = h.peer.events.length;
    await runGit(s.worktreePath, ['add', '--all']);
    await waitFor('a git change (index)', () =>
      eventsOf('review.changed', mark).some((e) => e.payload.reason === 'git'),
    );
    mark = h.peer.events.length;
    await runGit(s.worktreePath, ['commit', '--quiet', '-m', 'from the agent']);
    await waitFor('a git change (commit)', () =>
      eventsOf('review.changed', mark).some((e) => e.payload.reason === 'git'),
    );
    const changes = await h.call('review.changes', { sessionId: s.id });
    expect(changes.files).toEqual([]);
  });

  it('reading review state does not wake the watcher (no refresh loop)', async () => {
    const s = await newOne(h, repo.path, 'quiet');
    startLive();
    await waitFor('the watcher to be ready', async () => {
      await write(s.worktreePath, { 'app.txt': lines({ 1: String(Date.now()) }) });
      return eventsOf('review.changed', 0).length > 0;
    });
    // Let the last burst settle: one more event proves the debounce fired after our final write.
    const settled = h.peer.events.length;
    await write(s.worktreePath, { 'app.txt': lines({ 1: 'settled' }) });
    await waitFor('the settled change', () => eventsOf('review.changed', settled).length > 0);
    await waitFor('the forecast after it', () => eventsOf('review.forecast', settled).length > 0);
    const mark = h.peer.events.length;
    for (let i = 0; i < 3; i++) {
      await h.call('review.changes', { sessionId: s.id });
      await h.call('review.diff', { sessionId: s.id });
      await h.call('review.baseStatus', { sessionId: s.id, fetch: false });
    }
    // A marker change proves events still flow, and that nothing else arrived before it.
    await write(s.worktreePath, { 'marker.txt': 'x\n' });
    await waitFor('the marker change', () => eventsOf('review.changed', mark).length > 0);
    expect(eventsOf('review.changed', mark).filter((e) => e.payload.reason === 'git')).toEqual([]);
  });

  it('the forecast is recomputed and pushed as sessions change', async () => {
    const a = await newOne(h, repo.path, 'A');
    const b = await newOne(h, repo.path, 'B');
    startLive();
    await commitFiles(a.worktreePath, { 'app.txt': lines({ 5: 'A' }) }, 'A');
    const mark = h.peer.events.length;
    await write(b.worktreePath, { 'app.txt': lines({ 5: 'B' }) });
    const pushed = await waitFor('a forecast with the conflict', () =>
      eventsOf('review.forecast', mark).find((e) => e.payload.forecast.pairs.some((p) => p.conflict)),
    );
    expect(pushed.payload.forecast.pairs).toEqual([{ a: a.id, b: b.id, conflict: true, files: ['app.txt'] }]);
    const after = h.peer.events.length;
    await write(b.worktreePath, { 'app.txt': lines({ 9: 'B elsewhere' }) });
    await waitFor('a forecast without it', () =>
      eventsOf('review.forecast', after).find((e) => e.payload.forecast.pairs.every((p) => !p.conflict)),
    );
  });
});
