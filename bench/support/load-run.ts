/**
 * One load measurement: autocannon's CLI in a process of its own (never in the
 * benchmark's process, which would steal CPU from it), JSON out; for a list of
 * requests (the mixed workload) bench/request-list-load.ts, autocannon's API
 * in a process of its own, pinned the same way.
 */
import { spawn } from 'node:child_process';
import { pinned } from './cpu-pinning';
import { fromRoot } from './repo-root';

export interface LoadSpec {
  url: string;
  /**
   * A JSON file of HttpRequestSpec (bench/mixed-requests.ts) sent in turn; `url` is then the base URL and
   * method/headers/body are unused.
   */
  requestsFile?: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  connections: number;
  durationSec: number;
}

export interface LoadResult {
  /** Answers per second over the whole run (all statuses). */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

interface AutocannonJson {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  latency: { p50: number; p99: number };
}

const AUTOCANNON = fromRoot('node_modules', 'autocannon', 'autocannon.js');
const REQUEST_LIST_LOAD = fromRoot('dist', 'bench', 'request-list-load.js');

function isAutocannonJson(value: unknown): value is AutocannonJson {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const latency = v.latency as Record<string, unknown> | undefined;
  return typeof v.duration === 'number' && typeof v['2xx'] === 'number' && typeof latency?.p99 === 'number';
}

function autocannonArgs(spec: LoadSpec): string[] {
  if (spec.requestsFile !== undefined)
    return [REQUEST_LIST_LOAD, spec.url, spec.requestsFile, String(spec.connections), String(spec.durationSec)];
  const args = [
    AUTOCANNON,
    '-j',
    '-n',
    '-c',
    String(spec.connections),
    '-d',
    String(spec.durationSec),
    '-m',
    spec.method,
  ];
  for (const [name, value] of Object.entries(spec.headers)) args.push('-H', `${name}=${value}`);
  if (spec.body !== undefined) args.push('-b', spec.body);
  args.push(spec.url);
  return args;
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const args = autocannonArgs(spec);
  const { command, args: finalArgs } = pinned('load', process.execPath, args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, finalArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${String(code)}: ${err}`));
      let parsed: unknown;
      try {
        parsed = JSON.parse(out);
      } catch {
        return reject(new Error(`autocannon printed no JSON: ${out.slice(0, 300)} ${err}`));
      }
      if (!isAutocannonJson(parsed)) return reject(new Error(`unexpected autocannon output: ${out.slice(0, 300)}`));
      const total = parsed['2xx'] + parsed.non2xx;
      resolve({
        rps: total / parsed.duration,
        p50Ms: parsed.latency.p50,
        p99Ms: parsed.latency.p99,
        total,
        non2xx: parsed.non2xx,
        errors: parsed.errors + parsed.timeouts,
      });
    });
  });
}
