import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, sep } from 'node:path';

const MAX_COMPLETIONS = 50;

async function isDirectoryEntry(dir: string, e: Dirent): Promise<boolean> {
  if (e.isDirectory()) return true;
  // A symlink to a folder is a folder to the user typing a path.
  if (e.isSymbolicLink())
    return stat(join(dir, e.name)).then(
      (s) => s.isDirectory(),
      () => false,
    );
  return false;
}

/**
 * Folder completion for a typed path (the browser-mode "open repository" field, which has no native
 * dialog): the child folders of the typed parent whose names start with the typed remainder
 * (case-insensitive), at most 50, sorted. Hidden folders appear only when the remainder starts
 * with '.'. `~` is expanded, and results keep the `~` form when the input used it. Relative
 * input has no meaning on a remote host and gets no completions.
 */
export async function completePath(prefix: string): Promise<string[]> {
  const raw = prefix.trim();
  const home = homedir();
  const tilde = raw === '~' || raw.startsWith('~/');
  const expanded = tilde ? home + raw.slice(1) : raw;
  if (!expanded || !isAbsolute(expanded)) return [];
  const listWhole = raw === '~' || expanded.endsWith(sep) || expanded.endsWith('/');
  const dir = listWhole ? expanded : dirname(expanded);
  const partial = listWhole ? '' : basename(expanded).toLowerCase();
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [] as Dirent[]);
  const names: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (names.length >= MAX_COMPLETIONS) break;
    if (e.name.startsWith('.') && !partial.startsWith('.')) continue;
    if (!e.name.toLowerCase().startsWith(partial)) continue;
    if (await isDirectoryEntry(dir, e)) names.push(e.name);
  }
  return names.map((name) => {
    const full = join(dir, name);
    return tilde && (full === home || full.startsWith(home + sep)) ? `~${full.slice(home.length)}` : full;
  });
}
