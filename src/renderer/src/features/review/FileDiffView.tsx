import { lazy, memo, Suspense, useState } from 'react';
import type { FileDiff } from '../../../../shared/review';
import { useIsDark } from './use-is-dark';

const DiffViewer = lazy(() => import('./DiffViewer'));

// File extensions → highlight.js language names (the viewer highlights with lowlight).
const LANGS: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  json: 'json',
  md: 'markdown',
  py: 'python',
  rb: 'ruby',
  go: 'go',
  rs: 'rust',
  java: 'java',
  kt: 'kotlin',
  swift: 'swift',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  hpp: 'cpp',
  cs: 'csharp',
  php: 'php',
  sh: 'bash',
  bash: 'bash',
  zsh: 'bash',
  css: 'css',
  scss: 'scss',
  less: 'less',
  html: 'xml',
  xml: 'xml',
  svg: 'xml',
  yml: 'yaml',
  yaml: 'yaml',
  toml: 'ini',
  ini: 'ini',
  sql: 'sql',
  lua: 'lua',
  r: 'r',
  pl: 'perl',
  graphql: 'graphql',
};

export function languageOf(path: string): string {
  const name = path.split('/').pop() ?? path;
  if (name === 'Makefile') return 'makefile';
  if (name === 'Dockerfile') return 'bash';
  const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  return LANGS[ext] ?? 'plaintext';
}

const statusLabel: Record<string, string> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type changed',
  '?': 'untracked',
  U: 'unmerged',
};

/** One file of a diff: a header with its counts, and the patch in a real diff viewer (highlighted). */
export const FileDiffView = memo(function FileDiffView({
  file,
  mode,
  initiallyOpen,
}: {
  file: FileDiff;
  mode: 'unified' | 'split';
  initiallyOpen: boolean;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  const dark = useIsDark();
  const lang = languageOf(file.path);
  const body = file.binary ? (
    <p className="muted review-note">Binary file — not shown.</p>
  ) : file.truncated || !file.patch ? (
    <p className="muted review-note">This file's changes are too large to show here — open the worktree to see them.</p>
  ) : !file.patch.includes('\n@@') ? (
    <p className="muted review-note">No content changes (mode or an empty file).</p>
  ) : (
    <Suspense fallback={<p className="muted review-note">Loading the diff viewer…</p>}>
      <DiffViewer patch={file.patch} path={file.path} oldPath={file.oldPath} lang={lang} mode={mode} dark={dark} />
    </Suspense>
  );
  return (
    <section
      className="file-diff"
      data-testid={`file-diff-${file.path}`}
      data-path={file.path}
      id={`diff-${file.path}`}
    >
      <header className="file-diff-head">
        <button
          type="button"
          className="file-diff-toggle"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
          title={open ? 'Collapse' : 'Expand'}
        >
          <span aria-hidden>{open ? '▾' : '▸'}</span>
          <span className={`badge fs-${file.status}`} title={statusLabel[file.status] ?? file.status}>
            {file.status}
          </span>
          <span className="mono truncate">
            {file.oldPath ? `${file.oldPath} → ` : ''}
            {file.path}
          </span>
        </button>
        <span className="spacer" />
        <span className="diff-add mono">+{file.additions}</span>
        <span className="diff-del mono">−{file.deletions}</span>
      </header>
      {open && <div className="file-diff-body">{body}</div>}
    </section>
  );
});
