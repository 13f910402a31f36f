/**
 * `npm run bench:fuzz`: how fast `--fuzz` generates and sends cases against
 * the local mock. Each run starts a fresh mock (its CLI, pinned to CPU 0 when
 * taskset is there) and runs the contract suite in this process with
 * `--checks all --fuzz N` and a seed of its own; the figures are the generated
 * phase's, as the report gives it (from deriving the breaches to the last
 * answer judged): generated cases (valid, invalid, sequences) per second and
 * requests per second, median and range over the runs. Writes its section of
 * bench/results.md.
 *
 * Settings (environment): BENCH_FUZZ_CASES per operation (200), BENCH_FUZZ_RUNS (7).
 */
import { runContract } from '../contract-tests/runner';
import { killAllStarted } from './support/child-processes';
import { spawnSync } from 'node:child_process';
import { pinningAvailable } from './support/cpu-pinning';
import { describeMachine, loadNow } from './support/machine';
import { table } from './support/markdown';
import { writeSection } from './support/results-file';
import { startMock } from './support/servers';
import { median } from './support/statistics';

const CASES = Number(process.env.BENCH_FUZZ_CASES ?? 200);
const RUNS = Number(process.env.BENCH_FUZZ_RUNS ?? 7);

interface Run {
  seed: number;
  cases: number;
  requests: number;
  seconds: number;
  wholeRunSeconds: number;
  outcome: string;
}

async function measureOnce(seed: number): Promise<Run> {
  const mock = await startMock();
  try {
    const started = performance.now();
    const report = await runContract({
      target: mock.baseUrl,
      credentials: { kind: 'pair', appId: 'bench-app', appToken: 'bench-secret' },
      fuzz: { cases: CASES, seed },
    });
    const wholeRunSeconds = (performance.now() - started) / 1000;
    const generated = report.generated;
    if (!generated) throw new Error('the report has no generated summary');
    return {
      seed,
      cases: generated.positive + generated.negative + generated.sequences,
      requests: generated.requests,
      seconds: generated.durationMs / 1000,
      wholeRunSeconds,
      outcome: `exit ${report.exitCode}, ${report.summary.passed}/${report.summary.checks} checks passed`,
    };
  } finally {
    await mock.stop();
  }
}

async function main(): Promise<void> {
  const machine = describeMachine();
  // The suite is the load generator here: its own core, as autocannon gets in `npm run bench`.
  const pinning =
    pinningAvailable() && spawnSync('taskset', ['-pc', '1', String(process.pid)]).status === 0
      ? 'The mock pinned to CPU 0 and this process (the suite) to CPU 1 with taskset.'
      : 'Not pinned: the mock and the suite share all cores.';
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await measureOnce(1000 + i);
    runs.push(run);
    console.error(
      `[bench:fuzz] seed ${run.seed}: ${run.cases} cases, ${run.requests} ` +
        `requests in ${run.seconds.toFixed(2)} s (${run.outcome})`,
    );
  }
  const casesPerSecond = runs.map((r) => r.cases / r.seconds);
  const requestsPerSecond = runs.map((r) => r.requests / r.seconds);
  const range = (values: number[]): string => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;
  const rows = runs.map((r) => [
    String(r.seed),
    String(r.cases),
    String(r.requests),
    r.seconds.toFixed(2),
    (r.cases / r.seconds).toFixed(0),
    (r.requests / r.seconds).toFixed(0),
    r.wholeRunSeconds.toFixed(2),
    r.outcome,
  ]);
  const markdown = [
    `### npm run bench:fuzz (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
    '',
    `Machine: ${machine}; load average after the runs ${loadNow()}. ${pinning}`,
    `Each run: a fresh mock (its CLI), then \`runContract\` in the ` +
      `benchmark's process with \`--checks all --fuzz ${CASES}\` (${CASES} ` +
      `requests per operation, half valid and half invalid, and one sequence ` +
      `per 4), seed as listed. "Generated phase" is the report's ` +
      `\`generated.durationMs\`: from deriving the breaches to the last ` +
      `answer judged (no failure, so nothing to shrink); the whole run adds ` +
      `the preflight and the fixed checks.`,
    '',
    `**Generated cases per second: median ` +
      `${median(casesPerSecond).toFixed(0)} (${range(casesPerSecond)}, ` +
      `${RUNS} runs); requests per second ` +
      `${median(requestsPerSecond).toFixed(0)} ` +
      `(${range(requestsPerSecond)}).**`,
    '',
    table(['seed', 'cases', 'requests', 'generated phase s', 'cases/s', 'requests/s', 'whole run s', 'outcome'], rows),
  ].join('\n');
  console.log(markdown);
  writeSection('bench-fuzz', markdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  killAllStarted();
  process.exit(1);
});
