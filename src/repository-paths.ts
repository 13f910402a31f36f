/**
 * The one place that knows where the repository's (or the installed package's)
 * files are. Modules run from src/ (tests, ts-jest) or from dist/src/ (built),
 * so the root is found by walking up to the folder holding package.json and
 * spec/, never by counting `..`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'spec'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package root (package.json beside spec/) above ${from}`);
  }
}

/** The folder holding package.json and spec/. */
export const PACKAGE_ROOT = findRoot(__dirname);

/** An absolute path inside the package, from its root. */
export const fromRoot = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);

/** The OpenAPI document everything is derived from. */
export const SPEC_FILE = fromRoot('spec', 'publications.openapi.yaml');

/** The fixture file format's JSON Schema (published with the package for editors). */
export const FIXTURE_FILE_SCHEMA = fromRoot('mocks', 'fixture-file.schema.json');

/** The example fixture file documented in mocks/README.md. */
export const EXAMPLE_FIXTURES = fromRoot('mocks', 'example-fixtures.yaml');

/** A folder of static files served by the tools (tsc copies no HTML, so always the source folder). */
export const toolsAssetFolder = (name: 'dashboard' | 'docs'): string => fromRoot('src', 'tools', name);
