/** Filesystem paths carried by a drop: real File paths under Electron, URI lists or text in a browser. */
export function pathsFromDataTransfer(dt: DataTransfer): string[] {
  const paths: string[] = [];
  const bridge = window.multisession;
  if (bridge && dt.files.length > 0) {
    for (const file of Array.from(dt.files)) {
      const p = bridge.getPathForFile(file);
      if (p) paths.push(p);
    }
  }
  if (paths.length > 0) return paths;
  const uriList = dt.getData('text/uri-list');
  if (uriList) {
    for (const line of uriList.split(/\r?\n/)) {
      const t = line.trim();
      if (!t || t.startsWith('#')) continue;
      const p = fileUrlToPath(t);
      if (p) paths.push(p);
    }
  }
  if (paths.length > 0) return paths;
  const text = dt.getData('text/plain').trim();
  if (text) {
    for (const line of text.split(/\r?\n/)) {
      const t = line.trim();
      const p = t.startsWith('file://')
        ? fileUrlToPath(t)
        : t.startsWith('/') || /^[A-Za-z]:[\\/]/.test(t) || t.startsWith('~')
          ? t
          : null;
      if (p) paths.push(p);
    }
  }
  return paths;
}

function fileUrlToPath(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'file:') return null;
    const p = decodeURIComponent(u.pathname);
    // file:///C:/x → C:/x on Windows
    return /^\/[A-Za-z]:\//.test(p) ? p.slice(1) : p;
  } catch {
    return null;
  }
}

/** Whether a drag carries something that may be a folder (so the drop overlay should show). */
export function dragMayCarryPath(dt: DataTransfer | null): boolean {
  if (!dt) return false;
  const types = Array.from(dt.types);
  return types.includes('Files') || types.includes('text/uri-list') || types.includes('text/plain');
}
