import { statSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import { resolveExecutable } from '../process/executable-lookup';

/**
 * Finds the executable a PTY should start, the way a shell would (PATH from the program's own
 * environment). node-pty reports a missing program only as an early exit, so we check first.
 */
export function resolveProgram(file: string, cwd: string, envPath: string | undefined): string {
  const found = resolveExecutable(file, envPath, cwd);
  if (found) return found;
  if (file.includes('/')) {
    throw new AppError(
      'PROGRAM_NOT_FOUND',
      `\`${file}\` does not exist or is not executable — check the program path.`,
      {
        program: file,
      },
    );
  }
  throw new AppError(
    'PROGRAM_NOT_FOUND',
    `\`${file}\` was not found on the PATH — install it or set the full path to the program.`,
    { program: file },
  );
}

/** The working directory must exist before a program is started in it. */
export function checkWorkingDirectory(cwd: string): void {
  let ok: boolean;
  try {
    ok = statSync(cwd).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new AppError(
      'NOT_A_DIRECTORY',
      `\`${cwd}\` is not a folder — the session's worktree may have been removed.`,
      {
        path: cwd,
      },
    );
  }
}
