import { randomBytes } from 'node:crypto';
import { mkdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { parseJson } from '../../../shared/json';
import type { Database } from '../store/database';
import { isInside } from '../git/worktree-paths';
import { ROOT_MARKER } from './worktree-root';

/** The sibling marker file's content (other fields are ignored). */
const markerSchema = z.object({ token: z.string() });

/** One folder the app created, as recorded in the store. */
export interface OwnedFolder {
  path: string;
  sessionId: string | null;
  repoRoot: string;
  worktreeRoot: string;
  token: string;
  createdAt: number;
}

interface Row {
  path: string;
  session_id: string | null;
  repo_root: string;
  worktree_root: string;
  token: string;
  created_at: number;
}

const toOwned = (r: Row): OwnedFolder => ({
  path: r.path,
  sessionId: r.session_id,
  repoRoot: r.repo_root,
  worktreeRoot: r.worktree_root,
  token: r.token,
  createdAt: r.created_at,
});

/**
 * The marker of a worktree folder sits next to it (`<group>/.<folder>.multisession`), outside
 * git's view: a file inside the worktree would show up as untracked work in it.
 */
export function markerPathFor(folder: string): string {
  return join(dirname(folder), `.${basename(folder)}.multisession`);
}

async function real(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

/**
 * Folders the app created: recorded in the store AND marked on disk with the same random token,
 * before `git worktree add` runs. Only such folders, under the worktree root they were created in
 * (which carries the root marker), may ever be deleted.
 */
export class OwnedFolders {
  constructor(private readonly db: Database) {}

  /** Records and marks `path` as created by the app for `sessionId` (call before creating it). */
  async claim(path: string, o: { sessionId: string | null; repoRoot: string; worktreeRoot: string }): Promise<void> {
    const token = randomBytes(12).toString('hex');
    const createdAt = Date.now();
    await this.db.run(
      `INSERT INTO owned_folders (path, session_id, repo_root, worktree_root, token, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(path) DO UPDATE SET session_id = excluded.session_id, repo_root = excluded.repo_root,
         worktree_root = excluded.worktree_root, token = excluded.token, created_at = excluded.created_at`,
      [resolve(path), o.sessionId, o.repoRoot, resolve(o.worktreeRoot), token, createdAt],
    );
    await mkdir(dirname(path), { recursive: true });
    await writeFile(
      markerPathFor(resolve(path)),
      `${JSON.stringify({ app: 'multisession', token, sessionId: o.sessionId, createdAt })}\n`,
      { mode: 0o600 },
    );
  }

  /** Forgets a folder after it was removed (marker first, so a crash leaves a record, never a stray marker). */
  async release(path: string): Promise<void> {
    await rm(markerPathFor(resolve(path)), { force: true });
    await this.db.run('DELETE FROM owned_folders WHERE path = ?', [resolve(path)]);
  }

  async get(path: string): Promise<OwnedFolder | null> {
    const row = await this.db.get<Row>('SELECT * FROM owned_folders WHERE path = ?', [resolve(path)]);
    return row ? toOwned(row) : null;
  }

  async forSession(sessionId: string): Promise<OwnedFolder[]> {
    const rows = await this.db.all<Row>('SELECT * FROM owned_folders WHERE session_id = ?', [sessionId]);
    return rows.map(toOwned);
  }

  async all(): Promise<OwnedFolder[]> {
    return (await this.db.all<Row>('SELECT * FROM owned_folders ORDER BY created_at')).map(toOwned);
  }

  /**
   * Throws UNSAFE_PATH unless `path` is a folder the app created: recorded, marked with the same
   * token, and inside the (marked) worktree root it was created under. Not bypassed by force.
   */
  async assertOwned(path: string): Promise<OwnedFolder> {
    const refuse = (why: string) =>
      new AppError(
        'UNSAFE_PATH',
        `\`${path}\` is left in place: ${why}. Multisession only deletes folders it created, under its worktree folder — with or without force.`,
        { path },
      );
    const owned = await this.get(path);
    if (!owned) throw refuse('Multisession has no record of creating it');
    const root = await real(owned.worktreeRoot);
    if (!isInside(root, await real(path))) throw refuse(`it is not inside the worktree folder ${owned.worktreeRoot}`);
    const rootMarker = await readFile(join(root, ROOT_MARKER), 'utf8').catch(() => null);
    if (rootMarker === null) throw refuse(`the worktree folder ${owned.worktreeRoot} lacks Multisession's marker`);
    const marker = await readFile(markerPathFor(resolve(path)), 'utf8').catch(() => null);
    if (markerToken(marker) !== owned.token)
      throw refuse('its ownership marker is missing or does not match the record');
    return owned;
  }
}

/** The token in a marker file's JSON, or null when it is missing or not ours. */
function markerToken(text: string | null): string | null {
  if (text === null) return null;
  const parsed = parseJson(markerSchema, text);
  return parsed.ok ? parsed.value.token : null;
}
