/**
 * Start to first answer: spawn a server's command and poll (a fresh connection
 * every 2 ms) until the steady-state request answers 200. Not pinned to a
 * core: this is the time a user waits after typing the command. `npm-start`
 * is the README's command itself (`npm start`, the port given as PORT), so
 * npm's own start and the freshness check of the build are in the figure.
 */
import { spawn } from 'node:child_process';
import { startProcess } from './support/child-processes';
import { freePort } from './support/free-port';
import { waitForOk } from './support/http-probe';
import { fromRoot } from './support/repo-root';
import { MOCK_CLI, PRISM_CLI, SPEC_FILE } from './support/servers';
import { STEADY } from './workloads';

export type StartTarget = 'npm-start' | 'mock' | 'prism';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Milliseconds from spawn to the first 200; `extraArgs` go to the mock's CLI (e.g. `--data file`). */
export async function measureStartup(
  target: StartTarget,
  extraArgs: string[] = [],
  timeoutMs = 60000,
): Promise<number> {
  const port = await freePort();
  const command = target === 'npm-start' ? NPM : process.execPath;
  const args =
    target === 'npm-start'
      ? ['start', ...(extraArgs.length ? ['--', ...extraArgs] : [])]
      : target === 'mock'
        ? [MOCK_CLI, '--quiet', '--port', String(port), ...extraArgs]
        : [PRISM_CLI, 'mock', '-h', '127.0.0.1', '-p', String(port), SPEC_FILE];
  const env = { ...process.env, PORT: String(port) };
  // npm runs the script in a shell of its own: a process group of its own lets the whole tree be stopped by its id.
  const started = process.hrtime.bigint();
  const child = startProcess(command, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env,
    cwd: fromRoot(),
    detached: target === 'npm-start',
  });
  try {
    await waitForOk(
      { url: `http://127.0.0.1:${port}${STEADY.path}`, method: STEADY.method, headers: STEADY.headers },
      timeoutMs,
    );
    return Number(process.hrtime.bigint() - started) / 1e6;
  } finally {
    await child.stop();
  }
}

/**
 * Milliseconds from spawn to exit of a command that runs to completion (`npm start -- --help`, `npm run contract …`);
 * throws on a non-zero exit.
 */
export function measureCommand(command: string, args: string[], timeoutMs = 120000): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: fromRoot(), stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`${command} ${args.join(' ')}: still running after ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Number(process.hrtime.bigint() - started) / 1e6);
      else reject(new Error(`${command} ${args.join(' ')} exited ${String(code)}: ${stderr}`));
    });
  });
}

export { NPM };
