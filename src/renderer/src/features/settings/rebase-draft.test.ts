import { describe, expect, it } from 'vitest';
import { rebaseDraft, rebaseText } from './rebase-draft';

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
