/**
 * Every process a benchmark starts (the mock, Prism, the node:http ceiling,
 * autocannon) is started here and stopped by its PID: at the end, on failure,
 * and on Ctrl-C, so a benchmark never leaves a server listening. A process
 * started `detached` leads a process group of its own (npm and the shell it
 * runs a script in) and is stopped with the whole group, by the same id.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

export interface Started {
  pid: number;
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
/** Started with `detached`: signalled as a process group (-pid), so npm's shell and the server under it stop too. */
const groups = new WeakSet<ChildProcess>();

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  process.kill(groups.has(child) ? -child.pid : child.pid, name);
}

/** Kills what is still running by PID; safe to call from an 'exit' handler (synchronous). */
export function killAllStarted(): void {
  for (const child of running) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        signal(child, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  running.clear();
}

let handlersInstalled = false;

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', killAllStarted);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllStarted();
      process.exit(130);
    });
  }
}

export function startProcess(command: string, args: string[], options: SpawnOptions = {}): Started {
  installHandlers();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (child.pid === undefined) throw new Error(`could not start ${command} ${args.join(' ')}`);
  const pid = child.pid;
  running.add(child);
  if (options.detached) groups.add(child);
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString();
    // Keep the tail only: a chatty server must not grow this without bound.
    if (text.length > 1_000_000) text = text.slice(-100_000);
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(
    () => running.delete(child),
    () => undefined,
  );

  return {
    pid,
    child,
    output: () => text,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(text);
          if (match) {
            done();
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(`${command} ${args.join(' ')}: no ${String(pattern)} within ${timeoutMs} ms; output:\n${text}`),
          );
        }, timeoutMs);
        const onExit = (): void => {
          done();
          reject(
            new Error(
              `${command} ${args.join(' ')} exited ` +
                `(${String(child.exitCode ?? child.signalCode)}) before ` +
                `${String(pattern)}; output:\n${text}`,
            ),
          );
        };
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      });
    },
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signal(child, 'SIGTERM');
      const timer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) signal(child, 'SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
