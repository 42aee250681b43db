import { DiffModeEnum, DiffView } from '@git-diff-view/react';
import '@git-diff-view/react/styles/diff-view-pure.css';

/**
 * The diff viewer library in its own chunk: it carries highlight.js with every language (~1.7 MB),
 * so it loads when the first diff is shown, not with the app.
 */
export default function DiffViewer(props: {
  patch: string;
  path: string;
  oldPath: string | null;
  lang: string;
  mode: 'unified' | 'split';
  dark: boolean;
}) {
  return (
    <DiffView
      data={{
        oldFile: { fileName: props.oldPath ?? props.path, fileLang: props.lang },
        newFile: { fileName: props.path, fileLang: props.lang },
        hunks: [props.patch],
      }}
      diffViewMode={props.mode === 'split' ? DiffModeEnum.Split : DiffModeEnum.Unified}
      diffViewTheme={props.dark ? 'dark' : 'light'}
      diffViewHighlight
      diffViewWrap={props.mode === 'unified'}
      diffViewFontSize={12}
    />
  );
}
