import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveDefaultProgram, resolveTypeAgent } from './agent-defaults';
import { detectAgents, type DetectionEnv } from './agent-detection';

// Real executables in a temp HOME and a temp PATH folder: detection reads the disk as it would.
let root: string;
let denv: DetectionEnv;

function install(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, '#!/bin/sh\nexit 0\n');
  chmodSync(p, 0o755);
  return p;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ms-detect-'));
  const home = join(root, 'home');
  mkdirSync(home);
  const bin = join(root, 'bin');
  install(bin, 'bash');
  denv = { path: bin, home, env: { SHELL: '/bin/bash' } };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const auto = { defaultAgent: 'auto', typeAgents: {} };

describe('detection', () => {
  it('finds nothing on a bare machine; the shell is the default with the reason', () => {
    const detected = detectAgents(denv);
    expect(detected.filter((d) => d.resolvedPath && d.def.id !== 'shell')).toEqual([]);
    const choice = resolveDefaultProgram(auto, detected);
    expect(choice).toEqual({
      agent: 'shell',
      reason: 'no agent CLI is installed (looked on PATH and in the usual install folders), so your shell',
    });
  });

  it('finds agents in the usual install folders a GUI PATH lacks', () => {
    const claude = install(join(denv.home, '.claude', 'local'), 'claude');
    const codex = install(join(denv.home, '.nvm', 'versions', 'node', 'v22.1.0', 'bin'), 'codex');
    const gemini = install(join(denv.home, '.bun', 'bin'), 'gemini');
    const aider = install(join(denv.home, '.local', 'bin'), 'aider');
    const detected = detectAgents(denv);
    const at = (id: string) => detected.find((d) => d.def.id === id)!;
    expect(at('claude')).toMatchObject({ resolvedPath: claude, foundIn: 'install-place' });
    expect(at('codex')).toMatchObject({ resolvedPath: codex, foundIn: 'install-place' });
    expect(at('gemini')).toMatchObject({ resolvedPath: gemini, foundIn: 'install-place' });
    expect(at('aider')).toMatchObject({ resolvedPath: aider, foundIn: 'install-place' });
    expect(at('opencode').resolvedPath).toBeNull();
  });

  it('prefers PATH over an install folder, and a non-executable file is not an install', () => {
    install(join(denv.home, '.local', 'bin'), 'codex');
    const onPath = install(denv.path, 'codex');
    const notExec = join(denv.home, '.npm-global', 'bin', 'claude');
    mkdirSync(join(denv.home, '.npm-global', 'bin'), { recursive: true });
    writeFileSync(notExec, 'not a program');
    const detected = detectAgents(denv);
    expect(detected.find((d) => d.def.id === 'codex')).toMatchObject({ resolvedPath: onPath, foundIn: 'PATH' });
    expect(detected.find((d) => d.def.id === 'claude')!.resolvedPath).toBeNull();
  });
});

describe('defaults', () => {
  it('the default program is the first installed agent in catalog order', () => {
    install(denv.path, 'gemini');
    install(denv.path, 'codex');
    const choice = resolveDefaultProgram(auto, detectAgents(denv));
    expect(choice.agent).toBe('codex');
    expect(choice.reason).toBe('Codex is the first installed agent (on PATH)');
  });

  it('a setting naming an installed agent wins; one naming a missing agent falls back and says so', () => {
    install(denv.path, 'codex');
    install(denv.path, 'aider');
    const detected = detectAgents(denv);
    expect(resolveDefaultProgram({ defaultAgent: 'aider' }, detected)).toEqual({
      agent: 'aider',
      reason: 'default program set to Aider in Settings',
    });
    const missing = resolveDefaultProgram({ defaultAgent: 'claude' }, detected);
    expect(missing.agent).toBe('codex');
    expect(missing.reason).toMatch(/^Claude Code \(set in Settings\) is not installed; Codex is the first installed/);
    expect(resolveDefaultProgram({ defaultAgent: 'shell' }, detected).agent).toBe('shell');
  });

  it('a type uses its preference when installed, else the default program, with the reason', () => {
    install(denv.path, 'claude');
    let detected = detectAgents(denv);
    const research = resolveTypeAgent('web_research', auto, detected);
    expect(research.agent).toBe('claude');
    expect(research.reason).toBe(
      'Gemini CLI, which this type prefers, is not installed; default program: Claude Code is the first installed agent (on PATH)',
    );
    expect(resolveTypeAgent('code_generation', auto, detected).reason).toMatch(/^default program: Claude Code/);
    install(denv.path, 'gemini');
    detected = detectAgents(denv);
    expect(resolveTypeAgent('web_research', auto, detected)).toEqual({
      agent: 'gemini',
      reason: 'this type prefers Gemini CLI',
    });
    expect(resolveTypeAgent('general', { defaultAgent: 'auto', typeAgents: { general: 'gemini' } }, detected)).toEqual({
      agent: 'gemini',
      reason: 'set for this type in Settings',
    });
  });
});
