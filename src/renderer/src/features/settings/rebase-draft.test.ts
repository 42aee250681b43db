import { describe, expect, it } from 'vitest';
import { changedFields, rebaseDraft, rebaseText } from './rebase-draft';

describe('rebaseDraft', () => {
  const base = { theme: 'system', maxRunning: 8, repoSettings: {} as Record<string, { merge: string }> };

  it('takes every field changed elsewhere when nothing was edited here', () => {
    const fresh = { ...base, repoSettings: { '/r': { merge: 'squash' } } };
    expect(rebaseDraft({ ...base }, base, fresh)).toEqual(fresh);
  });

  it('keeps the fields edited here and takes the others', () => {
    const draft = { ...base, theme: 'dark' };
    const fresh = { ...base, maxRunning: 4, repoSettings: { '/r': { merge: 'squash' } } };
    expect(rebaseDraft(draft, base, fresh)).toEqual({
      theme: 'dark',
      maxRunning: 4,
      repoSettings: { '/r': { merge: 'squash' } },
    });
  });

  it('keeps an edit here over a change of the same field elsewhere (the user sees theirs and may Revert)', () => {
    const draft = { ...base, maxRunning: 12 };
    expect(rebaseDraft(draft, base, { ...base, maxRunning: 4 }).maxRunning).toBe(12);
  });

  it('compares nested values by content, not identity', () => {
    const draft = { ...base, repoSettings: {} };
    const fresh = { ...base, repoSettings: { '/r': { merge: 'rebase' } } };
    expect(rebaseDraft(draft, base, fresh).repoSettings).toEqual({ '/r': { merge: 'rebase' } });
  });
});

describe('rebaseText', () => {
  it('follows the new value until the text is edited here', () => {
    expect(rebaseText('.env', '.env', '.env\n.env.local')).toBe('.env\n.env.local');
    expect(rebaseText('.env\nsecrets', '.env', '.env\n.env.local')).toBe('.env\nsecrets');
  });
});

describe('rebaseDraft on maps (the repositories’ own settings)', () => {
  type S = { repoSettings: Record<string, Record<string, string>> };
  const base: S = { repoSettings: { a: { update: 'rebase' }, b: { merge: 'merge' } } };

  it('keeps an edit to one repository here and takes a change to another from elsewhere', () => {
    const draft: S = { repoSettings: { a: { update: 'merge' }, b: { merge: 'merge' } } };
    const fresh: S = { repoSettings: { a: { update: 'rebase' }, b: { merge: 'squash' } } };
    expect(rebaseDraft(draft, base, fresh)).toEqual({
      repoSettings: { a: { update: 'merge' }, b: { merge: 'squash' } },
    });
  });

  it('takes a repository added or removed elsewhere, and keeps one removed here', () => {
    const draft: S = { repoSettings: { b: { merge: 'merge' } } };
    const fresh: S = { repoSettings: { a: { update: 'rebase' }, c: { merge: 'squash' } } };
    expect(rebaseDraft(draft, base, fresh)).toEqual({ repoSettings: { c: { merge: 'squash' } } });
  });
});

describe('changedFields', () => {
  it('lists only what differs from what was loaded', () => {
    expect(changedFields({ a: 1, b: [1], c: 'x' }, { a: 1, b: [2], c: 'x' }, ['a', 'b', 'c'] as const)).toEqual({
      b: [1],
    });
  });
});
