import { afterEach, beforeEach, expect, it } from 'vitest';
import { openEngine, type Harness } from '../support/engine-harness';

let h: Harness;
beforeEach(async () => {
  h = await openEngine();
});
afterEach(async () => {
  await h.close();
});

it('settings.update refuses what the Settings page refuses, in the same words, and changes nothing', async () => {
  const before = await h.call('settings.get', {});
  const refused = async (patch: Record<string, unknown>) => {
    const r = await h.request('settings.update', patch);
    expect(r.ok).toBe(false);
    return r.ok ? '' : `${r.error.code}: ${r.error.message}`;
  };
  expect(await refused({ branchTemplate: 'agent/fixed' })).toMatch(/^BAD_INPUT: .*needs \{name\}/);
  expect(await refused({ branchTemplate: '{name}-{when}' })).toMatch(/Unknown placeholder \{when\}/);
  expect(await refused({ maxRunning: 0 })).toMatch(/At least 1/);
  expect(await refused({ maxRunning: 2.5 })).toMatch(/whole number/);
  expect(await refused({ worktreeRoot: 'relative/dir' })).toMatch(/absolute path/);
  expect(await h.call('settings.get', {})).toEqual(before);
  const ok = await h.call('settings.update', { branchTemplate: '{type}/{name}', maxRunning: 3 });
  expect(ok).toMatchObject({ branchTemplate: '{type}/{name}', maxRunning: 3 });
});
