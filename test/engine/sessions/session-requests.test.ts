import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { priorityToNiceness } from '../../../src/main/engine/sessions/session-types';
import { useEngineWithRepo } from '../../support/engine-fixture';
import { waitFor } from '../../support/wait-for';

// Requests on existing sessions that the lifecycle tests do not drive: resolving what a person
// typed, renaming / re-prioritising a running session, its diff, and refusals on a terminated one.
const fx = useEngineWithRepo({ engine: { terminals: 'in-process' } });

/** Niceness of a live process (/proc/<pid>/stat field 19). */
function niceOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

const create = async (name: string, over: { program?: string; args?: string[]; autoStart?: boolean } = {}) => {
  const [s] = await fx.h.call('sessions.create', {
    name,
    repoPath: fx.repo.path,
    program: over.program ?? 'bash',
    args: over.args ?? [],
    autoStart: over.autoStart ?? false,
  });
  return s;
};

describe('sessions.resolve', () => {
  it('takes an id, an exact name or a unique id prefix, and refuses what names several or none', async () => {
    const a = await create('alpha');
    const b = await create('beta');
    expect((await fx.h.call('sessions.resolve', { ref: a.id })).id).toBe(a.id);
    expect((await fx.h.call('sessions.resolve', { ref: 'beta' })).id).toBe(b.id);
    // A prefix picks a session only for a verb that changes nothing.
    const prefix = a.id.slice(0, 8);
    expect((await fx.h.call('sessions.resolve', { ref: prefix })).id).toBe(a.id);
    const destructive = await fx.h.request('sessions.resolve', { ref: prefix, destructive: true });
    expect(destructive.ok).toBe(false);
    if (!destructive.ok) {
      expect(destructive.error.code).toBe('NOT_FOUND');
      expect(destructive.error.details?.candidates).toEqual([{ id: a.id, name: 'alpha', status: 'stopped' }]);
    }
    // Two live sessions of one name: the reference is ambiguous and lists both.
    await fx.h.call('sessions.update', { sessionId: b.id, name: 'alpha' });
    const ambiguous = await fx.h.request('sessions.resolve', { ref: 'alpha' });
    expect(ambiguous.ok).toBe(false);
    if (!ambiguous.ok) {
      expect(ambiguous.error.code).toBe('AMBIGUOUS_REFERENCE');
      const ids = (ambiguous.error.details?.candidates as Array<{ id: string }>).map((c) => c.id).sort();
      expect(ids).toEqual([a.id, b.id].sort());
    }
    const none = await fx.h.request('sessions.resolve', { ref: 'no-such-session' });
    expect(none.ok ? null : none.error.code).toBe('NOT_FOUND');
  });
});

describe('sessions.update', () => {
  it('renames, changes limits and renices the running program at once', async () => {
    const s = await create('worker', { program: 'sleep', args: ['300'], autoStart: true });
    const running = await waitFor('the program to run', async () => {
      const x = await fx.h.call('sessions.get', { sessionId: s.id });
      return x.pid !== null && x.status !== 'queued' ? x : null;
    });
    // The program starts at its priority's niceness, or the host's own when that is higher.
    const before = niceOf(running.pid!);
    expect(before).toBeLessThan(priorityToNiceness(2));
    const updated = await fx.h.call('sessions.update', {
      sessionId: s.id,
      name: 'worker renamed',
      priority: 2,
      limits: { memoryMb: 512 },
    });
    expect(updated.name).toBe('worker renamed');
    expect(updated.priority).toBe(2);
    expect(updated.limits.memoryMb).toBe(512);
    // Lower priority = nicer program, applied to the running process, not at its next start.
    expect(niceOf(running.pid!)).toBe(priorityToNiceness(2));
    const stored = await fx.h.call('sessions.get', { sessionId: s.id });
    expect(stored).toMatchObject({ name: 'worker renamed', priority: 2, pid: running.pid });
  });

  it('refuses an unknown session and changes nothing', async () => {
    const s = await create('kept');
    const r = await fx.h.request('sessions.update', { sessionId: 'no-such-id', name: 'x' });
    expect(r.ok ? null : r.error.code).toBe('NOT_FOUND');
    expect((await fx.h.call('sessions.get', { sessionId: s.id })).name).toBe('kept');
  });
});

describe('a session’s changes and terminal', () => {
  it('sessions.diff and commitPreview show the worktree’s changes against the base; a resize reaches the record', async () => {
    const s = await create('changes', { autoStart: true });
    writeFileSync(join(s.worktreePath, 'README.md'), '# test repository\nedited\n');
    writeFileSync(join(s.worktreePath, 'new.txt'), 'one\ntwo\n');
    const diff = await fx.h.call('sessions.diff', { sessionId: s.id });
    expect(diff.sessionId).toBe(s.id);
    expect(diff.files.map((f) => f.path).sort()).toEqual(['README.md', 'new.txt']);
    expect(diff.additions).toBe(3);

    // What a commit for the user would take: both files, nothing left out.
    const preview = await fx.h.call('sessions.commitPreview', { sessionId: s.id });
    expect(preview.commit.map((c) => c.path).sort()).toEqual(['README.md', 'new.txt']);
    expect(preview.excluded).toEqual([]);

    const size = await fx.h.call('terminals.resize', { sessionId: s.id, cols: 101, rows: 33 });
    expect(size).toEqual({ cols: 101, rows: 33 });
    await waitFor('the record to take the size', async () => {
      const x = await fx.h.call('sessions.get', { sessionId: s.id });
      return x.cols === 101 && x.rows === 33;
    });
  });

  it('a terminated session has no diff and no commit preview: INVALID_STATE', async () => {
    const s = await create('gone');
    await fx.h.call('sessions.terminate', { sessionId: s.id });
    const diff = await fx.h.request('sessions.diff', { sessionId: s.id });
    expect(diff.ok ? null : diff.error.code).toBe('INVALID_STATE');
    const preview = await fx.h.request('sessions.commitPreview', { sessionId: s.id });
    expect(preview.ok ? null : preview.error.code).toBe('INVALID_STATE');
    const again = await fx.h.request('sessions.terminate', { sessionId: s.id });
    expect(again.ok ? null : again.error.code).toBe('INVALID_STATE');
  });
});

describe('hibernate and wake refuse the wrong state', () => {
  it('a stopped session can neither hibernate nor wake, and stays stopped', async () => {
    const stopped = await create('stopped');
    const hib = await fx.h.request('sessions.hibernate', { sessionId: stopped.id });
    expect(hib.ok ? null : hib.error.code).toBe('INVALID_STATE');
    expect((await fx.h.call('sessions.get', { sessionId: stopped.id })).status).toBe('stopped');
    const wake = await fx.h.request('sessions.wake', { sessionId: stopped.id });
    expect(wake.ok ? null : wake.error.code).toBe('INVALID_STATE');
    expect((await fx.h.call('sessions.get', { sessionId: stopped.id })).status).toBe('stopped');
    const missing = await fx.h.request('sessions.hibernate', { sessionId: 'no-such-id' });
    expect(missing.ok ? null : missing.error.code).toBe('NOT_FOUND');
  });
});

describe('terminate refuses what would lose work it was not told to lose', () => {
  it('commit + delete branch is BAD_INPUT; a fingerprint of an earlier list is refused as stale; the current one is honoured', async () => {
    const s = await create('with work');
    writeFileSync(join(s.worktreePath, 'draft.txt'), 'first draft\n');
    const both = await fx.h.request('sessions.terminate', {
      sessionId: s.id,
      commitMessage: 'save',
      deleteBranch: true,
    });
    expect(both.ok ? null : both.error.code).toBe('BAD_INPUT');

    const shown = await fx.h.call('sessions.removalCheck', { sessionId: s.id });
    expect(shown.verdict).toBe('loses');
    // The user edits the file after seeing the list: the accepted list is no longer the loss.
    writeFileSync(join(s.worktreePath, 'draft.txt'), 'second draft\n');
    const stale = await fx.h.request('sessions.terminate', { sessionId: s.id, acceptLoss: shown.fingerprint });
    expect(stale.ok ? null : stale.error.code).toBe('WORK_AT_RISK');
    if (!stale.ok) {
      expect(stale.error.message).toMatch(/The list changed since it was shown/);
      expect(stale.error.details?.stale).toBe(true);
    }
    expect(readFileSync(join(s.worktreePath, 'draft.txt'), 'utf8')).toBe('second draft\n');
    expect((await fx.h.call('sessions.get', { sessionId: s.id })).status).toBe('stopped');

    const current = await fx.h.call('sessions.removalCheck', { sessionId: s.id });
    const done = await fx.h.call('sessions.terminate', { sessionId: s.id, acceptLoss: current.fingerprint });
    expect(done.status).toBe('terminated');
  });

  it('an accepted fingerprint on a worktree that holds nothing is simply safe', async () => {
    const s = await create('clean');
    const r = await fx.h.call('sessions.terminate', { sessionId: s.id, acceptLoss: 'ffffffffffffffffffff' });
    expect(r.status).toBe('terminated');
  });
});
