import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { reportedColoursSchema } from '../../../shared/contract';
import { parseJson } from '../../../shared/json';
import { colsRange, rowsRange } from '../../../shared/terminal-size';
import type { Logger } from '../core/logger';
import type { ReportedColours } from './headless-screen';

/*
 * What the user's terminal views look like, kept in the data dir, for programs that start before
 * anybody views them (auto-started from the wizard, created by the CLI, relaunched after a
 * reboot). Such a program draws its first screen for the terminal it is told it has: told the dark
 * default by a light-theme app, an agent draws light text on white; started at the default size
 * and then resized to the tab, it leaves its first frame's wrapped fragments above its dialog.
 *
 * The files are the one source of truth, read when needed and written on change, because more
 * than one process hears about views (the app's engine, a CLI's engine, the terminal host).
 */

export function rememberedColoursPath(dataDir: string): string {
  return join(dataDir, 'terminal-colours.json');
}

export function rememberedSizePath(dataDir: string): string {
  return join(dataDir, 'terminal-size.json');
}

const sizeSchema = z.object({
  cols: z.number().int().min(colsRange.min).max(colsRange.max),
  rows: z.number().int().min(rowsRange.min).max(rowsRange.max),
});
type Size = z.output<typeof sizeSchema>;

/** Where the colours reported to programs nobody views come from (TerminalService's option). */
export interface ColourMemory {
  get(): ReportedColours | null;
  note(colours: ReportedColours): void;
}

/** Colours remembered in this process only (a terminal service with no data dir: tests, bench). */
export function coloursInMemory(): ColourMemory {
  let last: ReportedColours | null = null;
  return {
    get: () => last,
    note: (colours) => {
      last = { ...colours };
    },
  };
}

/** The colours and size the user's terminal views last had, in `dataDir`. */
export class RememberedView implements ColourMemory {
  constructor(
    private readonly dataDir: string,
    private readonly log: Logger,
  ) {}

  /** The colours a viewer last reported, or null when none ever did. */
  get(): ReportedColours | null {
    return this.read(rememberedColoursPath(this.dataDir), reportedColoursSchema);
  }

  /** A viewer reported its colours (attached, or the app's theme changed). */
  note(colours: ReportedColours): void {
    const parsed = reportedColoursSchema.safeParse(colours);
    if (parsed.success) this.write(rememberedColoursPath(this.dataDir), parsed.data, this.get());
  }

  /** The size a viewer last asked for, or null when none ever did. */
  size(): Size | null {
    return this.read(rememberedSizePath(this.dataDir), sizeSchema);
  }

  /** A viewer asked for this size (attached, or its window changed). */
  noteSize(cols: number, rows: number): void {
    const parsed = sizeSchema.safeParse({ cols, rows });
    if (parsed.success) this.write(rememberedSizePath(this.dataDir), parsed.data, this.size());
  }

  private read<S extends z.ZodType>(path: string, schema: S): z.output<S> | null {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return null;
    }
    const parsed = parseJson(schema, text);
    if (parsed.ok) return parsed.value;
    this.log.warn('terminals', `ignored ${path}: ${parsed.error}`);
    return null;
  }

  /** Written whole and renamed into place (a crash leaves the old value or the new), when it changed. */
  private write(path: string, value: object, current: object | null): void {
    const text = JSON.stringify(value);
    if (current && JSON.stringify(current) === text) return;
    try {
      writeFileSync(`${path}.tmp`, text);
      renameSync(`${path}.tmp`, path);
    } catch (e) {
      this.log.warn('terminals', `could not remember ${path}: ${String(e)}`);
    }
  }
}
