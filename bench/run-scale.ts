/**
 * `npm run bench:scale`: what a big data file costs. Data files with 0, 10k,
 * 100k and 1,000,000 publications are filled through the Store (a generator,
 * not HTTP); then, for each, the mock's CLI restarted on it (spawn to first
 * answer), create throughput (autocannon, rounds interleaved across the sizes),
 * the latency of a list filtered by customer, and the server's peak RSS.
 * Prints a cost-versus-size table and writes it to bench/results.md. The
 * files live in a temporary folder, deleted at the end.
 *
 * Settings (environment): SCALE_SIZES (10000,100000,1000000), BENCH_DURATION
 * seconds per create measurement (10), BENCH_ROUNDS (3), BENCH_CONNECTIONS (10),
 * SCALE_LIST_REQUESTS (1000), BENCH_STARTS (3).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LoadedFile, loadPublications } from './scale-load';
import { measureStartup } from './startup-time';
import { killAllStarted } from './support/child-processes';
import { describePinning, pinned } from './support/cpu-pinning';
import { runLoad } from './support/load-run';
import { describeMachine } from './support/machine';
import { formatNumber, table } from './support/markdown';
import { fromRoot } from './support/repo-root';
import { writeSection } from './support/results-file';
import { type RunningServer, startMock } from './support/servers';
import { median, percentile } from './support/statistics';
import { CREATES } from './workloads';

const settings = {
  sizes: (process.env.SCALE_SIZES ?? '10000,100000,1000000').split(',').map(Number),
  durationSec: Number(process.env.BENCH_DURATION ?? 10),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
  listRequests: Number(process.env.SCALE_LIST_REQUESTS ?? 1000),
  starts: Number(process.env.BENCH_STARTS ?? 3),
};

const TARGETS = { createsShare: 0.9, listP99Ms: 20, rssBytes: 2 ** 30, restartMs: 3000 };

function log(line: string): void {
  console.error(`[bench:scale ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

interface Size {
  label: string;
  file: string;
  loaded: LoadedFile;
  fileBytes: number;
  restartsMs: number[];
  server?: RunningServer;
  creates: number[];
  listMs: number[];
  peakRssBytes?: number;
}

/** The peak resident set of a process (VmHWM), from /proc; undefined where /proc is not there. */
function peakRss(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function fileBytes(file: string): number {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      total += statSync(`${file}${suffix}`).size;
    } catch {
      // No such part.
    }
  }
  return total;
}

/**
 * Sequential GET /v1/publications?customer=… from a fresh process on the load generator's core; the latency of each,
 * in ms.
 */
function listLatencies(server: RunningServer, customerIds: string[], n: number): number[] {
  const { command, args } = pinned('load', process.execPath, [
    fromRoot('dist', 'bench', 'list-latency.js'),
    server.baseUrl,
    String(n),
    ...customerIds,
  ]);
  const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`list-latency failed: ${child.stderr}`);
  const parsed: unknown = JSON.parse(child.stdout);
  if (!Array.isArray(parsed) || !parsed.every((n) => typeof n === 'number'))
    throw new Error(`list-latency printed ${child.stdout.slice(0, 200)}`);
  return parsed;
}

function sizeLabel(count: number): string {
  if (count === 0) return 'empty';
  if (count >= 1_000_000) return `${count / 1_000_000}M`;
  return count >= 1000 ? `${count / 1000}k` : String(count);
}

async function main(): Promise<void> {
  const machine = describeMachine();
  log(machine);
  const dir = mkdtempSync(join(tmpdir(), 'publications-scale-'));
  const sizes: Size[] = [];
  try {
    for (const count of [0, ...settings.sizes]) {
      const file = join(dir, `publications-${count}.db`);
      log(`loading ${formatNumber(count)} publications into ${file}`);
      let next = 100_000;
      const loaded = await loadPublications(file, count, (done) => {
        if (done >= next) {
          log(`  ${formatNumber(done)}`);
          next += 100_000;
        }
      });
      log(`  loaded in ${(loaded.loadMs / 1000).toFixed(1)} s, ${(fileBytes(file) / 2 ** 20).toFixed(0)} MiB`);
      sizes.push({
        label: sizeLabel(count),
        file,
        loaded,
        fileBytes: fileBytes(file),
        restartsMs: [],
        creates: [],
        listMs: [],
      });
    }
    const loaderPeakRss = process.resourceUsage().maxRSS * 1024;

    log(`restart on each file, spawn to first answer, ${settings.starts} times each, interleaved`);
    for (let i = 0; i < settings.starts; i++) {
      for (const size of sizes) size.restartsMs.push(await measureStartup('mock', ['--data', size.file]));
    }

    log('starting one mock per file');
    for (const size of sizes) size.server = await startMock(['--data', size.file]);
    const load = (size: Size, durationSec: number) =>
      runLoad({
        url: `${size.server!.baseUrl}${CREATES.path}`,
        method: CREATES.method,
        headers: CREATES.headers,
        body: CREATES.body,
        connections: settings.connections,
        durationSec,
      });
    for (const size of sizes) await load(size, 2);
    for (let round = 1; round <= settings.rounds; round++) {
      for (const size of sizes) {
        const result = await load(size, settings.durationSec);
        if (result.non2xx > 0 || result.errors > 0)
          throw new Error(`creates on ${size.label}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        size.creates.push(result.rps);
        log(`round ${round}/${settings.rounds} creates on ${size.label}: ${formatNumber(result.rps)} req/s`);
      }
    }
    for (const size of sizes) {
      size.listMs = listLatencies(size.server!, size.loaded.sampleCustomerIds, settings.listRequests);
      size.peakRssBytes = peakRss(size.server!.pid);
      log(
        `list by customer on ${size.label}: p50 ` +
          `${percentile(size.listMs, 50).toFixed(2)} ms, p99 ` +
          `${percentile(size.listMs, 99).toFixed(2)} ms; peak RSS ` +
          `${((size.peakRssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB`,
      );
    }

    const markdown = report(machine, sizes, loaderPeakRss);
    console.log(markdown);
    writeSection('bench-scale', markdown);
    log('written to bench/results.md');
  } finally {
    await Promise.all(sizes.flatMap((size) => (size.server ? [size.server.stop()] : [])));
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(machine: string, sizes: Size[], loaderPeakRss: number): string {
  const empty = sizes[0]!;
  const emptyCreates = median(empty.creates);
  const mib = (bytes: number | undefined): string =>
    bytes === undefined ? 'n/a' : `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MiB`;
  const rows = sizes.map((size) => [
    size.label,
    formatNumber(size.loaded.count),
    mib(size.fileBytes),
    size.loaded.count === 0 ? '—' : `${(size.loaded.loadMs / 1000).toFixed(1)} s`,
    `${median(size.restartsMs).toFixed(0)} ms`,
    formatNumber(median(size.creates)),
    `${((100 * median(size.creates)) / emptyCreates).toFixed(0)}%`,
    percentile(size.listMs, 50).toFixed(2),
    percentile(size.listMs, 99).toFixed(2),
    mib(size.peakRssBytes),
  ]);
  const largest = sizes[sizes.length - 1]!;
  const check = (met: boolean): string => (met ? 'met' : '**missed**');
  const largestCreatesShare = median(largest.creates) / emptyCreates;
  const worstP99 = Math.max(...sizes.map((s) => percentile(s.listMs, 99)));
  const worstRss = Math.max(...sizes.map((s) => s.peakRssBytes ?? 0));
  const worstRestart = Math.max(...sizes.map((s) => median(s.restartsMs)));
  return [
    `### npm run bench:scale (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
    '',
    `Machine: ${machine}.`,
    `Files filled through the Store (the default world, then N ` +
      `publications of the auto-update campaign, one published voucher each, ` +
      `${formatNumber(largest.loaded.customers)} customers at the largest ` +
      `size). ` +
      (`Restart: the CLI spawned on the file until the first 200, median of ` +
        `${settings.starts}. Creates: \`${CREATES.method} ${CREATES.path}\` ` +
        `with autocannon, ${settings.connections} connections, `) +
      (`${settings.durationSec} s, ${settings.rounds} rounds interleaved ` +
        `across the sizes, median; ${describePinning()}. `) +
      (`List: ${formatNumber(settings.listRequests)} sequential \`GET ` +
        `/v1/publications?customer=…\` (default page and order) over one ` +
        `kept-alive connection, from a fresh process on the load generator's ` +
        `core, for customers spread over the file, after the creates. `) +
      `Peak RSS: the server's VmHWM after all of it. The loader's own peak RSS was ${mib(loaderPeakRss)}.`,
    '',
    table(
      [
        'size',
        'publications',
        'file',
        'load',
        'restart → first answer',
        'creates req/s',
        'vs empty',
        'list p50 ms',
        'list p99 ms',
        'server peak RSS',
      ],
      rows,
    ),
    '',
    table(
      ['target', 'required', 'measured', 'verdict'],
      [
        [
          `creates at ${largest.label} vs empty`,
          `≥ ${TARGETS.createsShare * 100}%`,
          `${(100 * largestCreatesShare).toFixed(0)}%`,
          check(largestCreatesShare >= TARGETS.createsShare),
        ],
        [
          'filtered list p99 (worst size)',
          `≤ ${TARGETS.listP99Ms} ms`,
          `${worstP99.toFixed(2)} ms`,
          check(worstP99 <= TARGETS.listP99Ms),
        ],
        ['server RSS (worst size)', '≤ 1 GiB', mib(worstRss), check(worstRss > 0 && worstRss <= TARGETS.rssBytes)],
        [
          `restart on the ${largest.label} file to first answer`,
          `≤ ${TARGETS.restartMs / 1000} s`,
          `${worstRestart.toFixed(0)} ms`,
          check(worstRestart <= TARGETS.restartMs),
        ],
      ],
    ),
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  killAllStarted();
  process.exit(1);
});
