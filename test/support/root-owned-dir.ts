import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A temporary folder whose every ancestor belongs to root and is writable by nobody else — the
 * only place Gemini CLI reads a system settings file from (/tmp is world-writable, so it refuses
 * files under it). Made under root's own cache folder, next to the agent CLI cache; null when the
 * tests do not run as root or that chain is not private, so callers assert the refusal instead.
 */
export function makeRootOwnedDir(prefix: string): { path: string; cleanup(): void } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const base = join(homedir(), '.cache', 'multisession', 'test-private');
  mkdirSync(base, { recursive: true, mode: 0o700 });
  for (let dir = base; ; dir = dirname(dir)) {
    const st = statSync(dir);
    if (st.uid !== 0 || (st.mode & 0o022) !== 0) return null;
    if (dirname(dir) === dir) break;
  }
  const path = mkdtempSync(join(base, prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
