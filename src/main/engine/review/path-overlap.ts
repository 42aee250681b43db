/** The paths one side of a merge changed since the merge base, by kind (no rename detection). */
export interface ChangedPaths {
  added: Set<string>;
  deleted: Set<string>;
  modified: Set<string>;
}

export function parseNameStatus(out: string): ChangedPaths {
  const paths: ChangedPaths = { added: new Set(), deleted: new Set(), modified: new Set() };
  const fields = out.split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const letter = fields[i].charAt(0);
    const path = fields[i + 1];
    if (!letter || !path) continue;
    if (letter === 'A') paths.added.add(path);
    else if (letter === 'D') paths.deleted.add(path);
    else paths.modified.add(path);
  }
  return paths;
}

function all(p: ChangedPaths): Set<string> {
  return new Set([...p.added, ...p.deleted, ...p.modified]);
}

function parents(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) out.push(path.slice(0, i));
  return out;
}

/**
 * Whether two sides changed from one merge base could possibly conflict. False is a proof of a
 * clean merge: no path changed by both, no file on one side where the other has a folder, and no
 * files added in a folder the other side moved files out of (git's directory-rename detection can
 * report those). True only means "ask git merge-tree".
 */
export function mayConflict(a: ChangedPaths, b: ChangedPaths): boolean {
  const pa = all(a);
  const pb = all(b);
  const [small, large] = pa.size <= pb.size ? [pa, pb] : [pb, pa];
  for (const p of small) if (large.has(p)) return true;
  // A file on one side that is a folder on the other.
  for (const p of pa) for (const d of parents(p)) if (pb.has(d)) return true;
  for (const p of pb) for (const d of parents(p)) if (pa.has(d)) return true;
  // Directory renames: files deleted from a folder on one side, files added to it on the other.
  // (The top folder cannot be renamed, so files there never count.)
  const dirsOf = (s: Set<string>) =>
    new Set([...s].filter((p) => p.includes('/')).map((p) => p.slice(0, p.lastIndexOf('/'))));
  const deletedDirsA = dirsOf(a.deleted);
  const deletedDirsB = dirsOf(b.deleted);
  for (const p of b.added) if (deletedDirsA.has(p.slice(0, Math.max(0, p.lastIndexOf('/'))))) return true;
  for (const p of a.added) if (deletedDirsB.has(p.slice(0, Math.max(0, p.lastIndexOf('/'))))) return true;
  return false;
}
