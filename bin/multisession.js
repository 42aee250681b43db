#!/usr/bin/env node
'use strict';
// The `multisession` command: a thin launcher for the built CLI bundle.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(
    `multisession is not built yet (${cli} is missing) — run \`npm run build\` in ${join(__dirname, '..')} first.\n`,
  );
  process.exit(1);
}
require(cli).run(process.argv.slice(2));
