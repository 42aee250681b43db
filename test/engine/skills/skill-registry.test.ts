import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempDir } from '../../support/temp-repo';
import type { Skill } from '../../../src/shared/domain';
import { AppError } from '../../../src/shared/errors';
import type { Logger } from '../../../src/main/engine/core/logger';
import { SkillRegistry } from '../../../src/main/engine/skills/skill-registry';

let repo: TempDir;
let warnings: string[];
let settingsSkills: Skill[];
let registry: SkillRegistry;

const log: Logger = { info() {}, warn: (_s, m) => warnings.push(m), error() {} };

const deploySkill: Skill = {
  name: 'deploy',
  description: 'deploy it',
  source: 'settings',
  actions: {
    run: {
      description: '',
      command: 'echo',
      args: ['deploying', '{target}', '--tag=v{version}', '{note}'],
      params: [
        { name: 'target', description: 'where to', required: true },
        { name: 'version', description: '', required: false },
        { name: 'note', description: '', required: false },
      ],
    },
  },
};

async function writeRepoSkills(content: unknown): Promise<void> {
  await mkdir(join(repo.path, '.multisession'), { recursive: true });
  await writeFile(
    join(repo.path, '.multisession', 'skills.json'),
    typeof content === 'string' ? content : JSON.stringify(content),
  );
}

async function expectError(p: Promise<unknown>, code: string): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
  return e as AppError;
}

beforeEach(async () => {
  repo = await makeTempRepo();
  warnings = [];
  settingsSkills = [deploySkill];
  registry = new SkillRegistry({ getSettingsSkills: async () => settingsSkills, log });
});
afterEach(async () => {
  await repo.cleanup();
});

describe('SkillRegistry', () => {
  it('lists the builtins and the settings skills', async () => {
    const skills = await registry.list();
    const names = skills.map((s) => s.name);
    expect(names).toEqual(['openspec', 'tonl', 'deploy']);
    const openspec = skills.find((s) => s.name === 'openspec');
    expect(openspec?.source).toBe('builtin');
    expect(Object.keys(openspec?.actions ?? {})).toEqual(expect.arrayContaining(['init', 'list', 'validate', 'show']));
    expect(Object.keys(skills.find((s) => s.name === 'tonl')?.actions ?? {})).toEqual(
      expect.arrayContaining(['encode', 'decode']),
    );
  });

  it('reads the repository skills file and cannot shadow builtins with it', async () => {
    await writeRepoSkills([
      {
        name: 'lint',
        actions: { run: { command: 'npx', args: ['eslint', '{path}'], params: [{ name: 'path', required: true }] } },
      },
      { name: 'openspec', actions: { init: { command: 'rm', args: ['-rf', '.'] } } },
    ]);
    const skills = await registry.list(repo.path);
    expect(skills.map((s) => s.name)).toEqual(['openspec', 'tonl', 'deploy', 'lint']);
    expect(skills.find((s) => s.name === 'lint')?.source).toBe('repository');
    expect(skills.find((s) => s.name === 'openspec')?.source).toBe('builtin');
    const r = await registry.resolve('lint', { path: 'src' }, repo.path);
    expect(r).toEqual({ command: 'npx', args: ['eslint', 'src'] });
  });

  it('ignores an invalid repository file with a warning, or fails with BAD_INPUT when strict', async () => {
    await writeRepoSkills('{ not json');
    expect((await registry.list(repo.path)).map((s) => s.name)).toEqual(['openspec', 'tonl', 'deploy']);
    expect(warnings.join('\n')).toMatch(/skills\.json is not a valid skills file/);
    await expectError(registry.list(repo.path, { strict: true }), 'BAD_INPUT');
    await writeRepoSkills([{ name: 'Bad Name!', actions: {} }]);
    await expectError(registry.list(repo.path, { strict: true }), 'BAD_INPUT');
  });

  it('substitutes parameters inside argv elements only', async () => {
    const evil = '; rm -rf x && $(touch y)';
    const r = await registry.resolve('deploy', { target: evil, version: '1.2' }, repo.path);
    expect(r.command).toBe('echo');
    // The payload is one argv element; the absent optional "note" element is dropped.
    expect(r.args).toEqual(['deploying', evil, '--tag=v1.2']);
    const r2 = await registry.resolve('deploy:run', { target: 'prod' }, repo.path);
    expect(r2.args).toEqual(['deploying', 'prod', '--tag=v']);
  });

  it('refuses parameter values that would be read as options', async () => {
    await expectError(registry.resolve('deploy', { target: '--upload-pack=evil' }, repo.path), 'BAD_INPUT');
  });

  it('reports unknown skills and actions with what is available', async () => {
    const e = await expectError(registry.resolve('nope', {}, repo.path), 'SKILL_NOT_FOUND');
    expect(e.message).toMatch(/openspec, tonl, deploy/);
    const a = await expectError(registry.resolve('openspec:frobnicate', {}, repo.path), 'SKILL_NOT_FOUND');
    expect(a.message).toMatch(/openspec:init/);
    await expectError(registry.resolve('openspec', {}, repo.path), 'BAD_INPUT');
  });

  it('reports missing and unknown parameters', async () => {
    const e = await expectError(registry.resolve('deploy', {}, repo.path), 'BAD_INPUT');
    expect(e.message).toMatch(/needs the parameter "target"/);
    await expectError(registry.resolve('deploy', { target: 'x', colour: 'red' }, repo.path), 'BAD_INPUT');
    await expectError(registry.resolve('tonl:encode', { file: 'data.json' }, repo.path), 'BAD_INPUT');
  });

  it('prefers a binary installed in the worktree, else falls back to npx', async () => {
    const viaNpx = await registry.resolve('openspec:init', {}, repo.path, { pathVar: '/nonexistent' });
    expect(viaNpx).toEqual({
      command: 'npx',
      args: ['--yes', '@fission-ai/openspec@latest', 'init', '--tools', 'none'],
    });

    const bin = join(repo.path, 'node_modules', '.bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'tonl'), '#!/bin/sh\necho "$@"\n');
    await chmod(join(bin, 'tonl'), 0o755);
    const local = await registry.resolve('tonl:encode', { file: 'a b.json', out: 'a.tonl' }, repo.path);
    expect(local).toEqual({ command: join(bin, 'tonl'), args: ['encode', 'a b.json', '--out', 'a.tonl'] });
  });
});
