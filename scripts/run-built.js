#!/usr/bin/env node
'use strict';
/**
 * `npm start`, `npm run contract`, `npm run bench…`: runs a built script
 * (`node scripts/run-built.js dist/src/cli.js --port 4010`) in this same
 * process, after rebuilding only if a source is newer than the build. The
 * script sees its own arguments, as if started directly with node.
 */
const { resolve } = require('node:path');
const { ensureBuilt } = require('./ensure-built');

const [script, ...args] = process.argv.slice(2);
if (!script) {
  process.stderr.write('usage: node scripts/run-built.js <built script> [arguments…]\n');
  process.exit(2);
}
const status = ensureBuilt({ log: (line) => process.stderr.write(`${line}\n`) });
if (status !== 0) process.exit(status);
const file = resolve(__dirname, '..', script);
process.argv = [process.argv[0], file, ...args];
require(file);
