import { spawn } from 'node:child_process';
import { isolatedArgv } from '../process/isolated-spawn';
import { resolve } from 'node:path';
import { AppError } from '../../../shared/errors';
import { findOnPath } from '../process/executable-lookup';

/**
 * Opens a session's worktree in the file manager or an editor. Only worktree paths the engine
 * owns may be opened: a client must not be able to launch arbitrary files.
 */
export async function openPath(path: string, withApp: 'fileManager' | 'editor', allowed: string[]): Promise<void> {
  const target = resolve(path);
  if (!allowed.some((a) => target === resolve(a) || target.startsWith(resolve(a) + '/'))) {
    throw new AppError('FORBIDDEN', `Only session worktrees can be opened, not ${target}.`);
  }
  let argv: string[] | null;
  if (withApp === 'editor') {
    const editor = ['code', 'cursor', 'zed', 'subl'].find((c) => findOnPath(c, process.env.PATH));
    argv = editor ? [editor, target] : null;
    if (!argv)
      throw new AppError(
        'PROGRAM_NOT_FOUND',
        'No GUI editor found on PATH (code, cursor, zed, subl) — install one or open the folder yourself.',
      );
  } else {
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    if (!findOnPath(opener, process.env.PATH) && process.platform === 'linux') {
      throw new AppError(
        'PROGRAM_NOT_FOUND',
        `\`${opener}\` is not installed — install xdg-utils or open ${target} yourself.`,
      );
    }
    argv = [opener, target];
  }
  // The user's file manager or editor: it outlives us, and must not keep our fds (PTY masters).
  const isolated = isolatedArgv(argv[0], argv.slice(1));
  const child = spawn(isolated.file, isolated.args, { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}
