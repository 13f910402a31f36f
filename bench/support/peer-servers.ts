/**
 * The servers users would pick instead of the mock, started as they run them,
 * pinned like the others (bench/support/cpu-pinning.ts), on 127.0.0.1, stopped
 * by PID: WireMock (the npm package `wiremock`, its standalone jar on the
 * machine's java, stubs made from the mock's answers, `--no-request-journal`,
 * default threads) and Mockoon CLI (`@mockoon/cli` on spec/ directly). A peer
 * whose runtime is missing is reported as unavailable with the reason, so the
 * bench can list it as skipped instead of failing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess } from './child-processes';
import { pinned } from './cpu-pinning';
import { freePort } from './free-port';
import { waitForOk } from './http-probe';
import { fromRoot } from './repo-root';
import type { RunningServer } from './servers';
import { SPEC_FILE } from './servers';
import type { WiremockMapping } from './wiremock-stubs';

export type Availability = { available: true } | { available: false; reason: string };

const WIREMOCK_DIR = fromRoot('node_modules', 'wiremock');
const MOCKOON_CLI = fromRoot('node_modules', '@mockoon', 'cli', 'bin', 'run.js');

/** The standalone jar the npm package ships in build/ (it downloads nothing at run time). */
function wiremockJar(): string | undefined {
  const build = join(WIREMOCK_DIR, 'build');
  if (!existsSync(build)) return undefined;
  const jar = readdirSync(build).find((name) => /^wiremock-standalone-.*\.jar$/.test(name));
  return jar === undefined ? undefined : join(build, jar);
}

export function wiremockAvailability(): Availability {
  if (wiremockJar() === undefined) return { available: false, reason: 'npm package wiremock not installed' };
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error !== undefined || java.status !== 0) return { available: false, reason: 'no java on PATH' };
  return { available: true };
}

export function mockoonAvailability(): Availability {
  return existsSync(MOCKOON_CLI)
    ? { available: true }
    : { available: false, reason: 'npm package @mockoon/cli not installed' };
}

/** `java -version`'s first line, for the report. */
export function describeJava(): string {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return (java.stderr ?? '').split('\n')[0]?.trim() ?? 'unknown';
}

/** WireMock standalone with the given stubs, written as one mappings file under a root dir of its own. */
export async function startWiremock(
  mappings: { mappings: WiremockMapping[] },
  rootDir: string,
  timeoutMs = 60000,
): Promise<RunningServer> {
  const jar = wiremockJar();
  if (jar === undefined) throw new Error('npm package wiremock not installed');
  mkdirSync(join(rootDir, 'mappings'), { recursive: true });
  mkdirSync(join(rootDir, '__files'), { recursive: true });
  writeFileSync(join(rootDir, 'mappings', 'bench-stubs.json'), JSON.stringify(mappings));
  const port = await freePort();
  const args = [
    '-jar',
    jar,
    '--port',
    String(port),
    '--bind-address',
    '127.0.0.1',
    '--root-dir',
    rootDir,
    '--no-request-journal',
    '--disable-banner',
  ];
  const { command, args: finalArgs } = pinned('server', 'java', args);
  const started = startProcess(command, finalArgs);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForOk({ url: `${baseUrl}/__admin/health` }, timeoutMs, 50);
    return { name: 'WireMock', baseUrl, pid: started.pid, stop: () => started.stop() };
  } catch (error) {
    await started.stop();
    throw error;
  }
}

/** Mockoon CLI on spec/ itself (it imports OpenAPI), its request log to stdout, which is not read. */
export async function startMockoon(timeoutMs = 60000): Promise<RunningServer> {
  const port = await freePort();
  const args = [
    MOCKOON_CLI,
    'start',
    '--data',
    SPEC_FILE,
    '--port',
    String(port),
    '--hostname',
    '127.0.0.1',
    '--disable-log-to-file',
    '--disable-admin-api',
  ];
  const { command, args: finalArgs } = pinned('server', process.execPath, args);
  const started = startProcess(command, finalArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(
      { url: `${baseUrl}/v1/publications?limit=1`, headers: { 'X-App-Id': 'a', 'X-App-Token': 'b' } },
      timeoutMs,
      50,
    );
    return { name: 'Mockoon CLI', baseUrl, pid: started.pid, stop: () => started.stop() };
  } catch (error) {
    await started.stop();
    throw error;
  }
}
