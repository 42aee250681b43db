import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import {
  branchNameFromTemplate,
  branchNameProblem,
  branchTemplateProblem,
  firstFreeBranchName,
} from '../../src/shared/branch-names';

/** git's own verdict, the reference the pure check must agree with. */
function gitAccepts(name: string): boolean {
  try {
    const out = execFileSync('git', ['check-ref-format', '--branch', name], { encoding: 'utf8', cwd: tmpdir() });
    return out.trim() === name;
  } catch {
    return false;
  }
}

describe('branchNameProblem', () => {
  const names = [
    'feature/login',
    'ms/fix-1',
    'a.b',
    'x_y-z',
    'ünïcode/名前',
    '-x',
    'a..b',
    'a b',
    'a~b',
    'a^b',
    'a:b',
    'a?b',
    'a*b',
    'a[b',
    'a\\b',
    '/a',
    'a/',
    'a//b',
    'a.',
    '.a',
    'a/.b',
    'a.lock',
    'a/b.lock/c',
    'a@{b',
    '@',
    'tab\there',
  ];
  it('agrees with the engine check (git check-ref-format --branch, no leading -, no @) on every sample', () => {
    for (const n of names) {
      expect(branchNameProblem(n) === null, n).toBe(gitAccepts(n) && !n.startsWith('-') && n !== '@');
    }
  });
  it('says what is wrong in words', () => {
    expect(branchNameProblem('a b')).toMatch(/spaces/);
    expect(branchNameProblem('a..b')).toMatch(/“\.\.”/);
  });
});

describe('templates', () => {
  it('derives the name the engine derives and makes it unique the same way', () => {
    expect(branchNameFromTemplate('ms/{name}', { name: 'Fix Login!', type: 'general' })).toBe('ms/fix-login');
    expect(firstFreeBranchName('ms/fix', ['main', 'ms/fix'])).toBe('ms/fix-2');
    expect(firstFreeBranchName('ms/fix', ['ms/fix/deeper'])).toBe('ms/fix-2');
    expect(firstFreeBranchName('ms', ['ms/other'])).toBe('ms-2');
  });
  it('refuses a template without {name} or with an unknown placeholder', () => {
    expect(branchTemplateProblem('agent/fixed')).toMatch(/\{name\}/);
    expect(branchTemplateProblem('{nmae}')).toMatch(/\{name\}/);
    expect(branchTemplateProblem('{name}-{when}')).toMatch(/Unknown placeholder \{when\}/);
    expect(branchTemplateProblem('{type}/{name}-{date}')).toBeNull();
    expect(branchTemplateProblem('')).toBeNull();
  });
});
