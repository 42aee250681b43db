import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/engine/core/logger';
import { startServeHost } from '../../src/main/server/serve-host';
import { tokenFile } from '../../src/main/server/access-token';

// The data dir holds per-session environment values, scrollback and the browser-mode token: it is
// created owner-only, and an old one (made before this rule, or loosened by hand) is tightened on
// the next start — without touching the user's files in worktrees.
const mode = (p: string) => statSync(p).mode & 0o777;

async function startAndStop(home: string) {
  const served = await startServeHost({
    dataDir: home,
    log: silentLogger,
    host: '127.0.0.1',
    port: 0,
    staticDir: join(home, 'none'),
  });
  // A write, so SQLite has made its -wal and -shm files.
  await served.host.engine.router.dispatch(
    'settings.update',
    { maxRunning: 4 },
    {
      id: 't',
      kind: 'local',
      send: () => undefined,
      onClose: () => undefined,
      isOpen: () => true,
    },
  );
  const seen = {
    dir: mode(home),
    db: mode(join(home, 'multisession.db')),
    wal: mode(join(home, 'multisession.db-wal')),
    shm: mode(join(home, 'multisession.db-shm')),
    lock: mode(join(home, 'host.lock')),
    token: mode(tokenFile(home)),
  };
  await served.close();
  return seen;
}

describe.skipIf(process.platform === 'win32')('data dir permissions', () => {
  it('a new data dir is created owner-only, and every file in it too', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'ms-perm-')), 'new-home');
    const seen = await startAndStop(home);
    expect(seen).toEqual({ dir: 0o700, db: 0o600, wal: 0o600, shm: 0o600, lock: 0o600, token: 0o600 });
  });

  it('an old data dir readable by others is tightened; files in worktrees keep their modes', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ms-perm-old-'));
    chmodSync(home, 0o755);
    writeFileSync(join(home, 'multisession.db'), '');
    chmodSync(join(home, 'multisession.db'), 0o644);
    writeFileSync(join(home, 'browser-token'), randomBytes(32).toString('base64url'));
    chmodSync(join(home, 'browser-token'), 0o644);
    mkdirSync(join(home, 'logs'), { mode: 0o755 });
    writeFileSync(join(home, 'logs', 'old.log'), 'x', { mode: 0o644 });
    mkdirSync(join(home, 'worktrees', 'repo', 'feature'), { recursive: true, mode: 0o755 });
    const userFile = join(home, 'worktrees', 'repo', 'feature', 'script.sh');
    writeFileSync(userFile, '#!/bin/sh\n', { mode: 0o755 });
    const seen = await startAndStop(home);
    expect(seen).toEqual({ dir: 0o700, db: 0o600, wal: 0o600, shm: 0o600, lock: 0o600, token: 0o600 });
    expect(mode(join(home, 'logs'))).toBe(0o700);
    expect(mode(join(home, 'logs', 'old.log'))).toBe(0o600);
    expect(mode(join(home, 'worktrees'))).toBe(0o700);
    // The user's own file in a worktree is theirs: executable stays executable.
    expect(mode(userFile)).toBe(0o755);
    expect(mode(join(home, 'worktrees', 'repo', 'feature'))).toBe(0o755);
  });
});
