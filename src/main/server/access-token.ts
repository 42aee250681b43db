import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a data dir keeps its browser-mode token (owner-only), so a restarted host keeps its URL. */
export const tokenFile = (dataDir: string): string => join(dataDir, 'browser-token');

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,256}$/;

/**
 * The data dir's stable access token: read from `browser-token`, or created once (32 random bytes,
 * written 0600 and exclusively, so two racing hosts agree on one). A damaged file is replaced.
 */
export function loadOrCreateToken(dataDir: string): string {
  const file = tokenFile(dataDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const existing = readFileSync(file, 'utf8').trim();
      if (TOKEN_SHAPE.test(existing)) {
        chmodSync(file, 0o600);
        return existing;
      }
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
      continue;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * Why a token given with `--token` is too weak to guard a host that runs commands, or null when
 * it is fine: at least 24 characters from the URL-safe alphabet, at least 10 different ones, not
 * a run or a repetition of a short pattern.
 */
export function weakTokenReason(token: string): string | null {
  if (token.length < 24) return `it has ${token.length} characters; use at least 24`;
  if (!/^[A-Za-z0-9_.~-]+$/.test(token)) return 'use only letters, digits and - _ . ~ (it travels in a URL)';
  if (new Set(token).size < 10) return 'it repeats too few different characters';
  for (let period = 1; period <= 8; period++) {
    if (
      token ===
      token
        .slice(0, period)
        .repeat(Math.ceil(token.length / period))
        .slice(0, token.length)
    ) {
      return 'it repeats a short pattern';
    }
  }
  let runs = 0;
  for (let i = 1; i < token.length; i++) {
    if (Math.abs(token.charCodeAt(i) - token.charCodeAt(i - 1)) === 1) runs++;
  }
  if (runs > token.length * 0.7) return 'it is a run of neighbouring characters (like abcdef…)';
  return null;
}
