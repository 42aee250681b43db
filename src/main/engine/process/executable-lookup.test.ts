import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findOnPath, isExecutableFile, resolveExecutable } from './executable-lookup';

const root = mkdtempSync(join(tmpdir(), 'ms-lookup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(path: string, mode: number): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, mode);
  return path;
}

const first = join(root, 'first');
const second = join(root, 'second');
const plainFile = file(join(first, 'tool'), 0o644); // not executable: skipped
const realTool = file(join(second, 'tool'), 0o755);
mkdirSync(join(first, 'dir-tool'), { recursive: true }); // a folder named like a program
const dirTool = file(join(second, 'dir-tool'), 0o755);
const local = file(join(root, 'work', 'bin', 'local-tool'), 0o755);

describe('executable lookup (the one PATH search)', () => {
  it('takes the first executable regular file along PATH, skipping non-executables and folders', () => {
    const path = [first, second].join(delimiter);
    expect(isExecutableFile(plainFile)).toBe(false);
    expect(findOnPath('tool', path)).toBe(realTool);
    expect(findOnPath('dir-tool', path)).toBe(dirTool);
    expect(findOnPath('missing', path)).toBeNull();
    expect(findOnPath('tool', undefined)).toBeNull();
  });

  it('never reads empty PATH entries as the current folder, and relative ones only against a given cwd', () => {
    const work = join(root, 'work');
    expect(findOnPath('local-tool', `${delimiter}bin${delimiter}`)).toBeNull();
    expect(findOnPath('local-tool', `bin`, work)).toBe(local);
    expect(findOnPath('local-tool', `${delimiter}${delimiter}`, work)).toBeNull();
  });

  it('reads a name with a slash as a path: absolute, or relative to cwd (refused without one)', () => {
    const work = join(root, 'work');
    expect(resolveExecutable(local, undefined)).toBe(local);
    expect(resolveExecutable('./bin/local-tool', undefined, work)).toBe(local);
    expect(resolveExecutable('./bin/local-tool', undefined)).toBeNull();
    expect(resolveExecutable(plainFile, second)).toBeNull();
    expect(resolveExecutable('tool', [first, second].join(delimiter))).toBe(realTool);
  });
});
