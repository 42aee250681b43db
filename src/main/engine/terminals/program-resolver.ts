import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { AppError } from '../../../shared/errors';

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the executable a PTY should start, the way a shell would (PATH from the program's own
 * environment). node-pty reports a missing program only as an early exit, so we check first.
 */
export function resolveProgram(file: string, cwd: string, envPath: string | undefined): string {
  if (file.includes('/')) {
    const full = isAbsolute(file) ? file : resolve(cwd, file);
    if (isExecutableFile(full)) return full;
    throw new AppError(
      'PROGRAM_NOT_FOUND',
      `\`${file}\` does not exist or is not executable — check the program path.`,
      {
        program: file,
      },
    );
  }
  for (const dir of (envPath ?? '').split(delimiter)) {
    if (!dir) continue;
    const full = join(dir, file);
    if (isExecutableFile(full)) return full;
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
