import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * Finding programs the way a shell does — the one place the engine looks along a PATH (session
 * programs, commands, agent detection, the fd closer, gh, editors, skills' binaries).
 */

/** Whether `path` is a regular file this process may execute (a directory named like a program is not). */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Names to try for `name` in one folder: Windows adds the PATHEXT extensions (.EXE, .CMD, …). */
function candidates(name: string): string[] {
  if (process.platform !== 'win32') return [name];
  const exts = (process.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean);
  return [name, ...exts.map((e) => name + e.toLowerCase()), ...exts.map((e) => name + e)];
}

/**
 * The first executable `name` in the folders of a PATH string, or null. Empty entries are skipped
 * (they mean "the current folder", which is a trap); relative entries count only when `cwd` says
 * what they are relative to — for a program started in `cwd`, as its own execvp would see them.
 */
export function findOnPath(name: string, pathVar: string | undefined, cwd?: string): string | null {
  if (!name || name.includes('/')) return null;
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir) continue;
    if (!isAbsolute(dir) && cwd === undefined) continue;
    const folder = isAbsolute(dir) ? dir : resolve(cwd!, dir);
    for (const file of candidates(name)) {
      const full = join(folder, file);
      if (isExecutableFile(full)) return full;
    }
  }
  return null;
}

/**
 * A command as a shell resolves it: a name with a slash is a path (relative ones against `cwd`,
 * refused without one), any other name is looked up on PATH. Null when nothing executable is there.
 */
export function resolveExecutable(command: string, pathVar: string | undefined, cwd?: string): string | null {
  if (!command.includes('/')) return findOnPath(command, pathVar, cwd);
  if (!isAbsolute(command) && cwd === undefined) return null;
  const full = isAbsolute(command) ? command : resolve(cwd!, command);
  return isExecutableFile(full) ? full : null;
}
