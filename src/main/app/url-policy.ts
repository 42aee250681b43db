/**
 * Electron-free URL rules of the desktop window (unit-testable in plain Node): which URLs are the
 * app itself, which frames may use IPC, which links may open in the user's browser. A URL that
 * does not parse is never trusted.
 */

function parse(url: string | null | undefined): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Whether `url` is the app's own renderer (same file for file: URLs, same origin for the dev server). */
export function isAppUrl(allowedUrl: string, url: string | null | undefined): boolean {
  const allowed = parse(allowedUrl);
  const u = parse(url);
  if (!allowed || !u) return false;
  if (allowed.protocol === 'file:') return u.protocol === 'file:' && u.pathname === allowed.pathname;
  return u.origin !== 'null' && u.origin === allowed.origin;
}

/** An IPC sender is trusted when it is our window's own web contents showing our renderer. */
export function isTrustedSender(opts: {
  allowedUrl: string;
  isOurWindow: boolean;
  frameUrl: string | null | undefined;
}): boolean {
  return opts.isOurWindow && isAppUrl(opts.allowedUrl, opts.frameUrl);
}

/** Links that may be handed to the user's browser (never file:, javascript:, data: or custom schemes). */
export function isExternalWebUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && (u.protocol === 'http:' || u.protocol === 'https:');
}
