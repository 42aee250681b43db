/**
 * Opens a link from terminal output in the user's browser. Electron blocks `window.open`; the main
 * process turns a `target=_blank` navigation into an external open, so both modes use an anchor.
 */
export function openExternalLink(event: MouseEvent, uri: string): void {
  if (!/^https?:\/\//i.test(uri)) return;
  event.preventDefault();
  const a = document.createElement('a');
  a.href = uri;
  a.target = '_blank';
  a.rel = 'noreferrer noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
