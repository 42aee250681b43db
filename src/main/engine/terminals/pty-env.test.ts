import { describe, expect, it } from 'vitest';
import { buildPtyEnv } from './pty-env';

describe('buildPtyEnv', () => {
  const host = {
    PATH: '/usr/bin:/bin',
    HOME: '/home/a',
    LANG: 'en_US.UTF-8',
    LC_ALL: 'C.UTF-8',
    XDG_CONFIG_HOME: '/home/a/.config',
    ANTHROPIC_API_KEY: 'sk-ant',
    OPENAI_API_KEY: 'sk-oai',
    AWS_REGION: 'eu-west-1',
    GEMINI_API_KEY: 'g',
    CLAUDE_CONFIG_DIR: '/c',
    MULTISESSION_TOKEN: 'secret',
    MULTISESSION_HOME: '/data',
    ELECTRON_RUN_AS_NODE: '1',
    NODE_OPTIONS: '--inspect',
    GITHUB_TOKEN: 'ghp',
    TERM: 'dumb',
    UNSET: undefined,
  };

  it('keeps only allow-listed host variables and sets the terminal identity', () => {
    const env = buildPtyEnv({}, host);
    expect(env).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/a',
      LANG: 'en_US.UTF-8',
      LC_ALL: 'C.UTF-8',
      XDG_CONFIG_HOME: '/home/a/.config',
      ANTHROPIC_API_KEY: 'sk-ant',
      OPENAI_API_KEY: 'sk-oai',
      AWS_REGION: 'eu-west-1',
      GEMINI_API_KEY: 'g',
      CLAUDE_CONFIG_DIR: '/c',
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
    });
  });

  it('lets the session add and override variables', () => {
    const env = buildPtyEnv({ FOO: 'bar', PATH: '/opt/bin', MULTISESSION_SESSION_ID: 's1' }, host);
    expect(env.FOO).toBe('bar');
    expect(env.PATH).toBe('/opt/bin');
    expect(env.MULTISESSION_SESSION_ID).toBe('s1');
    expect(env.MULTISESSION_TOKEN).toBeUndefined();
  });

  it('always has a PATH', () => {
    expect(buildPtyEnv({}, {}).PATH).toContain('/usr/bin');
  });
});
