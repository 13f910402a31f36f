/**
 * The built CLI (`node dist/src/cli.js`, built by `npm test`) as a child
 * process on 127.0.0.1, for tests that need a separate process: memory
 * measured from outside (RSS), signals, several processes on one data file.
 * Every process started here is killed by its PID when the test ends.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli.js');

export interface CliProcess {
  child: ChildProcess;
  /** The start line ("… listening on …"). */
  line: string;
  url: string;
  /** Everything written to stdout and stderr so far. */
  output(): string;
}

const started: ChildProcess[] = [];

/** Kills (SIGKILL, by PID) every process started by `startCli` that is still running. */
export function killStartedClis(): void {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export interface CliOptions {
  env?: Record<string, string>;
  /** Options for node itself, before the script (e.g. `--max-old-space-size=160`). */
  nodeArgs?: string[];
}

/**
 * Spawns the CLI on `port`: its process at once, and a promise of it listening (rejected if it exits first or takes
 * over 20 s).
 */
export function spawnCli(
  port: number,
  args: string[] = [],
  options: CliOptions = {},
): { child: ChildProcess; listening: Promise<CliProcess> } {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), CLI, '--host', '127.0.0.1', '--port', String(port), '--quiet', ...args],
    {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  started.push(child);
  let output = '';
  const listening = new Promise<CliProcess>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the mock did not start: ${output}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.includes('listening on'));
      if (line) {
        clearTimeout(timer);
        resolve({ child, line, url: `http://127.0.0.1:${port}`, output: () => output });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the mock exited (${String(code ?? signal)}) before listening: ${output}`));
    });
  });
  return { child, listening };
}

/** Starts the CLI on `port` and resolves once it listens. */
export function startCli(port: number, args: string[] = [], options: CliOptions = {}): Promise<CliProcess> {
  return spawnCli(port, args, options).listening;
}

/** Resolves with the exit code (or signal) once the process has ended. */
export function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode ?? child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
}

/** The process's resident memory in bytes, read from /proc (Linux). */
export function rssOf(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid!}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${String(child.pid)}`);
  return Number(kb) * 1024;
}

export const MiB = 1024 * 1024;
