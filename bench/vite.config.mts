import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The benchmark is a tool, not part of the app: built on its own (`npm run bench`) into
// out/bench/bench.js, never by `npm run build` and never into what electron-builder packages.
// A Node (SSR) build: node_modules stay external, exactly as in the app's own main build.
export default defineConfig({
  root: resolve(import.meta.dirname, '..'),
  logLevel: 'warn',
  build: {
    ssr: resolve(import.meta.dirname, 'run.ts'),
    outDir: resolve(import.meta.dirname, '../out/bench'),
    emptyOutDir: true,
    target: 'node20',
    sourcemap: false,
    minify: false,
    rollupOptions: { output: { format: 'cjs', entryFileNames: 'bench.js' } },
  },
});
