#!/usr/bin/env node
'use strict';
/**
 * `npm run build` (always compiles) and `npm run build -- --if-stale` (what
 * `prepare`, `npm test` and the start scripts use: compiles only when a source
 * is newer than the last build). See ensure-built.js.
 */
const { ensureBuilt } = require('./ensure-built');

const ifStale = process.argv.includes('--if-stale');
process.exitCode = ensureBuilt({ force: !ifStale, log: (line) => process.stderr.write(`${line}\n`) });
