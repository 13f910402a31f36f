#!/usr/bin/env node
'use strict';
/**
 * The contract suite's command: `publications-contract --target <base-url>`.
 * Runs the compiled suite; `npm run contract` builds it first.
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', '..', 'dist');
const compiled = join(dist, 'contract-tests', 'cli.js');
if (!existsSync(compiled)) {
  process.stderr.write(
    'publications-contract: could not run: the suite is not built; run `npm run build` (or use `npm run contract`)\n',
  );
  process.exit(2);
}
// `--help | head -1` closes the pipe early: stop quietly, not with an EPIPE stack trace.
require(join(dist, 'src', 'runtime', 'exit-on-closed-pipe.js')).exitOnClosedPipe();
require(compiled)
  .main(process.argv.slice(2), process.env)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(
        `publications-contract: could not run: internal error: ` +
          `${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 2;
    },
  );
