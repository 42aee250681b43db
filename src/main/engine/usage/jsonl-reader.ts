import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { parseJsonValue } from '../../../shared/json';
import type { FileCursor } from './usage-types';

/** Most read from one file per scan; the rest waits for the next scan (a huge log never stalls the host). */
const MAX_CHUNK = 8 * 1024 * 1024;

/**
 * The complete lines appended to a file since the last read; a line still being
 * written stays for the next read. A file that shrank (rewritten) is read from the start.
 */
export function readNewLines(file: string, cursors: FileCursor): Array<{ offset: number; line: string }> {
  let size: number;
  let mtimeMs: number;
  try {
    const st = statSync(file);
    size = st.size;
    mtimeMs = st.mtimeMs;
  } catch {
    return [];
  }
  const prev = cursors.get(file);
  let start = prev && prev.offset <= size ? prev.offset : 0;
  if (start >= size) {
    cursors.set(file, { offset: start, mtimeMs, size });
    return [];
  }
  const len = Math.min(size - start, MAX_CHUNK);
  const buf = Buffer.alloc(len);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, len, start);
  } finally {
    closeSync(fd);
  }
  const end = buf.lastIndexOf(0x0a);
  if (end < 0) return [];
  const out: Array<{ offset: number; line: string }> = [];
  let lineStart = 0;
  while (lineStart <= end) {
    const nl = buf.indexOf(0x0a, lineStart);
    const line = buf.subarray(lineStart, nl).toString('utf8').trim();
    if (line) out.push({ offset: start + lineStart, line });
    lineStart = nl + 1;
  }
  start += end + 1;
  cursors.set(file, { offset: start, mtimeMs, size });
  return out;
}

/** The new lines of a JSONL file, parsed; a corrupt line is skipped (the agents' own tools skip it too). */
export function readNewJsonLines(file: string, cursors: FileCursor): Array<{ offset: number; value: unknown }> {
  const out: Array<{ offset: number; value: unknown }> = [];
  for (const { offset, line } of readNewLines(file, cursors)) {
    const v = parseJsonValue(line);
    if (v.ok) out.push({ offset, value: v.value });
  }
  return out;
}

/** True when a whole-file JSON record changed since it was last read (and marks it read). */
export function changedSinceRead(file: string, cursors: FileCursor): boolean {
  try {
    const st = statSync(file);
    const prev = cursors.get(file);
    if (prev && prev.mtimeMs === st.mtimeMs && prev.size === st.size) return false;
    cursors.set(file, { offset: 0, mtimeMs: st.mtimeMs, size: st.size });
    return true;
  } catch {
    return false;
  }
}
