'use strict';
/**
 * Keeps dist/ in step with the TypeScript sources without compiling on every
 * start: a build writes dist/.build-stamp (dated when the build began), and
 * `ensureBuilt()` runs tsc only when a source, tsconfig.json or package.json
 * is newer than that stamp, or dist/ was never built. Checking takes a few
 * milliseconds; compiling takes 5–15 s. Plain JavaScript: it runs before
 * anything is compiled (`npm start`, `npm run contract`, `prepare`).
 */
const { spawnSync } = require('node:child_process');
const { chmodSync, existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const stampOf = (root) => join(root, 'dist', '.build-stamp');
/** What tsconfig.json compiles (its `include`), plus the files that change what tsc makes of it. */
const SOURCE_FOLDERS = ['src', 'mocks', 'contract-tests', 'test', 'bench', 'scripts'];
const SOURCE_FILES = ['tsconfig.json', 'package.json'];
const SOURCE_EXTENSIONS = /\.(ts|json)$/;
/** Built files users run directly: made executable, as bins are once installed. */
const EXECUTABLES = [join('dist', 'src', 'cli.js')];

/** The newest modification time (ms) among the sources under `root`, and the file that has it. */
function findNewestSource(root) {
  let newest = { file: undefined, mtimeMs: 0 };
  const visit = (path) => {
    let entries;
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch {
      return; // A folder that does not exist (yet) holds nothing newer.
    }
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = join(path, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (SOURCE_EXTENSIONS.test(entry.name)) consider(full);
    }
  };
  const consider = (file) => {
    const mtimeMs = statSync(file).mtimeMs;
    if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  };
  for (const folder of SOURCE_FOLDERS) visit(join(root, folder));
  for (const file of SOURCE_FILES) if (existsSync(join(root, file))) consider(join(root, file));
  return newest;
}

/** Why dist/ under `root` (the repository by default) must be rebuilt, or undefined when it is up to date. */
function findStaleReason(root = ROOT) {
  const stamp = stampOf(root);
  if (!existsSync(stamp)) return 'dist/ has not been built';
  const built = statSync(stamp).mtimeMs;
  const newest = findNewestSource(root);
  if (newest.mtimeMs > built) return `${newest.file.slice(root.length + 1)} is newer than the build`;
  return undefined;
}

/**
 * Builds the state and the app once, so the parsed spec and the compiled
 * validators are in node_modules/.cache/ before the first `npm start` (which
 * would otherwise pay ~0.3 s for them). A failure only means a slower first start.
 */
function warmCaches() {
  const script =
    "const { createMockState } = require('./dist/src/app/server');" +
    "const { createApp } = require('./dist/src/app/create-app');" +
    'const state = createMockState({}); state.initialize(); const app = createApp({ state });' +
    // Validators are compiled on first use: ask for each, so their standalone code is cached now.
    ' for (const op of app.api.operations.values()) app.api.requestValidator(op); state.store.close();';
  spawnSync(process.execPath, ['-e', script], { cwd: ROOT, stdio: 'ignore', timeout: 60000 });
}

/** Runs tsc over the whole project; on success stamps dist/ with the time the build began. Returns tsc's exit code. */
function runBuild() {
  const began = new Date();
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  } catch {
    process.stderr.write('voucherify-publications-mock: cannot build: typescript is not installed (run `npm ci`)\n');
    return 2;
  }
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) return result.status ?? 1;
  for (const file of EXECUTABLES) if (existsSync(join(ROOT, file))) chmodSync(join(ROOT, file), 0o755);
  warmCaches();
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  writeFileSync(stampOf(ROOT), `${began.toISOString()}\n`);
  // Dated when the build began: a source saved while tsc ran is newer, so the next start builds again.
  utimesSync(stampOf(ROOT), began, began);
  return 0;
}

/**
 * Builds when needed (always with `force`). Returns 0 when dist/ is ready, or
 * tsc's exit code. `log` gets one line saying why it builds.
 */
function ensureBuilt(options = {}) {
  const reason = options.force ? undefined : findStaleReason();
  if (!options.force && reason === undefined) return 0;
  if (reason !== undefined && options.log) options.log(`building: ${reason}`);
  return runBuild();
}

module.exports = { ensureBuilt, findStaleReason };
