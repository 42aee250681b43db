import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Folders of the data dir whose contents are the user's work (worktrees): they keep their own
 * modes — the data dir's 0700 already keeps other users out of them.
 */
const USER_CONTENT = new Set(['worktrees']);

/**
 * Makes the data dir owner-only: it holds per-session environment values, scrollback and the
 * browser-mode token. Creates it 0700; an existing one is tightened — the dir 0700, our files in
 * it 0600, our folders 0700 — leaving worktrees and anything not owned by us as they are.
 * Returns how many modes it changed (logged, so a loosened dir does not go unnoticed).
 */
export function secureDataDir(dataDir: string): number {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return 0;
  let changed = 0;
  const uid = process.getuid?.() ?? -1;
  const tighten = (path: string, mode: number) => {
    const st = lstatSync(path);
    if (st.isSymbolicLink() || st.uid !== uid) return;
    if ((st.mode & 0o777) !== mode && (st.mode & 0o077) !== 0) {
      chmodSync(path, mode);
      changed++;
    }
  };
  const walk = (dir: string, depth: number) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      try {
        if (e.isDirectory()) {
          if (depth === 0 && USER_CONTENT.has(e.name)) {
            tighten(path, 0o700);
            continue;
          }
          tighten(path, 0o700);
          if (depth < 3) walk(path, depth + 1);
        } else if (e.isFile() || e.isSocket()) tighten(path, 0o600);
      } catch {
        // Gone while walking.
      }
    }
  };
  tighten(dataDir, 0o700);
  walk(dataDir, 0);
  return changed;
}

/** Creates `path` empty and owner-only if missing, so a file another library creates there (SQLite) starts 0600. */
export function ensurePrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}
