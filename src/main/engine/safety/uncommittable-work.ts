import { join } from 'node:path';
import type { LossItem } from '../../../shared/removal';
import type { GitClient } from '../git/git-client';
import { contentHash } from './content-hash';
import { parseStatusV2, type PlacedFiles } from './worktree-work';

const lines = (out: string): string[] => out.split('\0').filter(Boolean);

/**
 * What freeing a worktree's folder loses once its tracked changes and new files are committed
 * (pause): everything git cannot commit — ignored files and folders (dependencies, build output,
 * `.env`), empty folders, repositories nested inside it, submodule work. Files the app placed at
 * creation and nobody edited are not listed: pause keeps them aside and resume puts them back.
 * Ignored folders are listed as one item each (their contents are not walked: node_modules can
 * hold a million files), so accepting one accepts the folder as a whole. Any git failure throws.
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
        key: `pn:${e.path}`,
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
      items.push({
        kind: 'ignored-work',
        subject: path,
        detail: `${path} (ignored folder — git cannot commit it; dependencies or build output can be made again)`,
        key: `pi:${path}`,
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
