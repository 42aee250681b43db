import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds an installed binary: first in each folder's node_modules/.bin (the worktree's, then the
 * repository's), then on PATH. Returns its absolute path, or null.
 */
export async function locateBin(bin: string, folders: string[], pathVar: string | undefined): Promise<string | null> {
  for (const folder of folders) {
    const candidate = join(folder, 'node_modules', '.bin', bin);
    if (await isExecutable(candidate)) return candidate;
  }
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, bin);
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}
