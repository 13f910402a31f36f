/**
 * Load from a list of requests, for the mixed workload: autocannon's API (its
 * CLI takes one request only) in a process of its own, pinned like the CLI
 * runs. Every connection walks the same list in order and starts again at the
 * end, so every server gets the same requests. Prints autocannon's result as
 * JSON on stdout, the shape bench/support/load-run.ts reads from the CLI.
 * Usage: node dist/bench/request-list-load.js <base-url> <requests.json> <connections> <seconds>
 */
import { readFileSync } from 'node:fs';
import type { HttpRequestSpec } from './mixed-requests';

interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  latency: { p50: number; p99: number };
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

const [baseUrl, file, connectionsText = '10', secondsText = '10'] = process.argv.slice(2);
if (!baseUrl || !file) {
  console.error('usage: request-list-load <base-url> <requests.json> <connections> <seconds>');
  process.exit(2);
}

// autocannon ships no types; this is the part of its API used here.
const autocannon = require('autocannon') as Autocannon;

const list = JSON.parse(readFileSync(file, 'utf8')) as HttpRequestSpec[];
const requests: AutocannonRequest[] = list.map((r) => ({
  method: r.method,
  path: r.path,
  headers: r.headers,
  ...(r.body === undefined ? {} : { body: r.body }),
}));

autocannon({ url: baseUrl, connections: Number(connectionsText), duration: Number(secondsText), requests }).then(
  (result) => {
    process.stdout.write(
      JSON.stringify({
        duration: result.duration,
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        '2xx': result['2xx'],
        latency: { p50: result.latency.p50, p99: result.latency.p99 },
      }),
    );
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
