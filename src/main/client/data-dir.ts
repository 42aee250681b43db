import { resolve } from 'node:path';
import { defaultDataDir } from '../engine/engine';

/** The data dir a client works on: --home, else MULTISESSION_HOME, else the platform default. */
export function resolveDataDir(home?: string): string {
  return resolve(home ?? defaultDataDir());
}
