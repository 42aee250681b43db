import { join } from 'node:path';
import type { LossItem } from '../../../shared/removal';
import type { GitClient } from '../git/git-client';
import { contentHash, folderDigest } from './content-hash';
import { BUILD_OUTPUT_DIRS, parseStatusV2, type PlacedFiles } from './worktree-work';

const lines = (out: string): string[] => out.split('\0').filter(Boolean);

/**
 * What freeing a worktree's folder loses once its tracked changes and new files are committed
 * (pause): everything git cannot commit — ignored files and folders (dependencies, build output,
 * `.env`), empty folders, repositories nested inside it, submodule work. Files the app placed at
 * creation and nobody edited are not listed: pause keeps them aside and resume puts them back.
 * Ignored folders are listed as one item each, keyed by a digest of what they hold (`folderDigest`):
 * accepting one accepts the folder as it was shown, and any change in it after asks again —
 * except dependency and build-output folders (BUILD_OUTPUT_DIRS), accepted as a whole. Any git
 * failure throws.
 */
export async function uncommittableWork(git: GitClient, worktree: string, placed: PlacedFiles): Promise<LossItem[]> {
  const items: LossItem[] = [];
  const status = await git.run(worktree, [
    'status',
    '--porcelain=v2',
    '-z',
    '--untracked-files=all',
    '--ignore-submodules=none',
  ]);
  for (const e of parseStatusV2(status)) {
    if (e.kind === 'submodule') {
      items.push({
        kind: 'submodule',
        subject: e.path,
        detail: `submodule ${e.path} (its checkout and commits live in the folder)`,
        key: `ps:${e.path}:${e.code}`,
      });
    } else if (e.kind === 'untracked' && e.path.endsWith('/')) {
      items.push({
        kind: 'untracked',
        subject: e.path,
        detail: `${e.path} (a git repository inside the worktree — git can commit only a pointer to it)`,
        // Its contents as they were shown: a commit or edit in it after asks again.
        key: `pn:${e.path}:${(await folderDigest(join(worktree, e.path))).digest}`,
      });
    }
  }
  const ignored = await git.run(worktree, [
    'ls-files',
    '-z',
    '--others',
    '--ignored',
    '--exclude-standard',
    '--directory',
  ]);
  for (const path of lines(ignored)) {
    if (path.endsWith('/')) {
      const name = path.slice(0, -1).split('/').pop() ?? '';
      if (BUILD_OUTPUT_DIRS.includes(name)) {
        // Dependencies and build output, made again by a build: accepted as a whole, not walked
        // (node_modules can hold 300 000 files, and a running dev server writes in .next/ or target/).
        items.push({
          kind: 'ignored-work',
          subject: path,
          detail: `${path} (ignored dependencies or build output — git cannot commit it; a build makes it again)`,
          key: `pi:${path}`,
        });
        continue;
      }
      const inside = await folderDigest(join(worktree, path));
      items.push({
        kind: 'ignored-work',
        subject: path,
        detail: `${path} (ignored folder, ${inside.files} file${inside.files === 1 ? '' : 's'} — git cannot commit it; dependencies or build output can be made again)`,
        key: `pi:${path}:${inside.digest}`,
      });
      continue;
    }
    const hash = await contentHash(join(worktree, path));
    if (placed.get(path) === hash) continue;
    items.push({
      kind: 'ignored-work',
      subject: path,
      detail: `${path} (ignored by git, so it cannot be committed)`,
      key: `pi:${path}:${hash}`,
    });
  }
  const withEmpty = lines(await git.run(worktree, ['ls-files', '-z', '--others', '--exclude-standard', '--directory']));
  const withoutEmpty = new Set(
    lines(
      await git.run(worktree, [
        'ls-files',
        '-z',
        '--others',
        '--exclude-standard',
        '--directory',
        '--no-empty-directory',
      ]),
    ),
  );
  for (const path of withEmpty) {
    if (withoutEmpty.has(path) || !path.endsWith('/')) continue;
    items.push({
      kind: 'untracked',
      subject: path,
      detail: `${path} (empty folder — git cannot commit an empty folder)`,
      key: `pe:${path}`,
    });
  }
  return items;
}
