'use strict';
/**
 * Lets Node load this checkout's TypeScript sources directly: each `.ts` file is
 * transpiled on require with TypeScript's transpileModule (no type check; the
 * project's `tsc --noEmit` does that). Possible because the project compiles
 * with `isolatedModules`, so every file can be translated on its own.
 */
const { readFileSync } = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  resolveJsonModule: true,
  inlineSourceMap: true,
};

if (!require.extensions['.ts']) {
  require.extensions['.ts'] = function compileTypeScript(module, filename) {
    const source = readFileSync(filename, 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
    module._compile(outputText, filename);
  };
}
