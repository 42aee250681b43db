import { useEffect, useRef, useState } from 'react';
import type { TerminalController } from './terminal-controller';
import { currentThemeMode } from './terminal-theme';

// Match highlights readable on each theme's background (xterm wants #RRGGBB).
const decorationsFor = (mode: 'dark' | 'light') =>
  mode === 'dark'
    ? {
        matchBackground: '#623315',
        matchOverviewRuler: '#d18616',
        activeMatchBackground: '#a0522d',
        activeMatchBorder: '#ff8c00',
        activeMatchColorOverviewRuler: '#ff8c00',
      }
    : {
        matchBackground: '#fff3a3',
        matchOverviewRuler: '#d18616',
        activeMatchBackground: '#ffc94d',
        activeMatchBorder: '#c77700',
        activeMatchColorOverviewRuler: '#c77700',
      };

/** The find bar over a terminal: next / previous, case toggle, match count. Esc closes it. */
export function TerminalSearchBar({ controller }: { controller: TerminalController }) {
  const [query, setQuery] = useState('');
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [results, setResults] = useState<{ index: number; count: number } | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
    const sub = controller.search.onDidChangeResults((r) => setResults({ index: r.resultIndex, count: r.resultCount }));
    return () => sub.dispose();
  }, [controller]);

  const find = (dir: 'next' | 'prev', q = query, cs = caseSensitive, incremental = false) => {
    if (!q) {
      controller.search.clearDecorations();
      setResults(null);
      return;
    }
    const opts = { caseSensitive: cs, decorations: decorationsFor(currentThemeMode()), incremental };
    if (dir === 'next') controller.search.findNext(q, opts);
    else controller.search.findPrevious(q, opts);
  };

  const label = !query
    ? ''
    : !results || results.count === 0
      ? 'No results'
      : results.index < 0
        ? `${results.count}+ matches`
        : `${results.index + 1} of ${results.count}`;

  return (
    <div className="term-search" role="search" data-testid="terminal-search">
      <input
        ref={input}
        value={query}
        placeholder="Find"
        aria-label="Find in terminal"
        onChange={(e) => {
          setQuery(e.target.value);
          find('next', e.target.value, caseSensitive, true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            find(e.shiftKey ? 'prev' : 'next');
          } else if (e.key === 'Escape') {
            e.preventDefault();
            controller.closeSearch();
          }
        }}
      />
      <span className="term-search-count">{label}</span>
      <button
        type="button"
        className={caseSensitive ? 'term-search-toggle on' : 'term-search-toggle'}
        title="Match case"
        aria-pressed={caseSensitive}
        onClick={() => {
          setCaseSensitive(!caseSensitive);
          find('next', query, !caseSensitive, true);
        }}
      >
        Aa
      </button>
      <button type="button" title="Previous match (Shift+Enter)" onClick={() => find('prev')}>
        ↑
      </button>
      <button type="button" title="Next match (Enter)" onClick={() => find('next')}>
        ↓
      </button>
      <button type="button" title="Close (Esc)" onClick={() => controller.closeSearch()}>
        ×
      </button>
    </div>
  );
}
