import { describe, expect, it } from 'vitest';
import { mayConflict, parseNameStatus, type ChangedPaths } from './path-overlap';

const paths = (spec: { added?: string[]; deleted?: string[]; modified?: string[] }): ChangedPaths => ({
  added: new Set(spec.added ?? []),
  deleted: new Set(spec.deleted ?? []),
  modified: new Set(spec.modified ?? []),
});

describe('which pairs need git merge-tree', () => {
  it('disjoint files are proven clean', () => {
    expect(
      mayConflict(paths({ modified: ['src/a.ts'] }), paths({ modified: ['src/b.ts'], added: ['docs/x.md'] })),
    ).toBe(false);
  });
  it('one shared path, whatever the kind of change, needs git', () => {
    expect(mayConflict(paths({ modified: ['a'] }), paths({ deleted: ['a'] }))).toBe(true);
    expect(mayConflict(paths({ added: ['n'] }), paths({ added: ['n'] }))).toBe(true);
  });
  it('a file on one side that is a folder on the other needs git', () => {
    expect(mayConflict(paths({ added: ['out'] }), paths({ added: ['out/report.txt'] }))).toBe(true);
    expect(mayConflict(paths({ added: ['a/b/c.txt'] }), paths({ deleted: ['a/b'] }))).toBe(true);
  });
  it('files added where the other side moved files out (a directory rename) need git; the top folder never counts', () => {
    expect(mayConflict(paths({ deleted: ['lib/x.ts'], added: ['src/x.ts'] }), paths({ added: ['lib/new.ts'] }))).toBe(
      true,
    );
    expect(mayConflict(paths({ deleted: ['x.ts'] }), paths({ added: ['y.ts'] }))).toBe(false);
  });
  it('reads git diff --name-status -z', () => {
    const p = parseNameStatus('M\0a.txt\0A\0dir/new file.txt\0D\0gone.txt\0T\0link\0');
    expect([...p.modified]).toEqual(['a.txt', 'link']);
    expect([...p.added]).toEqual(['dir/new file.txt']);
    expect([...p.deleted]).toEqual(['gone.txt']);
  });
});
