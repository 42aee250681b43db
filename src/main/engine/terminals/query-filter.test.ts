import { describe, expect, it } from 'vitest';
import { QueryFilter } from './query-filter';

const queries = {
  'cursor position (DSR 6)': '\x1b[6n',
  'status (DSR 5)': '\x1b[5n',
  'DEC cursor position': '\x1b[?6n',
  'device attributes': '\x1b[c',
  'DA with 0': '\x1b[0c',
  'secondary DA': '\x1b[>c',
  'tertiary DA': '\x1b[=c',
  'DEC mode report': '\x1b[?1007$p',
  'ANSI mode report': '\x1b[4$p',
  'terminal version': '\x1b[>q',
  'kitty keyboard flags': '\x1b[?u',
  'window size in cells': '\x1b[18t',
  'cell size in pixels': '\x1b[16t',
  'foreground colour (ST)': '\x1b]10;?\x1b\\',
  'background colour (BEL)': '\x1b]11;?\x07',
  'palette entry': '\x1b]4;1;?\x1b\\',
  'clipboard read': '\x1b]52;c;?\x07',
  'setting query (DECRQSS)': '\x1bP$qm\x1b\\',
  'capability query (XTGETTCAP)': '\x1bP+q544e\x1b\\',
};

const notQueries = {
  SGR: '\x1b[1;31m',
  'cursor move': '\x1b[10;5H',
  'cursor shape (space intermediate)': '\x1b[5 q',
  'kitty keyboard push': '\x1b[>1u',
  'set title': '\x1b]0;title\x07',
  'set colour': '\x1b]11;#ffffff\x07',
  hyperlink: '\x1b]8;;http://x\x1b\\',
  'alternate screen': '\x1b[?1049h',
  'window resize request': '\x1b[8;24;80t',
  'keypad mode': '\x1b=',
};

describe('QueryFilter', () => {
  it.each(Object.entries(queries))('removes %s', (_name, q) => {
    expect(new QueryFilter().filter(`a${q}b`)).toBe('ab');
  });

  it.each(Object.entries(notQueries))('keeps %s', (_name, seq) => {
    expect(new QueryFilter().filter(`a${seq}b`)).toBe(`a${seq}b`);
  });

  it('holds a query cut by a chunk boundary and drops it once complete', () => {
    const f = new QueryFilter();
    expect(f.filter('text\x1b[')).toBe('text');
    expect(f.pending()).toBe('\x1b[');
    expect(f.filter('6')).toBe('');
    expect(f.filter('nmore')).toBe('more');
    expect(f.pending()).toBe('');
  });

  it('passes on a held sequence that turns out not to be a query', () => {
    const f = new QueryFilter();
    expect(f.filter('x\x1b]11;')).toBe('x');
    expect(f.filter('#000\x07y')).toBe('\x1b]11;#000\x07y');
  });

  it('gives up holding a string sequence longer than its limit', () => {
    const f = new QueryFilter(10);
    const long = `\x1b]0;${'t'.repeat(50)}`;
    expect(f.filter(long)).toBe(long);
  });

  it('what codex prints at start keeps its modes and loses its queries', () => {
    const start =
      '\x1b[?2004h\x1b[>7u\x1b[?1004h\x1b[?u\x1b[?1007$p\x1b[c\x1b[6n\x1b]10;?\x1b\\\x1b]11;?\x1b\\\x1b[?1049h';
    expect(new QueryFilter().filter(start)).toBe('\x1b[?2004h\x1b[>7u\x1b[?1004h\x1b[?1049h');
  });
});
