/**
 * What a drop carries, as far as the platform tells: folders, files, or unknown (a browser's URI
 * list, text). Chromium exposes entries only while handling the drop itself.
 */
export function droppedKinds(dt: DataTransfer): { folders: number; files: number; unknown: number } {
  const out = { folders: 0, files: 0, unknown: 0 };
  const items = Array.from(dt.items ?? []).filter((i) => i.kind === 'file');
  for (const item of items) {
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (!entry) out.unknown++;
    else if (entry.isDirectory) out.folders++;
    else out.files++;
  }
  if (items.length === 0) out.unknown++;
  return out;
}
