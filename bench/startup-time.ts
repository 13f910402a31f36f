/**
 * Start to first answer: spawn a server's CLI and poll (a fresh connection
 * every 2 ms) until the steady-state request answers 200. Not pinned to a
 * core: this is the time a user waits after typing the command.
 */
import { startProcess } from './support/child-processes';
import { freePort } from './support/free-port';
import { waitForOk } from './support/http-probe';
import { MOCK_CLI, PRISM_CLI, SPEC_FILE } from './support/servers';
import { STEADY } from './workloads';

export type StartTarget = 'mock' | 'prism';

/** Milliseconds from spawn to the first 200; `extraArgs` go to the mock's CLI (e.g. `--data file`). */
export async function measureStartup(target: StartTarget, extraArgs: string[] = [], timeoutMs = 60000): Promise<number> {
  const port = await freePort();
  const args =
    target === 'mock'
      ? [MOCK_CLI, '--quiet', '--port', String(port), ...extraArgs]
      : [PRISM_CLI, 'mock', '-h', '127.0.0.1', '-p', String(port), SPEC_FILE];
  const started = process.hrtime.bigint();
  const child = startProcess(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    await waitForOk({ url: `http://127.0.0.1:${port}${STEADY.path}`, method: STEADY.method, headers: STEADY.headers }, timeoutMs);
    return Number(process.hrtime.bigint() - started) / 1e6;
  } finally {
    await child.stop();
  }
}
