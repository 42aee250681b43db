import { join } from 'node:path';
import { findOnPath, isExecutableFile } from '../process/executable-lookup';

/**
 * Finds an installed binary: first in each folder's node_modules/.bin (the worktree's, then the
 * repository's), then on PATH. Returns its absolute path, or null.
 */
export function locateBin(bin: string, folders: string[], pathVar: string | undefined): string | null {
  for (const folder of folders) {
    const candidate = join(folder, 'node_modules', '.bin', bin);
    if (isExecutableFile(candidate)) return candidate;
  }
  return findOnPath(bin, pathVar);
}
