import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readlink } from 'node:fs/promises';

/** Files larger than this are identified by size and modification time instead of their bytes. */
const MAX_HASHED_BYTES = 64 * 1024 * 1024;

/**
 * A short identity of what is at `path` now: the sha256 of a file's bytes (or of a link's target),
 * `dir`, or `missing`. Used to tell whether a file the app placed was edited since, and to make an
 * accepted loss cover exactly the contents the user saw.
 */
export async function contentHash(path: string): Promise<string> {
  const info = await lstat(path).catch(() => null);
  if (!info) return 'missing';
  if (info.isDirectory()) return 'dir';
  if (info.isSymbolicLink()) return `link:${sha256(await readlink(path))}`;
  if (!info.isFile()) return `special:${info.mode}`;
  if (info.size > MAX_HASHED_BYTES) return `large:${info.size}:${Math.round(info.mtimeMs)}`;
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve())
      .on('error', reject);
  });
  return hash.digest('hex');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
