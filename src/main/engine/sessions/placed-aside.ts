import { chmod, copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { z } from 'zod';
import { parseJson } from '../../../shared/json';
import type { LossItem } from '../../../shared/removal';
import { contentHash } from '../safety/content-hash';

const MANIFEST = 'manifest.json';

/** The kept files: each one's path in the worktree and its permission bits there. */
const manifestSchema = z.array(
  z.object({
    path: z.string().min(1),
    mode: z.number().int().min(0).max(0o777),
    /** A file git stores converted: its exact bytes are work (a placed file is a copy of the repository's). */
    converted: z.boolean().optional(),
  }),
);
type KeptFile = z.infer<typeof manifestSchema>[number];

/**
 * Where pause keeps the files the app placed in a worktree (copied-in `.env*`, setup output) while
 * the folder is gone: `<data dir>/paused/<session id>/`, owner-only. Never the repository's object
 * store — a `push --mirror` or `refs/*` push would upload a secret from there, and it would stay
 * in the repository until gc even after resume.
 */
export class PlacedAside {
  constructor(private readonly root: string) {}

  private dir(sessionId: string): string {
    return join(this.root, sessionId);
  }

  /** Copies `paths` (relative to `worktree`) aside, replacing whatever an earlier attempt left. */
  async keep(
    sessionId: string,
    worktree: string,
    placed: readonly string[],
    converted: readonly string[] = [],
  ): Promise<void> {
    const dir = this.dir(sessionId);
    await rm(dir, { recursive: true, force: true });
    const paths = [...placed, ...converted];
    if (paths.length === 0) return;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700); // an existing `paused/` or a umask must not widen it
    const kept: KeptFile[] = [];
    for (const path of paths) {
      const to = inside(dir, join('files', path));
      await mkdir(dirname(to), { recursive: true, mode: 0o700 });
      await copyFile(join(worktree, path), to);
      await chmod(to, 0o600);
      kept.push({ path, mode: (await stat(join(worktree, path))).mode & 0o777, converted: converted.includes(path) });
    }
    await writeFile(join(dir, MANIFEST), JSON.stringify(kept), { mode: 0o600 });
  }

  private async manifest(sessionId: string): Promise<KeptFile[]> {
    const dir = this.dir(sessionId);
    const manifest = await readFile(join(dir, MANIFEST), 'utf8').catch(() => null);
    if (manifest === null) return [];
    const parsed = parseJson(manifestSchema, manifest);
    // A damaged manifest: the kept files stay where they are (said, never guessed at).
    if (!parsed.ok) throw new Error(`the files kept aside in ${dir} cannot be read back (${parsed.error})`);
    return parsed.value;
  }

  /** What dropping the kept files loses: the exact bytes of converted files (placed ones are copies). */
  async lostItems(sessionId: string): Promise<LossItem[]> {
    const dir = this.dir(sessionId);
    const items: LossItem[] = [];
    for (const f of (await this.manifest(sessionId)).filter((x) => x.converted)) {
      items.push({
        kind: 'uncommitted',
        subject: f.path,
        detail: `${f.path} (its exact bytes, kept aside while paused — the branch holds it as git stores it, filtered or with converted line endings)`,
        key: `pk:${f.path}:${await contentHash(inside(dir, join('files', f.path)))}`,
      });
    }
    return items;
  }

  /**
   * Moves kept files resume could not write back (the branch has a newer version) out of the
   * pause's working folder — which the next pause clears — to `<data dir>/kept/<id>/<time>/`,
   * owner-only, that nothing removes. Returns that folder.
   */
  async setAside(sessionId: string, paths: readonly string[]): Promise<string> {
    const dest = join(dirname(this.root), 'kept', sessionId, new Date().toISOString().replace(/[:.]/g, '-'));
    await mkdir(dest, { recursive: true, mode: 0o700 });
    for (const path of paths) {
      const to = inside(dest, path);
      await mkdir(dirname(to), { recursive: true, mode: 0o700 });
      await copyFile(inside(this.dir(sessionId), join('files', path)), to);
      await chmod(to, 0o600);
    }
    return dest;
  }

  /**
   * Writes kept files back into `worktree` with their permissions: the placed ones, or the
   * converted ones `convertedBack` says yes to. Returns the converted files left where they are.
   */
  async giveBack(
    sessionId: string,
    worktree: string,
    convertedBack?: (path: string) => Promise<boolean>,
  ): Promise<string[]> {
    const dir = this.dir(sessionId);
    const left: string[] = [];
    for (const { path, mode, converted } of await this.manifest(sessionId)) {
      if (Boolean(converted) !== Boolean(convertedBack)) continue;
      if (converted && convertedBack && !(await convertedBack(path))) {
        left.push(path);
        continue;
      }
      const to = inside(worktree, path);
      await mkdir(dirname(to), { recursive: true });
      await copyFile(inside(dir, join('files', path)), to);
      await chmod(to, mode);
    }
    return left;
  }

  /** Forgets a session's kept files (after resume, or when the session ends). */
  async drop(sessionId: string): Promise<void> {
    await rm(this.dir(sessionId), { recursive: true, force: true });
  }
}

/** `rel` under `root`, refused when it would leave it (a path is data, never `..`). */
function inside(root: string, rel: string): string {
  const full = resolve(root, rel);
  if (!full.startsWith(resolve(root) + sep)) throw new Error(`${rel} is not inside ${root}`);
  return full;
}
