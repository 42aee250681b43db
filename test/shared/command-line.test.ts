import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, shellJoin, shellQuote, splitCommandLine } from '../../src/shared/command-line';

/** The argv a real sh makes of `line` (quote removal only: the lines below hold nothing it would expand). */
function shSplit(line: string): string[] {
  const out = execFileSync(
    '/bin/sh',
    ['-c', `eval "set -- $1"; for a in "$@"; do printf '%s\\0' "$a"; done`, 'sh', line],
    {
      encoding: 'utf8',
    },
  );
  return out === '' ? [] : out.slice(0, -1).split('\0');
}

/** What a real sh passes to a program for a quoted word. */
function shEcho(quoted: string): string {
  return execFileSync('/bin/sh', ['-c', `printf '%s' ${quoted}`], { encoding: 'utf8' });
}

const words = [
  'plain',
  'with space',
  "it's",
  'double "quoted"',
  'back\\slash',
  '$HOME',
  '$(rm -rf /)',
  '`date`',
  'a;b|c&d',
  '*.txt',
  '~/notes',
  '=ls',
  '',
  '  ',
  'tab\there',
  'new\nline',
  'emoji 😀 中文',
  '--flag=value',
  '/abs/path/file.ts',
];

describe('command lines', () => {
  it.each([
    'node agent.mjs --fast',
    `a "b c" 'd e' f\\ g`,
    `"h\\"i" "x\\y" 'single \\ stays'`,
    `"\\$x" "\\\`y" '$z'`,
    `  leading   and trailing  `,
    `"" '' empty-words`,
    `adjacent"quoted"'parts'`,
    `tab\tseparated`,
  ])('splits %j as sh does', (line) => {
    expect(splitCommandLine(line)).toEqual(shSplit(line));
  });

  it('never evaluates: substitutions, variables, operators and globs stay text', () => {
    expect(splitCommandLine('echo $(whoami) `id` $HOME a;b | c *.ts')).toEqual([
      'echo',
      '$(whoami)',
      '`id`',
      '$HOME',
      'a;b',
      '|',
      'c',
      '*.ts',
    ]);
  });

  it('reports an unclosed quote, and reads it leniently for previews', () => {
    const r = parseCommandLine(`run "half open`);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(/double quote .* never closed/);
    expect(splitCommandLine(`run "half open`)).toEqual(['run', 'half open']);
    expect(parseCommandLine(`it's`).ok).toBe(false);
    expect(parseCommandLine(`fine 'quoted'`)).toEqual({ ok: true, argv: ['fine', 'quoted'] });
  });

  it.each(words)('quotes %j so a real sh passes it unchanged', (word) => {
    expect(shEcho(shellQuote(word))).toBe(word);
  });

  it('leaves safe words bare and quotes what a shell (zsh included) would expand', () => {
    expect(shellQuote('src/main.ts')).toBe('src/main.ts');
    expect(shellQuote('--name=x')).toBe('--name=x');
    expect(shellQuote('~/x')).toBe("'~/x'");
    expect(shellQuote('=ls')).toBe("'=ls'");
    expect(shellQuote('')).toBe("''");
  });

  it('split(join(argv)) gives argv back', () => {
    expect(splitCommandLine(shellJoin(words))).toEqual(words);
    expect(shSplit(shellJoin(words))).toEqual(words);
  });
});
