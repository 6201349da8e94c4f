#!/usr/bin/env node
// The `kubeglass` command: runs the bundled CLI (built by `npm run build`, which `npm install` runs).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'server', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('kubeglass: the CLI is not built yet; run `npm run build` in ' + path.join(__dirname, '..') + '\n');
  process.exit(2);
}
require(cli);
