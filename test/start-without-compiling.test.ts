/**
 * `npm start` runs the built server without compiling: `npm ci` builds once
 * (`prepare`), and the start scripts rebuild only when a source is newer than
 * the last build (scripts/ensure-built.js). The decision is tested on a
 * scratch folder laid out like the repository; the real start command is run
 * once to show it starts the build as it is, without tsc.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Plain JavaScript that runs before anything is compiled; its exports are typed here.
const { findStaleReason } = require('../scripts/ensure-built') as {
  findStaleReason(root?: string): string | undefined;
};

const ROOT = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('the build is made once and reused', () => {
  let root: string;
  const at = (seconds: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
  const write = (file: string, seconds: number): void => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '// x\n');
    utimesSync(join(root, file), at(seconds), at(seconds));
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'publications-build-'));
    write('src/server.ts', 10);
    write('mocks/fixture-file.schema.json', 10);
    write('tsconfig.json', 10);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ['never built → build', [] as Array<[string, number]>, /has not been built/],
    [
      'stamp newer than every source → up to date, no build',
      [['dist/.build-stamp', 20]] as Array<[string, number]>,
      undefined,
    ],
    [
      'a .ts source saved after the build → build, naming it',
      [
        ['dist/.build-stamp', 20],
        ['src/app/create-app.ts', 30],
      ] as Array<[string, number]>,
      /src\/app\/create-app\.ts is newer than the build/,
    ],
    [
      'an imported JSON file changed → build',
      [
        ['dist/.build-stamp', 20],
        ['mocks/fixture-file.schema.json', 30],
      ] as Array<[string, number]>,
      /fixture-file\.schema\.json is newer/,
    ],
    [
      'tsconfig.json changed → build',
      [
        ['dist/.build-stamp', 20],
        ['tsconfig.json', 30],
      ] as Array<[string, number]>,
      /tsconfig\.json is newer/,
    ],
    [
      'a file in node_modules/ or dist/ is newer → still up to date',
      [
        ['dist/.build-stamp', 20],
        ['src/node_modules/x.ts', 30],
        ['dist/src/server.js', 30],
      ] as Array<[string, number]>,
      undefined,
    ],
  ])('%s', (_name, files, expected) => {
    for (const [file, seconds] of files) write(file, seconds);
    const reason = findStaleReason(root);
    if (expected === undefined) expect(reason).toBeUndefined();
    else expect(reason).toMatch(expected);
  });
});

describe('the scripts', () => {
  it.each([
    ['prepare (run by npm ci) builds when needed', 'prepare', /^node scripts\/build\.js --if-stale$/],
    [
      'start runs the built CLI through the freshness check, never tsc directly',
      'start',
      /^node scripts\/run-built\.js dist\/src\/cli\.js$/,
    ],
    [
      'contract runs the built suite the same way',
      'contract',
      /^node scripts\/run-built\.js contract-tests\/bin\/contract\.js$/,
    ],
    ['test builds only when stale, then runs jest', 'test', /^node scripts\/build\.js --if-stale && jest/],
  ])('%s', (_name, script, pattern) => {
    expect(pkg.scripts[script]).toMatch(pattern);
  });

  it('the start command on an up-to-date build runs the CLI at once (no "building:" line, no tsc)', () => {
    // `npm test` built just before; the stamp is fresh unless a source changed while the suite ran.
    const stale = findStaleReason();
    const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-built.js'), 'dist/src/cli.js', '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: voucherify-publications-mock/);
    if (stale === undefined) expect(result.stderr).not.toMatch(/building:/);
    else expect(result.stderr).toContain(`building: ${stale}`);
  });
});
