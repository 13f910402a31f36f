/**
 * The servers a benchmark compares, each started as users start it, in a child
 * process listening on 127.0.0.1, and stopped by its PID: the mock's CLI
 * (default, non-strict mode), Prism static and dynamic on the same spec/, and
 * a bare node:http server answering fixed bodies (the ceiling).
 */
import { pinned } from './cpu-pinning';
import { type Started, startProcess } from './child-processes';
import { freePort } from './free-port';
import { waitForOk } from './http-probe';
import { fromRoot } from './repo-root';

export interface RunningServer {
  name: string;
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

export const MOCK_CLI = fromRoot('dist', 'src', 'cli.js');
export const PRISM_CLI = fromRoot('node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
export const SPEC_FILE = fromRoot('spec', 'publications.openapi.yaml');
const FIXED_BODY_SERVER = fromRoot('dist', 'bench', 'fixed-body-server.js');

function startNode(script: string, args: string[], env?: NodeJS.ProcessEnv): Started {
  const { command, args: finalArgs } = pinned('server', process.execPath, [script, ...args]);
  return startProcess(command, finalArgs, env ? { env: { ...process.env, ...env } } : {});
}

function asServer(name: string, started: Started, baseUrl: string): RunningServer {
  return { name, baseUrl, pid: started.pid, stop: () => started.stop() };
}

/** The mock's CLI on a port of its choosing; `extra` adds flags such as `--data file`. */
export async function startMock(extra: string[] = [], timeoutMs = 30000): Promise<RunningServer> {
  const started = startNode(MOCK_CLI, ['--quiet', '--port', '0', ...extra]);
  try {
    const match = await started.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, timeoutMs);
    return asServer('mock', started, match[1]!);
  } catch (error) {
    await started.stop();
    throw error;
  }
}

/**
 * Prism's `mock` command on the same spec, as users run it (its request log at
 * the default level, `info`, written to /dev/null here so that no reader in
 * this process competes for the CPU), or with `quiet` its log turned down to
 * errors, as the mock runs with --quiet.
 */
export async function startPrism(
  options: { dynamic: boolean; quiet: boolean },
  timeoutMs = 60000,
): Promise<RunningServer> {
  const port = await freePort();
  const args = [
    'mock',
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    ...(options.quiet ? ['-v', 'error'] : []),
    ...(options.dynamic ? ['-d', '--seed', '1'] : []),
    SPEC_FILE,
  ];
  const { command, args: finalArgs } = pinned('server', process.execPath, [PRISM_CLI, ...args]);
  const started = startProcess(command, finalArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(
      { url: `${baseUrl}/v1/publications?limit=1`, headers: { 'X-App-Id': 'a', 'X-App-Token': 'b' } },
      timeoutMs,
      20,
    );
    const name = `Prism ${options.dynamic ? 'dynamic (-d)' : 'static'}${options.quiet ? ', log at error' : ''}`;
    return asServer(name, started, baseUrl);
  } catch (error) {
    await started.stop();
    throw error;
  }
}

/** node:http answering each method with a fixed body (files of the mock's own answers), the ceiling. */
export async function startFixedBody(bodies: { get: string; post: string }, timeoutMs = 10000): Promise<RunningServer> {
  const started = startNode(FIXED_BODY_SERVER, ['0', bodies.get, bodies.post]);
  try {
    const match = await started.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, timeoutMs);
    return asServer('node:http fixed body', started, match[1]!);
  } catch (error) {
    await started.stop();
    throw error;
  }
}
