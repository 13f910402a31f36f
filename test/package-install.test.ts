/**
 * The package as users get it: `npm pack`'s tarball installed into an empty
 * folder (a copy of test/consumer-project/), nothing of this repository on the
 * module path. Its bins run through npx (executable, `--help | head -1` safe,
 * the mock answers and the contract suite passes against it); the consumer's
 * jest suite starts the mock with `startMock`, publishes with the official
 * SDK, resets and closes it, and mounts `createMockHandler`; its types compile
 * with tsc and refuse misuse.
 *
 * Bounded for a machine that reaches only the npm registry: packages come
 * from npm's cache first (`--prefer-offline`). Install scripts are skipped, so
 * better-sqlite3 is not compiled again (1–2 minutes): its native binding, the
 * same version this repository pins, is copied from node_modules/ instead.
 * jest and tsc are this repository's (the consumer would install its own).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { ensureBuilt } = require('../scripts/ensure-built') as {
  ensureBuilt(options?: { log?: (line: string) => void }): number;
};

const ROOT = join(__dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

jest.setTimeout(240_000);

let work: string;
let consumer: string;
let tarball: string;

/** Runs a command to its end; fails the test with its output when it exits non-zero. */
function run(command: string, args: string[], cwd: string, timeout = 180_000, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, npm_config_update_notifier: 'false', ...env },
  });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} exited ` +
        `${String(result.status ?? result.signal)}\n${result.stdout}\n${result.stderr}`,
    );
  return result;
}

beforeAll(() => {
  expect(ensureBuilt()).toBe(0);
  work = mkdtempSync(join(tmpdir(), 'publications-package-'));
  // The build is fresh (checked above): packing without `prepare` packs exactly it.
  const packed = run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string; mode: number }> }>;
  tarball = join(work, info!.filename);

  consumer = join(work, 'consumer');
  cpSync(join(__dirname, 'consumer-project'), consumer, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(consumer, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  manifest.dependencies = { [pkg.name]: `file:${tarball}`, '@voucherify/sdk': pkg.devDependencies['@voucherify/sdk']! };
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  run(
    NPM,
    ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
    consumer,
  );

  // better-sqlite3's install script (skipped) would compile this very binding.
  const installed = JSON.parse(
    readFileSync(join(consumer, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8'),
  ) as { version: string };
  const ours = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as {
    version: string;
  };
  expect(installed.version).toBe(ours.version);
  const binding = join('build', 'Release', 'better_sqlite3.node');
  mkdirSync(join(consumer, 'node_modules', 'better-sqlite3', 'build', 'Release'), { recursive: true });
  copyFileSync(
    join(ROOT, 'node_modules', 'better-sqlite3', binding),
    join(consumer, 'node_modules', 'better-sqlite3', binding),
  );
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const installedPackage = (): string => join(consumer, 'node_modules', pkg.name);

describe('the tarball', () => {
  it('installs with only the runtime dependencies: none of the devDependencies is installed', () => {
    const modules = readdirSync(join(consumer, 'node_modules'));
    const scoped = modules
      .filter((name) => name.startsWith('@'))
      .flatMap((scope) => readdirSync(join(consumer, 'node_modules', scope)).map((name) => `${scope}/${name}`));
    const present = new Set([...modules, ...scoped]);
    for (const dependency of Object.keys(pkg.dependencies)) expect(present.has(dependency)).toBe(true);
    const devOnly = Object.keys(pkg.devDependencies).filter(
      (name) => name !== '@voucherify/sdk' && !(name in pkg.dependencies),
    );
    expect(devOnly.filter((name) => present.has(name))).toEqual([]);
  });

  it('holds the built files, the spec and the pages, and no tests, sources or maps', () => {
    const at = installedPackage();
    for (const file of [
      'dist/src/cli.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/contract-tests/cli.js',
      'contract-tests/bin/contract.js',
      'spec/publications.openapi.yaml',
      'src/tools/dashboard/index.html',
      'src/tools/docs/index.html',
      'mocks/fixture-file.schema.json',
    ]) {
      expect([file, existsSync(join(at, file))]).toEqual([file, true]);
    }
    const all = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? all(join(dir, e.name)) : [join(dir, e.name)],
      );
    const files = all(at).map((file) => file.slice(at.length + 1));
    expect(files.filter((file) => /\.test\.|\.map$|^test\/|^bench\/|(?<!\.d)\.ts$|test-support/.test(file))).toEqual(
      [],
    );
  });

  it.each(Object.entries(pkg.bin))('bin %s is an executable file', (_name, file) => {
    expect(statSync(join(installedPackage(), file)).mode & 0o111).not.toBe(0);
  });
});

describe('the bins through npx, in the consumer folder', () => {
  it.each([
    ['voucherify-publications-mock', /^Usage: voucherify-publications-mock \[options\]$/],
    ['publications-contract', /^Usage: publications-contract \[options\]$/],
  ])('npx %s --help | head -1 prints the usage line, exit 0, nothing on stderr', (bin, usage) => {
    const result = spawnSync('bash', ['-o', 'pipefail', '-c', `npx ${bin} --help | head -1`], {
      cwd: consumer,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(usage);
  });

  it.each(['voucherify-publications-mock', 'publications-contract'])(
    'npx %s --help | true (the reader gone before a byte is written) exits 0 without an EPIPE trace',
    (bin) => {
      const result = spawnSync('bash', ['-o', 'pipefail', '-c', `npx ${bin} --help | true`], {
        cwd: consumer,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.stderr).not.toMatch(/EPIPE|Error/);
      expect(result.status).toBe(0);
    },
  );

  it(
    'npx voucherify-publications-mock serves the API; npx ' +
      'publications-contract against it exits 0, all checks passed',
    async () => {
      const child: ChildProcess = spawn('npx', ['voucherify-publications-mock', '--port', '0', '--quiet'], {
        cwd: consumer,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          const timer = setTimeout(() => reject(new Error(`no start within 30 s: ${out}`)), 30_000);
          const onData = (chunk: Buffer): void => {
            out += chunk.toString();
            const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
            if (match) {
              clearTimeout(timer);
              resolve(match[1]!);
            }
          };
          child.stdout!.on('data', onData);
          child.stderr!.on('data', onData);
          child.once('exit', (code) => reject(new Error(`exited ${String(code)}: ${out}`)));
        });
        const res = await fetch(`${url}/v1/publications?limit=1`, { headers: { 'X-App-Id': 'a', 'X-App-Token': 'b' } });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { object: string }).object).toBe('list');
        const docs = await fetch(`${url}/__mock/docs/`);
        expect(docs.status).toBe(200);
        const contract = spawnSync('npx', ['publications-contract', '--target', url], {
          cwd: consumer,
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, VOUCHERIFY_APP_ID: 'dev', VOUCHERIFY_APP_TOKEN: 'dev' },
        });
        expect(contract.stdout).toMatch(/exit 0: all \d+ checks passed/);
        expect(contract.status).toBe(0);
      } finally {
        // npx runs the bin under a shell: the process group (led by the child started here) is stopped by its id.
        if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      }
    },
  );
});

describe('the programmatic API, from the consumer project', () => {
  it(
    'its jest suite passes: startMock + the official SDK + reset + close, ' +
      'and createMockHandler mounted under a prefix',
    () => {
      const jestBin = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
      const result = spawnSync(process.execPath, [jestBin, '--ci', '--rootDir', consumer, '--json'], {
        cwd: consumer,
        encoding: 'utf8',
        timeout: 120_000,
      });
      const report = JSON.parse(result.stdout) as {
        numPassedTests: number;
        numFailedTests: number;
        testResults: Array<{ name: string; message: string }>;
      };
      expect(report.testResults.map((r) => r.message).filter(Boolean)).toEqual([]);
      expect(report.numFailedTests).toBe(0);
      expect(report.numPassedTests).toBe(4);
      expect(result.status).toBe(0);
    },
  );

  it('its types compile against the installed .d.ts files, and misuses are refused (tsc, strict)', () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    // Node's own types come from this repository, as a consumer's @types/node would.
    const result = spawnSync(
      process.execPath,
      [tsc, '-p', join(consumer, 'tsconfig.json'), '--typeRoots', join(ROOT, 'node_modules', '@types')],
      { cwd: consumer, encoding: 'utf8', timeout: 120_000 },
    );
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
