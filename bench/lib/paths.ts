import { join, resolve } from 'node:path';

// The benchmark runs bundled as out/bench/bench.js (its own build, not the app's); everything it
// needs of the app is the app's own build next to it.
export const repoRoot = resolve(__dirname, '../..');
/** The built browser-mode entry, spawned as it ships. */
export const serveEntry = join(repoRoot, 'out/main/serve.js');
/** The built renderer the host child serves. */
export const rendererDir = join(repoRoot, 'out/renderer');
