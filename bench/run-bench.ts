/**
 * `npm run bench`: the mock against Prism (static and dynamic) and a bare
 * node:http ceiling, side by side in one run on one machine. Two workloads
 * (bench/workloads.ts), autocannon with the same connections and duration for
 * every server, rounds interleaved (A B C D A B C D …), medians and ratios;
 * then start to first answer and a contract-suite run. Prints a table and
 * writes it to bench/results.md with the machine it ran on.
 *
 * Settings (environment): BENCH_DURATION seconds per measurement (10),
 * BENCH_ROUNDS (3), BENCH_CONNECTIONS (10), BENCH_STARTS (5), BENCH_PIN=0.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ContractTiming, timeContractRun } from './contract-time';
import { measureStartup } from './startup-time';
import { killAllStarted } from './support/child-processes';
import { describePinning } from './support/cpu-pinning';
import { probe } from './support/http-probe';
import { type LoadResult, runLoad } from './support/load-run';
import { describeMachine, loadNow } from './support/machine';
import { formatNumber, formatRatio, table } from './support/markdown';
import { writeSection } from './support/results-file';
import { type RunningServer, startFixedBody, startMock, startPrism } from './support/servers';
import { median } from './support/statistics';
import { WORKLOADS, type Workload } from './workloads';

const settings = {
  durationSec: Number(process.env.BENCH_DURATION ?? 10),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
  starts: Number(process.env.BENCH_STARTS ?? 5),
  warmupSec: 2,
};

type ServerId = 'mock' | 'prismStatic' | 'prismStaticQuiet' | 'prismDynamic' | 'ceiling';
const SERVER_ORDER: readonly ServerId[] = ['mock', 'prismStatic', 'prismStaticQuiet', 'prismDynamic', 'ceiling'];

function log(line: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

async function send(server: RunningServer, workload: Workload): Promise<{ status: number; body: Buffer }> {
  return probe({ url: `${server.baseUrl}${workload.path}`, method: workload.method, headers: workload.headers, body: workload.body });
}

function load(server: RunningServer, workload: Workload, durationSec: number): Promise<LoadResult> {
  return runLoad({
    url: `${server.baseUrl}${workload.path}`,
    method: workload.method,
    headers: workload.headers,
    body: workload.body,
    connections: settings.connections,
    durationSec,
  });
}

interface Summary {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  rounds: number[];
}

function summarise(results: LoadResult[]): Summary {
  return {
    rps: median(results.map((r) => r.rps)),
    p50: median(results.map((r) => r.p50Ms)),
    p99: median(results.map((r) => r.p99Ms)),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    rounds: results.map((r) => r.rps),
  };
}

interface Target {
  name: string;
  required: string;
  measured: string;
  met: boolean | undefined;
}

function verdict(met: boolean | undefined): string {
  if (met === undefined) return 'not measured';
  return met ? 'met' : '**missed**';
}

async function main(): Promise<void> {
  const machine = describeMachine();
  log(machine);
  const servers = new Map<ServerId, RunningServer>();
  const bodyDir = mkdtempSync(join(tmpdir(), 'publications-bench-'));
  const results = new Map<string, LoadResult[]>();
  let loadAtEnd = '';
  try {
    // The mock first: the ceiling answers copies of its bodies, byte for byte the same size.
    log('starting the mock, Prism static (default log and log at error), Prism dynamic and the node:http ceiling');
    const mock = await startMock();
    servers.set('mock', mock);
    const bodies: Record<string, string> = {};
    for (const workload of WORKLOADS) {
      const answer = await send(mock, workload);
      if (answer.status !== 200) throw new Error(`the mock answered ${workload.method} ${workload.path} with ${answer.status}: ${answer.body.toString()}`);
      bodies[workload.id] = join(bodyDir, `${workload.id}.json`);
      writeFileSync(bodies[workload.id]!, answer.body);
    }
    servers.set('prismStatic', await startPrism({ dynamic: false, quiet: false }));
    servers.set('prismStaticQuiet', await startPrism({ dynamic: false, quiet: true }));
    servers.set('prismDynamic', await startPrism({ dynamic: true, quiet: false }));
    servers.set('ceiling', await startFixedBody({ get: bodies.steady!, post: bodies.creates! }));

    for (const id of SERVER_ORDER) {
      const server = servers.get(id)!;
      for (const workload of WORKLOADS) {
        const answer = await send(server, workload);
        if (answer.status !== 200) throw new Error(`${server.name} answered ${workload.method} ${workload.path} with ${answer.status}: ${answer.body.toString().slice(0, 300)}`);
      }
    }

    log(`warming up (${settings.warmupSec} s per server and workload, not recorded)`);
    for (const workload of WORKLOADS) {
      for (const id of SERVER_ORDER) await load(servers.get(id)!, workload, settings.warmupSec);
    }

    for (let round = 1; round <= settings.rounds; round++) {
      for (const workload of WORKLOADS) {
        for (const id of SERVER_ORDER) {
          const server = servers.get(id)!;
          const result = await load(server, workload, settings.durationSec);
          const key = `${workload.id}:${id}`;
          results.set(key, [...(results.get(key) ?? []), result]);
          log(`round ${round}/${settings.rounds} ${workload.id} ${server.name}: ${formatNumber(result.rps)} req/s, p99 ${result.p99Ms} ms${result.non2xx ? `, ${result.non2xx} non-2xx` : ''}`);
        }
      }
    }
    loadAtEnd = loadNow();
  } finally {
    await Promise.all([...servers.values()].map((s) => s.stop()));
    rmSync(bodyDir, { recursive: true, force: true });
  }

  log(`start to first answer, ${settings.starts} times each, interleaved`);
  const starts = { mock: [] as number[], prism: [] as number[] };
  for (let i = 0; i < settings.starts; i++) {
    starts.mock.push(await measureStartup('mock'));
    starts.prism.push(await measureStartup('prism'));
  }
  log(`mock ${starts.mock.map((n) => n.toFixed(0)).join(', ')} ms; Prism ${starts.prism.map((n) => n.toFixed(0)).join(', ')} ms`);

  log('a full contract-suite run against a local mock');
  const contract: ContractTiming = await timeContractRun();

  const markdown = report({ machine, loadAtEnd, results, starts, contract });
  console.log(markdown);
  writeSection('bench', markdown);
  log('written to bench/results.md');
}

function report(run: {
  machine: string;
  loadAtEnd: string;
  results: Map<string, LoadResult[]>;
  starts: { mock: number[]; prism: number[] };
  contract: ContractTiming;
}): string {
  const names: Record<ServerId, string> = {
    mock: 'mock',
    prismStatic: 'Prism static',
    prismStaticQuiet: 'Prism static, log at error',
    prismDynamic: 'Prism dynamic (-d)',
    ceiling: 'node:http fixed body',
  };
  const summary = (workload: string, id: ServerId): Summary => summarise(run.results.get(`${workload}:${id}`) ?? []);
  const rows: string[][] = [];
  for (const workload of WORKLOADS) {
    const mock = summary(workload.id, 'mock');
    for (const id of SERVER_ORDER) {
      const s = summary(workload.id, id);
      rows.push([
        workload.id,
        names[id],
        formatNumber(s.rps),
        s.rounds.map((n) => formatNumber(n)).join(' / '),
        String(s.p50),
        String(s.p99),
        formatNumber(s.non2xx + s.errors),
        id === 'mock' ? '—' : formatRatio(mock.rps / s.rps),
      ]);
    }
  }
  const steady = (id: ServerId): Summary => summary('steady', id);
  const creates = (id: ServerId): Summary => summary('creates', id);
  const mockStart = median(run.starts.mock);
  const prismStart = median(run.starts.prism);
  const targets: Target[] = [
    {
      name: 'steady throughput vs Prism static',
      required: '≥ 5×',
      measured: formatRatio(steady('mock').rps / steady('prismStatic').rps),
      met: steady('mock').rps >= 5 * steady('prismStatic').rps,
    },
    {
      name: 'steady throughput vs Prism static with its log at error (stricter reading)',
      required: '≥ 5×',
      measured: formatRatio(steady('mock').rps / steady('prismStaticQuiet').rps),
      met: steady('mock').rps >= 5 * steady('prismStaticQuiet').rps,
    },
    {
      name: 'steady throughput vs Prism dynamic',
      required: '≥ 25×',
      measured: formatRatio(steady('mock').rps / steady('prismDynamic').rps),
      met: steady('mock').rps >= 25 * steady('prismDynamic').rps,
    },
    {
      name: 'steady p99 latency vs Prism static',
      required: '≤ ⅓',
      measured: `${steady('mock').p99} ms vs ${steady('prismStatic').p99} ms`,
      met: steady('mock').p99 * 3 <= steady('prismStatic').p99,
    },
    {
      name: 'steady throughput vs node:http ceiling',
      required: '≥ 20%',
      measured: `${((100 * steady('mock').rps) / steady('ceiling').rps).toFixed(0)}%`,
      met: steady('mock').rps >= 0.2 * steady('ceiling').rps,
    },
    {
      name: 'creates vs Prism static',
      required: '≥ 3×',
      measured: formatRatio(creates('mock').rps / creates('prismStatic').rps),
      met: creates('mock').rps >= 3 * creates('prismStatic').rps,
    },
    {
      name: 'creates vs Prism static with its log at error (stricter reading)',
      required: '≥ 3×',
      measured: formatRatio(creates('mock').rps / creates('prismStaticQuiet').rps),
      met: creates('mock').rps >= 3 * creates('prismStaticQuiet').rps,
    },
    {
      name: 'start to first answer (median)',
      required: '≤ 500 ms',
      measured: `${mockStart.toFixed(0)} ms (Prism ${prismStart.toFixed(0)} ms)`,
      met: mockStart <= 500,
    },
    run.contract.measured
      ? { name: 'full contract-suite run vs a local mock', required: '≤ 10 s', measured: `${(run.contract.ms / 1000).toFixed(1)} s (${run.contract.outcome})`, met: run.contract.ms <= 10000 }
      : { name: 'full contract-suite run vs a local mock', required: '≤ 10 s', measured: `not measured yet: ${run.contract.reason}`, met: undefined },
  ];
  const connections = settings.connections;
  return [
    `### npm run bench (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
    '',
    `Machine: ${run.machine}; load average after the load runs ${run.loadAtEnd}.`,
    `Load: autocannon, ${connections} connections, ${settings.durationSec} s per measurement, ${settings.rounds} rounds interleaved ` +
      `(mock, Prism static, Prism static with its log at error, Prism dynamic, node:http; then again), after a ${settings.warmupSec} s warm-up of each; ${describePinning()}. ` +
      'Figures are medians over the rounds; each round\'s req/s is listed. The mock runs its CLI (`--quiet`, default non-strict mode, in memory); ' +
      'Prism runs `prism mock` on the same spec/ as users run it (request log at its default level, `info`, sent to /dev/null), and once more with `-v error` ' +
      'for a like-for-like comparison with the quiet mock. The ceiling answers byte copies of the mock\'s own bodies. Targets are checked against Prism as users run it; ' +
      'the "stricter reading" rows check them against the quiet Prism.',
    '',
    table(['workload', 'server', 'req/s', 'per round', 'p50 ms', 'p99 ms', 'non-2xx + errors', 'mock ÷ server'], rows),
    '',
    `Start to first answer (spawn → first 200 of the steady request, median of ${run.starts.mock.length}): ` +
      `mock ${run.starts.mock.map((n) => n.toFixed(0)).join(', ')} ms; Prism static ${run.starts.prism.map((n) => n.toFixed(0)).join(', ')} ms.`,
    '',
    table(
      ['target', 'required', 'measured', 'verdict'],
      targets.map((t) => [t.name, t.required, t.measured, verdict(t.met)]),
    ),
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  killAllStarted();
  process.exit(1);
});
