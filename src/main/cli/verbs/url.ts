import { existsSync } from 'node:fs';
import { parseVerbArgs } from '../args';
import { resolveDataDir } from '../../client/data-dir';
import { readLock } from '../../host/host-lock';
import { tokenFile } from '../../server/access-token';
import type { Verb } from '../verb';

export const urlVerb: Verb = {
  name: 'url',
  summary: 'print the link (with its access token) that opens browser mode',
  help: `Usage: multisession url [--json] [--home DIR]

Prints the link of the browser-mode host that owns the data dir, with its access token after #.
The token is stable per data dir, so the link keeps working across restarts of \`multisession serve\`.
Exit status 1 when no browser-mode host runs on the data dir.

Example:
  multisession url`,
  run(argv) {
    const v = parseVerbArgs('url', argv, {});
    if (v.help) {
      process.stdout.write(`${urlVerb.help}\n`);
      return Promise.resolve(0);
    }
    const dataDir = resolveDataDir(v.home);
    const url = readLock(dataDir)?.url ?? null;
    if (v.json) process.stdout.write(`${JSON.stringify({ url, dataDir })}\n`);
    else if (url) process.stdout.write(`${url}\n`);
    else {
      const hint = existsSync(tokenFile(dataDir)) ? '' : ' (it creates the access token on its first start)';
      process.stderr.write(`No browser-mode host runs on ${dataDir}. Start one with \`multisession serve\`${hint}.\n`);
    }
    return Promise.resolve(url ? 0 : 1);
  },
};
