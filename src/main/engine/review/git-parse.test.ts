import { describe, expect, it } from 'vitest';
import { conflictKind, parseMergeTree, parseRawNumstat, parseStatusV2, splitPatch } from './git-parse';
import { compareUrl } from './github-cli';

describe('git output parsers', () => {
  it('--raw --numstat -z: statuses, renames and binary files', () => {
    const out = [
      ':100644 100644 aaa bbb M',
      'a.txt',
      ':100644 100644 ccc ccc R100',
      'old name',
      'new name',
      ':000000 100644 000 ddd A',
      'img.png',
      '3\t1\ta.txt',
      '0\t0\t',
      'old name',
      'new name',
      '-\t-\timg.png',
      '',
    ].join('\0');
    expect(parseRawNumstat(out.split('\0'))).toEqual([
      { path: 'a.txt', oldPath: null, status: 'M', additions: 3, deletions: 1, binary: false },
      { path: 'new name', oldPath: 'old name', status: 'R', additions: 0, deletions: 0, binary: false },
      { path: 'img.png', oldPath: null, status: 'A', additions: 0, deletions: 0, binary: true },
    ]);
  });

  it('status porcelain v2: ordinary, untracked, unmerged and paths with spaces', () => {
    const out = [
      '1 .M N... 100644 100644 100644 aaa aaa file with spaces.txt',
      '1 A. N... 000000 100644 100644 000 bbb new.txt',
      'u UU N... 100644 100644 100644 100644 a b c conflicted.txt',
      '? untracked dir/x.txt',
      '',
    ].join('\0');
    expect(parseStatusV2(out)).toEqual([
      { path: 'file with spaces.txt', x: '.', y: 'M', untracked: false, conflicted: false },
      { path: 'new.txt', x: 'A', y: '.', untracked: false, conflicted: false },
      { path: 'conflicted.txt', x: 'U', y: 'U', untracked: false, conflicted: true },
      { path: 'untracked dir/x.txt', x: '?', y: '?', untracked: true, conflicted: false },
    ]);
  });

  it("conflict kinds are named from the session's side: ours is the base in a rebase", () => {
    expect(conflictKind('U', 'D', 'rebase')).toBe('deleted-by-session');
    expect(conflictKind('U', 'D', 'merge')).toBe('deleted-by-base');
    expect(conflictKind('A', 'A', 'merge')).toBe('both-added');
  });

  it('merge-tree --name-only -z: the tree and each conflicted path once', () => {
    expect(parseMergeTree('abc123\0f.txt\0g.txt\0\0')).toEqual({ tree: 'abc123', conflicts: ['f.txt', 'g.txt'] });
    expect(parseMergeTree('abc123\0')).toEqual({ tree: 'abc123', conflicts: [] });
  });

  it('splits a patch at file headers only', () => {
    const patch = 'diff --git a/x b/x\n+diff --git in content\n-y\ndiff --git a/z b/z\n+z\n';
    expect(splitPatch(patch)).toEqual(['diff --git a/x b/x\n+diff --git in content\n-y\n', 'diff --git a/z b/z\n+z\n']);
    expect(splitPatch('')).toEqual([]);
  });
});

describe('compare URLs', () => {
  it('GitHub over ssh and https, GitLab, Bitbucket; nothing for a path or an unknown host', () => {
    expect(compareUrl('git@github.com:acme/app.git', 'main', 'ms/fix login')).toBe(
      'https://github.com/acme/app/compare/main...ms/fix%20login?expand=1',
    );
    expect(compareUrl('https://github.com/acme/app', 'main', 'x')).toBe(
      'https://github.com/acme/app/compare/main...x?expand=1',
    );
    expect(compareUrl('ssh://git@gitlab.com/group/sub/app.git', 'main', 'x')).toBe(
      'https://gitlab.com/group/sub/app/-/merge_requests/new?merge_request%5Bsource_branch%5D=x&merge_request%5Btarget_branch%5D=main',
    );
    expect(compareUrl('https://bitbucket.org/acme/app.git', 'main', 'x')).toBe(
      'https://bitbucket.org/acme/app/pull-requests/new?source=x&dest=main',
    );
    expect(compareUrl('/srv/git/app.git', 'main', 'x')).toBeNull();
    expect(compareUrl('https://git.example.com/acme/app.git', 'main', 'x')).toBeNull();
  });
});
