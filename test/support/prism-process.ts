/**
 * Starts the real Prism CLI (`prism mock`) on the spec, on 127.0.0.1, and stops
 * it by its PID. Used by the tests that treat Prism as a third-party implementation.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { specPath } from '../../src/spec/spec-document';
import { freePort } from './free-port';

export interface RunningPrism {
  baseUrl: string;
  stop(): Promise<void>;
}

const prismBin = join(__dirname, '..', '..', 'node_modules', '.bin', 'prism');

export async function startPrism(extraArgs: string[] = [], timeoutMs = 20000): Promise<RunningPrism> {
  const port = await freePort();
  const child: ChildProcess = spawn(prismBin, ['mock', '-h', '127.0.0.1', '-p', String(port), ...extraArgs, specPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Prism did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${String(code)}:\n${output}`));
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
