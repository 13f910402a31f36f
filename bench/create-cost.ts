/**
 * What one create costs the store, counted rather than timed (a shared machine makes timings of a few percent
 * meaningless): SQLite statements run per `POST /v1/publications` (every better-sqlite3 run/get/all/iterate, the
 * transaction wrapper's BEGIN/SAVEPOINT/RELEASE/COMMIT included) and WAL bytes written per create on a data file,
 * plus the process's CPU time per create, which is indicative only. The mock runs in this process behind
 * node:http; the client is in this process too, the same for every build measured.
 *
 * Usage: node dist/bench/create-cost.js [<built dist folder, default this one>] [<creates, default 2000>]
 * Pass another build's dist (e.g. a copy of the base branch's) to compare it with the same counting.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { createMockHandler as CreateMockHandler } from '../src/app/mock-handler';
import { WELL_KNOWN } from '../src/fixtures/generate-fixtures';
import { CREDENTIALS } from './mixed-requests';

type Counted = 'run' | 'get' | 'all' | 'iterate';

/** Counts every statement call of every connection in this process (prototype methods, wrapped once). */
function countStatements(): { readonly calls: number } {
  const counter = { calls: 0 };
  // One prepared statement gives the prototype every statement shares.
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<Counted, (...args: unknown[]) => unknown>;
  probe.close();
  for (const name of ['run', 'get', 'all', 'iterate'] as const) {
    const original = proto[name];
    proto[name] = function counted(this: unknown, ...args: unknown[]): unknown {
      counter.calls++;
      return original.apply(this, args);
    };
  }
  // The transaction wrapper runs BEGIN/COMMIT/SAVEPOINT through statements of its own, counted above.
  return counter;
}

function post(port: number, body: string): Promise<number> {
  return new Promise((done, fail) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/publications',
        method: 'POST',
        agent: keepAlive,
        headers: { ...CREDENTIALS, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

/** Creates whose WAL growth is measured (at ~40 pages each, well under the autocheckpoint's 10,000 pages). */
const PAGE_SAMPLE = 100;

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

async function measure(): Promise<void> {
  const distRoot = resolve(process.argv[2] ?? join(__dirname, '..'));
  const creates = Math.max(PAGE_SAMPLE, Number(process.argv[3] ?? 2000));
  const counter = countStatements();
  const { createMockHandler } = (await import(join(distRoot, 'src', 'app', 'mock-handler.js'))) as {
    createMockHandler: typeof CreateMockHandler;
  };
  const dir = mkdtempSync(join(tmpdir(), 'create-cost-'));
  const file = join(dir, 'mock.db');
  const mock = createMockHandler({ data: file, log: () => undefined });
  const server = http.createServer(mock);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  const body = JSON.stringify({
    customer: { source_id: 'bench-creator' },
    campaign: WELL_KNOWN.autoUpdateCampaignName,
  });
  try {
    // Warm: statements prepared, the customer made, the JIT settled.
    for (let i = 0; i < 200; i++) await post(port, body);
    // WAL growth over the first PAGE_SAMPLE creates after a truncating checkpoint (later creates may reuse the file
    // after an automatic checkpoint, which hides their pages).
    const wal = `${file}-wal`;
    const side = new Database(file);
    side.pragma('wal_checkpoint(TRUNCATE)');
    side.close();
    const walBefore = statSync(wal).size;
    let walGrowth = 0;
    const callsBefore = counter.calls;
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let i = 0; i < creates; i++) {
      const status = await post(port, body);
      if (status !== 200) throw new Error(`create ${i}: status ${status}`);
      if (i === PAGE_SAMPLE - 1) walGrowth = statSync(wal).size - walBefore;
    }
    const wallUs = Number(process.hrtime.bigint() - started) / 1e3;
    const cpu = process.cpuUsage(cpuBefore);
    console.log(
      JSON.stringify({
        build: distRoot,
        creates,
        statementsPerCreate: (counter.calls - callsBefore) / creates,
        walBytesPerCreate: Math.round(walGrowth / PAGE_SAMPLE),
        walPagesPerCreate: Math.round((walGrowth / PAGE_SAMPLE / (4096 + 24)) * 10) / 10,
        cpuUsPerCreate: Math.round((cpu.user + cpu.system) / creates),
        wallUsPerCreate: Math.round(wallUs / creates),
      }),
    );
  } finally {
    keepAlive.destroy();
    await new Promise((closed) => server.close(closed));
    mock.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void measure();
