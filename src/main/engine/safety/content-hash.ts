import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

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

/**
 * What an ignored folder holds, as one digest of every entry's path, type, size, mode and
 * modification time (not its bytes: node_modules can hold a million files). Any file written,
 * added or removed in it changes the digest, so accepting the folder's loss covers exactly what
 * the user saw. An entry that cannot be read makes the digest unique (never accepted in advance).
 */
export async function folderDigest(root: string): Promise<{ digest: string; files: number }> {
  const hash = createHash('sha256');
  let files = 0;
  const walk = async (dir: string, rel: string): Promise<void> => {
    const names = (await readdir(dir).catch(() => null))?.sort();
    if (!names) {
      hash.update(`unreadable\0${rel}\0${randomUUID()}\n`);
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      const info = await lstat(path).catch(() => null);
      if (!info) {
        hash.update(`gone\0${rel}${name}\0${randomUUID()}\n`);
        continue;
      }
      hash.update(`${rel}${name}\0${info.mode}\0${info.size}\0${info.mtimeMs}\n`);
      if (info.isDirectory()) await walk(path, `${rel}${name}/`);
      else files++;
    }
  };
  await walk(root, '');
  return { digest: hash.digest('hex').slice(0, 32), files };
}
