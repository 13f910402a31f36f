#!/usr/bin/env node
'use strict';
/**
 * The contract suite's command: `publications-contract --target <base-url>`.
 * Runs the TypeScript sources of this checkout (never a stale build), and the
 * compiled CLI only where the sources are absent.
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const source = join(__dirname, '..', 'cli.ts');
let cli;
if (existsSync(source)) {
  require('./register-typescript');
  cli = require(source);
} else {
  cli = require(join(__dirname, '..', '..', 'dist', 'contract-tests', 'cli.js'));
}
cli.main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`publications-contract: could not run: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
