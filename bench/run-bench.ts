/**
 * `npm run bench`: the mock against the servers users would pick instead, side
 * by side in one run on one machine: WireMock (static stubs made from the
 * mock's own answers, its JVM warmed up first), Mockoon CLI and Prism (static,
 * static with its log at error, dynamic) on spec/, and a bare node:http
 * ceiling. Three workloads: steady and creates (bench/workloads.ts) and a
 * seeded mixed list (bench/mixed-requests.ts). autocannon with the same
 * connections and duration for every server, each server pinned to one core,
 * rounds interleaved (A B C … A B C …), medians, ranges and ratios to WireMock;
 * then start to first answer and a contract-suite run. Prints one table and
 * writes it to bench/results.md with the machine it ran on.
 *
 * Flags (after `npm run bench --`): --quick (short run, printed only, not
 * written), --duration <s> per measurement (6), --rounds <n> (3),
 * --jvm-warmup <s> of load on WireMock before anything is measured (60; up
 * to twice that while its req/s still grows),
 * --connections <n> (10), --starts <n> (5), --write / --no-write,
 * --no-postgres (skip the mock on PostgreSQL: one process, and three behind a
 * round-robin proxy; skipped anyway when PostgreSQL's programs are missing),
 * --no-peers (skip WireMock, Mockoon, Prism and the ceiling).
 * The environment's BENCH_DURATION, BENCH_ROUNDS, BENCH_CONNECTIONS,
 * BENCH_STARTS and BENCH_JVM_WARMUP set the same defaults; BENCH_PIN=0 unpins.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ContractTiming, timeContractRun } from './contract-time';
import {
  type HttpRequestSpec,
  MIXED_CUSTOMERS,
  MIXED_REQUESTS,
  MIXED_SEED,
  drawMixedPlan,
  joinRequest,
  resolveMixedPlan,
} from './mixed-requests';
import { measureStartup } from './startup-time';
import { killAllStarted } from './support/child-processes';
import { describePinning } from './support/cpu-pinning';
import { probe } from './support/http-probe';
import { type LoadResult, runLoad } from './support/load-run';
import { describeMachine, loadNow } from './support/machine';
import { formatNumber, formatRatio, table } from './support/markdown';
import {
  type Availability,
  describeJava,
  mockoonAvailability,
  startMockoon,
  startWiremock,
  wiremockAvailability,
} from './support/peer-servers';
import { writeSection } from './support/results-file';
import { type RunningServer, startFixedBody, startMock, startPrism } from './support/servers';
import { median } from './support/statistics';
import { type RecordedAnswer, buildWiremockMappings } from './support/wiremock-stubs';
import { type PostgresMocks, postgresUnavailableReason, startPostgresMocks } from './support/postgres-mocks';
import { WORKLOADS } from './workloads';

function readSettings(): {
  quick: boolean;
  write: boolean;
  durationSec: number;
  rounds: number;
  connections: number;
  starts: number;
  jvmWarmupSec: number;
  warmupSec: number;
  postgres: boolean;
  peers: boolean;
} {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      write: { type: 'boolean' },
      'no-write': { type: 'boolean' },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      starts: { type: 'string' },
      'jvm-warmup': { type: 'string' },
      'no-postgres': { type: 'boolean', default: false },
      'no-peers': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const quick = values.quick === true;
  const number = (flag: string | undefined, env: string | undefined, normal: number, short: number): number => {
    const text = flag ?? env;
    const value = text === undefined ? (quick ? short : normal) : Number(text);
    if (!Number.isFinite(value) || value < 0) throw new Error(`not a number of seconds or a count: ${String(text)}`);
    return value;
  };
  return {
    quick,
    write: values['no-write'] === true ? false : (values.write ?? !quick),
    durationSec: number(values.duration, process.env.BENCH_DURATION, 6, 3),
    rounds: number(values.rounds, process.env.BENCH_ROUNDS, 3, 1),
    connections: number(values.connections, process.env.BENCH_CONNECTIONS, 10, 10),
    starts: number(values.starts, process.env.BENCH_STARTS, 5, 0),
    jvmWarmupSec: number(values['jvm-warmup'], process.env.BENCH_JVM_WARMUP, 60, 10),
    warmupSec: quick ? 1 : 2,
    postgres: values['no-postgres'] !== true,
    peers: values['no-peers'] !== true,
  };
}

const settings = readSettings();

type WorkloadId = 'steady' | 'creates' | 'mixed';
const WORKLOAD_IDS: readonly WorkloadId[] = ['steady', 'creates', 'mixed'];
const WORKLOAD_TITLES: Record<WorkloadId, string> = {
  steady: WORKLOADS[0]!.title,
  creates: WORKLOADS[1]!.title,
  mixed:
    `seeded list of ${formatNumber(MIXED_REQUESTS)} requests: 60 % GET ` +
    `/v1/publications/create with join_once over ` +
    `${formatNumber(MIXED_CUSTOMERS)} customers, ` +
    '20 % POST creates, 20 % lists filtered by customer, by campaign or with filters[...]',
};

type ServerId =
  | 'mock'
  | 'mockPg1'
  | 'mockPg3'
  | 'wiremock'
  | 'mockoon'
  | 'prismStatic'
  | 'prismStaticQuiet'
  | 'prismDynamic'
  | 'ceiling';
const SERVER_ORDER: readonly ServerId[] = [
  'mock',
  'mockPg1',
  'mockPg3',
  'wiremock',
  'mockoon',
  'prismStatic',
  'prismStaticQuiet',
  'prismDynamic',
  'ceiling',
];
const NAMES: Record<ServerId, string> = {
  mock: 'mock (SQLite in memory)',
  mockPg1: 'mock on PostgreSQL, 1 process',
  mockPg3: 'mock on PostgreSQL, 3 processes (round-robin proxy)',
  wiremock: 'WireMock 3.13.2 (static stubs)',
  mockoon: 'Mockoon CLI 9.9.0',
  prismStatic: 'Prism static',
  prismStaticQuiet: 'Prism static, log at error',
  prismDynamic: 'Prism dynamic (-d)',
  ceiling: 'node:http fixed body',
};

/** What a workload sends: one request repeated, or a file of requests sent in turn. */
type Load = { kind: 'one'; request: HttpRequestSpec } | { kind: 'list'; file: string; requests: HttpRequestSpec[] };

function log(line: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

function send(server: RunningServer, request: HttpRequestSpec): ReturnType<typeof probe> {
  return probe({
    url: `${server.baseUrl}${request.path}`,
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
}

function load(server: RunningServer, what: Load, durationSec: number): Promise<LoadResult> {
  if (what.kind === 'list') {
    return runLoad({
      url: server.baseUrl,
      requestsFile: what.file,
      method: 'GET',
      headers: {},
      connections: settings.connections,
      durationSec,
    });
  }
  const r = what.request;
  return runLoad({
    url: `${server.baseUrl}${r.path}`,
    method: r.method,
    headers: r.headers,
    body: r.body,
    connections: settings.connections,
    durationSec,
  });
}

/**
 * The requests a server must answer 200 before it is measured: every workload's first request and one of each kind in
 * the mixed list.
 */
function checkRequests(loads: Record<WorkloadId, Load>): HttpRequestSpec[] {
  const out: HttpRequestSpec[] = [];
  for (const id of WORKLOAD_IDS) {
    const what = loads[id];
    if (what.kind === 'one') out.push(what.request);
    else {
      const seen = new Set<string>();
      for (const r of what.requests) {
        const kind =
          `${r.method} ${r.path.split('?')[0]!} ` +
          `${[...new URLSearchParams(r.path.split('?')[1] ?? '').keys()].join('&')}`;
        if (!seen.has(kind)) {
          seen.add(kind);
          out.push(r);
        }
      }
    }
  }
  return out;
}

interface Summary {
  rps: number;
  min: number;
  max: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  rounds: number[];
}

function summarise(results: LoadResult[]): Summary {
  const rps = results.map((r) => r.rps);
  return {
    rps: median(rps),
    min: rps.length ? Math.min(...rps) : Number.NaN,
    max: rps.length ? Math.max(...rps) : Number.NaN,
    p50: median(results.map((r) => r.p50Ms)),
    p99: median(results.map((r) => r.p99Ms)),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    rounds: rps,
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

/**
 * Asks the mock for its answer to each request once, in order; the answers become WireMock's stubs and the ceiling's
 * bodies.
 */
async function recordAnswers(mock: RunningServer, requests: readonly HttpRequestSpec[]): Promise<RecordedAnswer[]> {
  const answers: RecordedAnswer[] = [];
  for (const request of requests) {
    const answer = await send(mock, request);
    if (answer.status !== 200)
      throw new Error(
        `the mock answered ${request.method} ${request.path} with ` +
          `${answer.status}: ${answer.body.toString().slice(0, 300)}`,
      );
    answers.push({
      method: request.method,
      path: request.path,
      status: answer.status,
      contentType: answer.contentType,
      body: answer.body.toString(),
    });
  }
  return answers;
}

function distinct(requests: readonly HttpRequestSpec[]): HttpRequestSpec[] {
  const seen = new Set<string>();
  return requests.filter((r) => {
    const key = `${r.method} ${r.path} ${r.body ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  const machine = describeMachine();
  log(machine);
  log(`settings: ${JSON.stringify(settings)}`);
  const servers = new Map<ServerId, RunningServer>();
  const skipped = new Map<ServerId, string>();
  const workDir = mkdtempSync(join(tmpdir(), 'publications-bench-'));
  const results = new Map<string, LoadResult[]>();
  let loadAtEnd: string;
  let stubCount: number;
  let wiremockWarmup = 0;
  let postgres: PostgresMocks | undefined;
  /** Mixed lists of servers whose customers were made on their own store (the mock on PostgreSQL). */
  const ownMixed = new Map<ServerId, Load>();
  try {
    // The mock first: its answers are the ceiling's bodies and WireMock's stubs.
    log('starting the mock and recording its answers');
    const mock = await startMock();
    servers.set('mock', mock);
    const steady: HttpRequestSpec = WORKLOADS[0]!;
    const creates: HttpRequestSpec = WORKLOADS[1]!;
    const [steadyAnswer, createAnswer] = await recordAnswers(mock, [steady, creates]);
    const bodies = { get: join(workDir, 'steady.json'), post: join(workDir, 'creates.json') };
    writeFileSync(bodies.get, steadyAnswer!.body);
    writeFileSync(bodies.post, createAnswer!.body);

    log(`mixed workload: creating ${MIXED_CUSTOMERS} customers through join_once requests, then the seeded list`);
    const joins = await recordAnswers(
      mock,
      Array.from({ length: MIXED_CUSTOMERS }, (_, i) => joinRequest(i)),
    );
    const customerIds = joins.map((answer) => {
      const id = (JSON.parse(answer.body) as { customer_id?: unknown }).customer_id;
      if (typeof id !== 'string')
        throw new Error(`no customer_id in the mock's join answer: ${answer.body.slice(0, 200)}`);
      return id;
    });
    const mixedRequests = resolveMixedPlan(
      drawMixedPlan({ seed: MIXED_SEED, count: MIXED_REQUESTS, customers: MIXED_CUSTOMERS }),
      customerIds,
    );
    const mixedFile = join(workDir, 'mixed-requests.json');
    writeFileSync(mixedFile, JSON.stringify(mixedRequests));
    const joinPaths = new Set(joins.map((a) => a.path));
    const others = await recordAnswers(
      mock,
      distinct(mixedRequests).filter((r) => !joinPaths.has(r.path)),
    );
    const loads: Record<WorkloadId, Load> = {
      steady: { kind: 'one', request: steady },
      creates: { kind: 'one', request: creates },
      mixed: { kind: 'list', file: mixedFile, requests: mixedRequests },
    };

    const postgresReason = settings.postgres ? postgresUnavailableReason() : 'not run (--no-postgres)';
    if (postgresReason === undefined) {
      log('starting PostgreSQL 15, one mock on it, and three mocks on another database behind a round-robin proxy');
      postgres = await startPostgresMocks();
      for (const [id, server] of [
        ['mockPg1', postgres.one],
        ['mockPg3', postgres.three],
      ] as const) {
        servers.set(id, server);
        // The same seeded plan, resolved against customers made through this server, so its lists find them.
        const own = await recordAnswers(
          server,
          Array.from({ length: MIXED_CUSTOMERS }, (_, i) => joinRequest(i)),
        );
        const ownIds = own.map((answer) => {
          const cid = (JSON.parse(answer.body) as { customer_id?: unknown }).customer_id;
          if (typeof cid !== 'string') throw new Error(`no customer_id in ${server.name}'s join answer`);
          return cid;
        });
        const requests = resolveMixedPlan(
          drawMixedPlan({ seed: MIXED_SEED, count: MIXED_REQUESTS, customers: MIXED_CUSTOMERS }),
          ownIds,
        );
        const file = join(workDir, `mixed-requests-${id}.json`);
        writeFileSync(file, JSON.stringify(requests));
        ownMixed.set(id, { kind: 'list', file, requests });
      }
    } else {
      skipped.set('mockPg1', postgresReason);
      skipped.set('mockPg3', postgresReason);
      log(`mock on PostgreSQL: skipped (${postgresReason})`);
    }
    const loadsFor = (id: ServerId): Record<WorkloadId, Load> => {
      const mixed = ownMixed.get(id);
      return mixed ? { ...loads, mixed } : loads;
    };

    const wiremock = wiremockAvailability();
    const mockoon = mockoonAvailability();
    const startPeer = async (
      id: ServerId,
      availability: Availability,
      start: () => Promise<RunningServer>,
    ): Promise<void> => {
      if (!settings.peers) {
        skipped.set(id, 'not run (--no-peers)');
        return;
      }
      if (!availability.available) {
        skipped.set(id, availability.reason);
        log(`${NAMES[id]}: skipped (${availability.reason})`);
        return;
      }
      servers.set(id, await start());
    };
    // steady and creates each measure WireMock's one stub for that request, tried first (priority 1); mixed makes it
    // search all of them.
    const mappings = buildWiremockMappings([
      { ...steadyAnswer!, priority: 1 },
      { ...createAnswer!, priority: 1 },
      ...joins,
      ...others,
    ]);
    stubCount = mappings.mappings.length;
    if (settings.peers)
      log(
        `starting WireMock (${stubCount} stubs), Mockoon, Prism static ` +
          `(default log and log at error), Prism dynamic and the node:http ` +
          `ceiling`,
      );
    else log('WireMock, Mockoon, Prism and the ceiling: not run (--no-peers)');
    await startPeer('wiremock', wiremock, () => startWiremock(mappings, join(workDir, 'wiremock')));
    await startPeer('mockoon', mockoon, () => startMockoon());
    const always: Availability = { available: true };
    await startPeer('prismStatic', always, () => startPrism({ dynamic: false, quiet: false }));
    await startPeer('prismStaticQuiet', always, () => startPrism({ dynamic: false, quiet: true }));
    await startPeer('prismDynamic', always, () => startPrism({ dynamic: true, quiet: false }));
    await startPeer('ceiling', always, () => startFixedBody(bodies));

    for (const id of SERVER_ORDER) {
      const server = servers.get(id);
      if (!server) continue;
      for (const request of checkRequests(loadsFor(id))) {
        const answer = await send(server, request);
        if (answer.status !== 200)
          throw new Error(
            `${server.name} answered ${request.method} ${request.path} with ` +
              `${answer.status}: ${answer.body.toString().slice(0, 300)}`,
          );
      }
    }

    const jvm = servers.get('wiremock');
    if (jvm && settings.jvmWarmupSec > 0) {
      // 10 s windows taking turns over the workloads, each logged. On a loaded machine the JIT gets less than the wall
      // time,
      // so after the minimum it goes on (up to twice as long) while a workload's window still beats its previous one
      // by > 10 %.
      const each = Math.max(1, Math.min(10, Math.round(settings.jvmWarmupSec / WORKLOAD_IDS.length)));
      const minimum = Math.max(WORKLOAD_IDS.length, Math.round(settings.jvmWarmupSec / each));
      const last = new Map<WorkloadId, number[]>();
      log(
        `warming up WireMock's JVM: at least ${minimum} windows of ${each} s ` +
          `taking turns over the workloads, at most ${2 * minimum} (not recorded)`,
      );
      for (let i = 0; i < 2 * minimum; i++) {
        const id = WORKLOAD_IDS[i % WORKLOAD_IDS.length]!;
        const result = await load(jvm, loads[id], each);
        last.set(id, [...(last.get(id) ?? []), result.rps]);
        log(
          `  WireMock warm-up ${i * each}–${(i + 1) * each} s, ${id}: ` +
            `${formatNumber(result.rps)} req/s, p99 ${result.p99Ms} ms`,
        );
        wiremockWarmup = (i + 1) * each;
        const roundDone = (i + 1) % WORKLOAD_IDS.length === 0;
        const growing = WORKLOAD_IDS.some((w) => {
          const seen = last.get(w) ?? [];
          return seen.length < 2 || seen[seen.length - 1]! > 1.1 * seen[seen.length - 2]!;
        });
        if (i + 1 >= minimum && roundDone && !growing) break;
      }
    }

    log(`warming up (${settings.warmupSec} s per server and workload, not recorded)`);
    for (const id of WORKLOAD_IDS) {
      for (const server of SERVER_ORDER) {
        const running = servers.get(server);
        if (running) await load(running, loadsFor(server)[id], settings.warmupSec);
      }
    }

    for (let round = 1; round <= settings.rounds; round++) {
      for (const workload of WORKLOAD_IDS) {
        for (const id of SERVER_ORDER) {
          const server = servers.get(id);
          if (!server) continue;
          const result = await load(server, loadsFor(id)[workload], settings.durationSec);
          const key = `${workload}:${id}`;
          results.set(key, [...(results.get(key) ?? []), result]);
          log(
            `round ${round}/${settings.rounds} ${workload} ${server.name}: ` +
              `${formatNumber(result.rps)} req/s, p99 ${result.p99Ms} ` +
              `ms${result.non2xx ? `, ${result.non2xx} non-2xx` : ''}` +
              `${result.errors ? `, ${result.errors} errors` : ''}`,
          );
        }
      }
    }
    loadAtEnd = loadNow();
  } finally {
    await Promise.all(
      [...servers.entries()].filter(([id]) => id !== 'mockPg1' && id !== 'mockPg3').map(([, s]) => s.stop()),
    );
    if (postgres) await postgres.stop();
    rmSync(workDir, { recursive: true, force: true });
  }

  const starts = { mock: [] as number[], prism: [] as number[] };
  if (settings.starts > 0) {
    log(`start to first answer, ${settings.starts} times each, interleaved`);
    for (let i = 0; i < settings.starts; i++) {
      starts.mock.push(await measureStartup('mock'));
      starts.prism.push(await measureStartup('prism'));
    }
    log(
      `mock ${starts.mock.map((n) => n.toFixed(0)).join(', ')} ms; Prism ` +
        `${starts.prism.map((n) => n.toFixed(0)).join(', ')} ms`,
    );
  }

  let contract: ContractTiming = { measured: false, reason: 'not run with --quick' };
  if (!settings.quick) {
    log('a full contract-suite run against a local mock');
    contract = await timeContractRun();
  }

  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  const markdown = report({
    machine,
    loadAtEnd,
    results,
    skipped,
    starts,
    contract,
    stubCount,
    minutes,
    wiremockWarmup,
  });
  console.log(markdown);
  const postgresMarkdown = reportPostgres({ machine, loadAtEnd, results, skipped, minutes });
  console.log(postgresMarkdown);
  if (settings.write) {
    // Without the peers a run would overwrite the full comparison with a partial one; it writes only its own part.
    if (settings.peers) writeSection('bench', markdown);
    writeSection('bench-postgres', postgresMarkdown);
    log(`written to bench/results.md (${settings.peers ? 'the comparison and ' : ''}the PostgreSQL section)`);
  } else {
    log('not written to bench/results.md (--quick or --no-write)');
  }
}

/** The mock on SQLite (in memory) and on PostgreSQL (1 and 3 processes) from the same run, side by side. */
function reportPostgres(run: {
  machine: string;
  loadAtEnd: string;
  results: Map<string, LoadResult[]>;
  skipped: Map<ServerId, string>;
  minutes: string;
}): string {
  const ids: readonly ServerId[] = ['mock', 'mockPg1', 'mockPg3'];
  const rows: string[][] = [];
  for (const workload of WORKLOAD_IDS) {
    const sqlite = summarise(run.results.get(`${workload}:mock`) ?? []);
    for (const id of ids) {
      const reason = run.skipped.get(id);
      if (reason !== undefined) {
        rows.push([workload, NAMES[id], `skipped: ${reason}`, '', '', '', '', '']);
        continue;
      }
      const s = summarise(run.results.get(`${workload}:${id}`) ?? []);
      rows.push([
        workload,
        NAMES[id],
        `${formatNumber(s.rps)} (${formatNumber(s.min)}–${formatNumber(s.max)})`,
        s.rounds.map((n) => formatNumber(n)).join(', '),
        String(s.p50),
        String(s.p99),
        formatNumber(s.non2xx + s.errors),
        formatRatio(s.rps / sqlite.rps),
      ]);
    }
  }
  return [
    `### npm run bench, the mock on PostgreSQL beside SQLite ` +
      `(${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${settings.quick ? ', --quick' : ''}` +
      `${settings.peers ? '' : ', --no-peers'})`,
    '',
    `Machine: ${run.machine}; load average after the load runs ${run.loadAtEnd}. The whole run took ` +
      `${run.minutes} min. Load: autocannon, ${settings.connections} connections, ${settings.durationSec} s per ` +
      `measurement, ${settings.rounds} round(s) interleaved with the other servers, after a ${settings.warmupSec} s ` +
      `warm-up of each; ${describePinning()}.`,
    'SQLite is the mock as users start it (in memory). "PostgreSQL, 1 process" is one mock with ' +
      '`--data postgres://…` on a throwaway PostgreSQL 15 (Debian, started by test/support/postgres-cluster.ts, ' +
      'not pinned: it runs on both cores, beside autocannon). "3 processes" is three mocks on one other database of ' +
      'that server, all three pinned to the same server core as every other server (so they share one core, not ' +
      'three), behind bench/round-robin-proxy.ts: a TCP proxy in its own process on the load core that gives each ' +
      'new connection to the next mock in turn (autocannon keeps its connections open, so the 10 connections split ' +
      "4/3/3); its cost is in the 3-process figure. Each PostgreSQL mock's mixed list is the same seeded plan, " +
      'resolved against customers made through that mock.',
    '',
    table(
      [
        'workload',
        'server',
        'req/s median (range)',
        'req/s per round',
        'p50 ms',
        'p99 ms',
        'non-2xx + errors',
        '÷ SQLite',
      ],
      rows,
    ),
    '',
    '`bench:scale` (creates and the filtered list p99 at 1M publications) on PostgreSQL was not measured.',
  ].join('\n');
}

function report(run: {
  machine: string;
  loadAtEnd: string;
  results: Map<string, LoadResult[]>;
  skipped: Map<ServerId, string>;
  starts: { mock: number[]; prism: number[] };
  contract: ContractTiming;
  stubCount: number;
  minutes: string;
  wiremockWarmup: number;
}): string {
  const summary = (workload: WorkloadId, id: ServerId): Summary =>
    summarise(run.results.get(`${workload}:${id}`) ?? []);
  const wiremockSkipped = run.skipped.get('wiremock');
  const rows: string[][] = [];
  for (const workload of WORKLOAD_IDS) {
    const reference = summary(workload, 'wiremock');
    for (const id of SERVER_ORDER) {
      const reason = run.skipped.get(id);
      if (reason !== undefined) {
        rows.push([workload, NAMES[id], `skipped: ${reason}`, '', '', '', '']);
        continue;
      }
      const s = summary(workload, id);
      rows.push([
        workload,
        NAMES[id],
        `${formatNumber(s.rps)} (${formatNumber(s.min)}–${formatNumber(s.max)})`,
        String(s.p50),
        String(s.p99),
        formatNumber(s.non2xx + s.errors),
        wiremockSkipped === undefined ? formatRatio(s.rps / reference.rps) : 'n/a',
      ]);
    }
  }
  const of = (workload: WorkloadId, id: ServerId): Summary => summary(workload, id);
  const vsWiremock = (workload: WorkloadId, factor: number, label: string): Target => {
    const mock = of(workload, 'mock');
    const wm = of(workload, 'wiremock');
    if (wiremockSkipped !== undefined)
      return {
        name: `${label} vs warmed WireMock`,
        required: `≥ ${factor}×`,
        measured: `WireMock skipped: ${wiremockSkipped}`,
        met: undefined,
      };
    const ratio = mock.rps / wm.rps;
    const gap =
      ratio >= factor
        ? ''
        : `; short by ${((100 * (factor - ratio)) / factor).toFixed(0)} % (needs ` +
          `${formatNumber(factor * wm.rps)} req/s)`;
    return {
      name: `${label} vs warmed WireMock`,
      required: `≥ ${factor}×`,
      measured: `${formatRatio(ratio)} (${formatNumber(mock.rps)} vs ${formatNumber(wm.rps)} req/s${gap})`,
      met: ratio >= factor,
    };
  };
  const p99VsWiremock = (workload: WorkloadId): Target => {
    const mock = of(workload, 'mock');
    const wm = of(workload, 'wiremock');
    if (wiremockSkipped !== undefined)
      return {
        name: `${workload} p99 vs WireMock's`,
        required: '≤',
        measured: `WireMock skipped: ${wiremockSkipped}`,
        met: undefined,
      };
    return {
      name: `${workload} p99 vs WireMock's`,
      required: '≤',
      measured: `${mock.p99} ms vs ${wm.p99} ms`,
      met: mock.p99 <= wm.p99,
    };
  };
  const mockStart = median(run.starts.mock);
  const prismStart = median(run.starts.prism);
  const targets: Target[] = [
    vsWiremock('steady', 1.5, 'steady throughput'),
    vsWiremock('creates', 0.75, 'creates throughput'),
    vsWiremock('mixed', 1, 'mixed throughput'),
    p99VsWiremock('steady'),
    p99VsWiremock('creates'),
    p99VsWiremock('mixed'),
    {
      name: 'steady throughput vs node:http ceiling (1.5× warmed WireMock is ≈ 35 %)',
      required: '≥ 20 %',
      measured: `${((100 * of('steady', 'mock').rps) / of('steady', 'ceiling').rps).toFixed(0)} %`,
      met: of('steady', 'mock').rps >= 0.2 * of('steady', 'ceiling').rps,
    },
    {
      name: 'steady throughput vs Prism static',
      required: '≥ 5×',
      measured: formatRatio(of('steady', 'mock').rps / of('steady', 'prismStatic').rps),
      met: of('steady', 'mock').rps >= 5 * of('steady', 'prismStatic').rps,
    },
    {
      name: 'steady throughput vs Prism static with its log at error (stricter reading)',
      required: '≥ 5×',
      measured: formatRatio(of('steady', 'mock').rps / of('steady', 'prismStaticQuiet').rps),
      met: of('steady', 'mock').rps >= 5 * of('steady', 'prismStaticQuiet').rps,
    },
    {
      name: 'steady throughput vs Prism dynamic',
      required: '≥ 25×',
      measured: formatRatio(of('steady', 'mock').rps / of('steady', 'prismDynamic').rps),
      met: of('steady', 'mock').rps >= 25 * of('steady', 'prismDynamic').rps,
    },
    {
      name: 'steady p99 latency vs Prism static',
      required: '≤ ⅓',
      measured: `${of('steady', 'mock').p99} ms vs ${of('steady', 'prismStatic').p99} ms`,
      met: of('steady', 'mock').p99 * 3 <= of('steady', 'prismStatic').p99,
    },
    {
      name: 'creates vs Prism static',
      required: '≥ 3×',
      measured: formatRatio(of('creates', 'mock').rps / of('creates', 'prismStatic').rps),
      met: of('creates', 'mock').rps >= 3 * of('creates', 'prismStatic').rps,
    },
    {
      name: 'creates vs Prism static with its log at error (stricter reading)',
      required: '≥ 3×',
      measured: formatRatio(of('creates', 'mock').rps / of('creates', 'prismStaticQuiet').rps),
      met: of('creates', 'mock').rps >= 3 * of('creates', 'prismStaticQuiet').rps,
    },
    run.starts.mock.length > 0
      ? {
          name: 'start to first answer (median)',
          required: '≤ 500 ms',
          measured: `${mockStart.toFixed(0)} ms (Prism ${prismStart.toFixed(0)} ms)`,
          met: mockStart <= 500,
        }
      : {
          name: 'start to first answer (median)',
          required: '≤ 500 ms',
          measured: 'not measured (--starts 0)',
          met: undefined,
        },
    run.contract.measured
      ? {
          name: 'full contract-suite run vs a local mock',
          required: '≤ 10 s',
          measured: `${(run.contract.ms / 1000).toFixed(1)} s (${run.contract.outcome})`,
          met: run.contract.ms <= 10000,
        }
      : {
          name: 'full contract-suite run vs a local mock',
          required: '≤ 10 s',
          measured: `not measured: ${run.contract.reason}`,
          met: undefined,
        },
  ];
  const shownTargets = settings.peers ? targets : targets.filter((t) => !/WireMock|Prism|ceiling/.test(t.name));
  const java = run.skipped.has('wiremock') ? '' : ` on ${describeJava()}`;
  return [
    `### npm run bench ` +
      `(${new Date().toISOString().slice(0, 16).replace('T', ' ')} ` +
      `UTC${settings.quick ? ', --quick' : ''})`,
    '',
    `Machine: ${run.machine}; load average after the load runs ` +
      `${run.loadAtEnd}. The whole run took ${run.minutes} min.`,
    `Load: autocannon, ${settings.connections} connections, ` +
      `${settings.durationSec} s per measurement, ${settings.rounds} rounds ` +
      `interleaved ` +
      (`(${SERVER_ORDER.map((id) => NAMES[id]).join(', ')}; then again), ` +
        `after a ${settings.warmupSec} s warm-up of each; `) +
      (`WireMock's JVM first got ${run.wiremockWarmup} s of load (at least ` +
        `${settings.jvmWarmupSec} s, in windows of up to 10 s taking turns ` +
        `over the workloads, longer while a window still gained > 10 %); ` +
        `${describePinning()}. `) +
      'Figures are medians over the rounds, the range is the slowest and fastest round. ' +
      'The mock runs its CLI (`--quiet`, default non-strict mode, in memory). ' +
      (`WireMock runs its npm package's standalone jar${java} with ` +
        `\`--no-request-journal\` and default threads, serving ` +
        `${run.stubCount} stubs made from the mock's own answers `) +
      ("(a GET by its exact URL, a POST by its path with the first create's " +
        'answer; the steady and creates stubs at priority 1, so those ' +
        'workloads measure a stub WireMock tries first, while mixed requests ' +
        'search the whole set). Mockoon CLI runs `start --data ' +
        'spec/publications.openapi.yaml` (its request log to stdout, not ' +
        'read). ') +
      ('Prism runs `prism mock` on spec/ (request log at its default level ' +
        'sent to /dev/null, and once with `-v error`). ') +
      "The ceiling answers byte copies of the mock's steady answer to every GET and its create answer to every POST.",
    '',
    'Workloads:',
    ...WORKLOAD_IDS.map((id) => `- **${id}**: ${WORKLOAD_TITLES[id]}.`),
    '',
    table(['workload', 'server', 'req/s median (range)', 'p50 ms', 'p99 ms', 'non-2xx + errors', '÷ WireMock'], rows),
    '',
    run.starts.mock.length > 0
      ? `Start to first answer (spawn → first 200 of the steady request, median of ${run.starts.mock.length}): ` +
        (`mock ${run.starts.mock.map((n) => n.toFixed(0)).join(', ')} ms; Prism ` +
          `static ${run.starts.prism.map((n) => n.toFixed(0)).join(', ')} ms.`)
      : 'Start to first answer: not measured in this run.',
    '',
    table(
      ['target', 'required', 'measured', 'verdict'],
      shownTargets.map((t) => [t.name, t.required, t.measured, verdict(t.met)]),
    ),
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  killAllStarted();
  process.exit(1);
});
