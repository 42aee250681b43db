import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportedColoursSchema } from '../../../shared/contract';
import { parseJson } from '../../../shared/json';
import type { Logger } from '../core/logger';
import type { ReportedColours } from './headless-screen';

/**
 * The terminal colours a viewer last reported, kept in the data dir so that a terminal host started
 * later (after a reboot, an update) answers a program's colour query with the user's theme before
 * any viewer attaches — a light-theme user's agent must not draw its first screen for a dark one.
 */
export function rememberedColoursPath(dataDir: string): string {
  return join(dataDir, 'terminal-colours.json');
}

/** What was remembered, or null when nothing (or nothing valid) was. */
export function readRememberedColours(dataDir: string, log: Logger): ReportedColours | null {
  let text: string;
  try {
    text = readFileSync(rememberedColoursPath(dataDir), 'utf8');
  } catch {
    return null;
  }
  const parsed = parseJson(reportedColoursSchema, text);
  if (parsed.ok) return parsed.value;
  log.warn('terminal-host', `ignored ${rememberedColoursPath(dataDir)}: ${parsed.error}`);
  return null;
}

/** Remembers the colours (written whole and renamed into place: a crash leaves the old or the new). */
export function rememberColours(dataDir: string, colours: ReportedColours, log: Logger): void {
  const path = rememberedColoursPath(dataDir);
  try {
    writeFileSync(`${path}.tmp`, JSON.stringify(colours));
    renameSync(`${path}.tmp`, path);
  } catch (e) {
    log.warn('terminal-host', `could not remember the terminal colours in ${path}: ${String(e)}`);
  }
}
