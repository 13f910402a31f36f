/**
 * Memory stays bounded whatever clients do, measured from outside: the mock
 * runs as the CLI in its own process and its resident memory (RSS) is read
 * before and after a burst. The figures are bounds on growth, not timings;
 * each burst is fixed in count. Without the bounds these tests pin, the
 * growth is many times the bound (see the figures in each test's comment).
 *
 * The process runs with a 160 MiB old-space heap (`--max-old-space-size`):
 * garbage the collector has not reclaimed yet would otherwise count as growth
 * as the collector pleases (one run of the same burst grew by 20 MiB, another
 * by 700); with the cap, what grows is what the mock keeps, and keeping too
 * much is a crash.
 */
import { request } from 'node:http';
import { type Socket, connect } from 'node:net';
import { type CliProcess, MiB, killStartedClis, rssOf, startCli } from '../support/cli-process';
import { freePort } from '../support/free-port';

jest.setTimeout(120_000);

const NODE_ARGS = ['--max-old-space-size=160'];

const PAIR_HEADERS = { 'X-App-Id': 'memory-test', 'X-App-Token': 'memory-secret' };

/** One request on its own connection; resolves with the status once the answer has been read. */
function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method,
        headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}), Connection: 'close' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function inBatches(total: number, parallel: number, one: (i: number) => Promise<number>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < total; i += parallel) {
    statuses.push(...(await Promise.all(Array.from({ length: Math.min(parallel, total - i) }, (_, j) => one(i + j)))));
  }
  return statuses;
}

describe('the request journal under unauthenticated 1 MB bodies', () => {
  afterEach(() => killStartedClis());
  let mock: CliProcess;
  beforeEach(async () => {
    mock = await startCli(await freePort(), [], { nodeArgs: NODE_ARGS });
  });

  // Before the journal kept bounded prefixes, each of these kept its whole parsed body (~23 MB): RSS +846 MiB without
  // a heap cap, heap exhaustion with it.
  it('40 bodies of 1 MB of `{},{},…` without credentials: all 401, RSS grows by less than 160 MiB', async () => {
    const body = Buffer.from(`[${Array.from({ length: 333_000 }, () => '{}').join(',')}]`);
    expect(body.length).toBeGreaterThan(999_000);
    expect(body.length).toBeLessThan(1024 * 1024);
    const headers = { 'Content-Type': 'application/json' };
    // Warm-up: the first requests load the code paths and settle the heap.
    await inBatches(4, 2, () => send(mock.url, 'POST', '/v1/publications', headers, body));
    const before = rssOf(mock.child);
    const statuses = await inBatches(40, 2, () => send(mock.url, 'POST', '/v1/publications', headers, body));
    const growth = rssOf(mock.child) - before;
    expect(statuses).toEqual(Array(40).fill(401));
    expect(growth).toBeLessThan(160 * MiB);
    // The journal shows them, without their bodies.
    const journal = (await (await fetch(`${mock.url}/__mock/requests?limit=1`)).json()) as {
      requests: Array<{ status: number; body: unknown; body_truncated: boolean }>;
    };
    expect(journal.requests[0]).toMatchObject({ status: 401, body: null, body_truncated: true });
  });
});

/** A raw connection that asks for the event stream and then reads nothing until `resume()`. */
function pausedEventClient(port: number): { resume(): Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  socket.write(`GET /__mock/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
  socket.pause();
  return {
    resume: () =>
      new Promise((resolve) => {
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
        socket.resume();
      }),
  };
}

describe('event-stream clients that stop reading', () => {
  afterEach(() => killStartedClis());
  // Before the per-client bound, the server queued every event for each paused client: RSS +290 MiB for 4000 requests
  // without a heap cap, heap exhaustion with it.
  it(
    '10 paused /__mock/events clients during 6000 journaled requests: RSS ' +
      'grows by less than 150 MiB; each is dropped with a last `reconnect` ' +
      'event',
    async () => {
      const port = await freePort();
      const mock = await startCli(port, [], { nodeArgs: NODE_ARGS });
      const clients = Array.from({ length: 10 }, () => pausedEventClient(port));
      await inBatches(20, 4, () => send(mock.url, 'GET', '/v1/publications', PAIR_HEADERS));
      const before = rssOf(mock.child);
      // Each is journaled with its ~7 KB query: each event carries ~7 KB to each of the 10 clients.
      const pad = 'x'.repeat(7000);
      const statuses = await inBatches(6000, 8, (i) =>
        send(mock.url, 'GET', `/v1/publications?pad${i}=${pad}`, PAIR_HEADERS),
      );
      const growth = rssOf(mock.child) - before;
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(growth).toBeLessThan(150 * MiB);
      const streams = await Promise.all(clients.map((c) => c.resume()));
      for (const stream of streams) {
        expect(stream).toContain('event: hello');
        // The raw stream is chunked: the last event is the one after the last `event: `.
        expect(stream.slice(stream.lastIndexOf('event: '))).toMatch(
          /^event: reconnect\ndata: \{"reason":"more than \d+ bytes of events were waiting/,
        );
      }
      // The mock goes on answering, and a new stream can be opened.
      expect(await send(mock.url, 'GET', '/v1/publications', PAIR_HEADERS)).toBe(200);
    },
  );
});

describe('state exports of a large world', () => {
  const RECORDS = 15_000;
  let mock: CliProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    mock = await startCli(port, [], { nodeArgs: NODE_ARGS });
    // A world of 15,000 customers and as many (failed) publications, ~20 MB as JSON, restored in one PUT.
    const snapshot = (await (await fetch(`${mock.url}/__mock/state`)).json()) as {
      state: Record<string, unknown[]> & { sequences: Record<string, number> };
    };
    const pad = 'p'.repeat(600);
    for (let i = 0; i < RECORDS; i++) {
      const at = new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString();
      snapshot.state.customers!.push({
        id: `cust_bulk${i}`,
        source_id: `bulk-${i}`,
        name: `Bulk ${i}`,
        email: `bulk${i}@example.com`,
        phone: null,
        description: null,
        birthdate: null,
        address: null,
        metadata: {},
        created_at: at,
        updated_at: null,
      });
      snapshot.state.publications!.push({
        id: `pub_bulk${i}`,
        created_at: at,
        customer_id: `cust_bulk${i}`,
        tracking_id: `bulk-${i}`,
        metadata: { note: pad },
        channel: 'API',
        source_id: null,
        result: 'FAILURE',
        campaign_id: null,
        voucher_ids: [],
        multiple: false,
        failure_code: 'no_voucher_suitable_for_publication',
        failure_message: 'dry',
        seq: i + 1,
      });
    }
    snapshot.state.sequences.publication = RECORDS;
    const res = await fetch(`${mock.url}/__mock/state`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(snapshot),
    });
    expect(res.status).toBe(200);
  });
  afterAll(() => killStartedClis());

  // Before, the whole export was made in one go on the event loop (5.4 s for 110k publications), and every other
  // request waited for it.
  it(
    'an export being made does not hold up other requests: one sent after ' +
      'it is answered before the export starts to arrive',
    async () => {
      const order: string[] = [];
      const exporting = new Promise<void>((resolve, reject) => {
        const req = request(`${mock.url}/__mock/state`, (res) => {
          order.push('export starts');
          res.resume();
          res.on('end', () => resolve());
        });
        req.on('error', reject);
        req.end();
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const status = await send(mock.url, 'GET', '/v1/publications?limit=1', PAIR_HEADERS);
      order.push('API answered');
      await exporting;
      expect(status).toBe(200);
      expect(order).toEqual(['API answered', 'export starts']);
    },
  );

  // Before, each client's whole export waited in memory for it: +175 MiB here (8 clients pushed RSS from 341 MiB to
  // 1.4 GiB with 110k publications); now ~25 MiB.
  it(
    '8 clients that stop reading their export: RSS grows by less than 80 ' + 'MiB, and the mock goes on answering',
    async () => {
      const before = rssOf(mock.child);
      const sockets = await Promise.all(
        Array.from(
          { length: 8 },
          () =>
            new Promise<Socket>((resolve, reject) => {
              const socket = connect(port, '127.0.0.1');
              socket.once('error', reject);
              socket.write(`GET /__mock/state HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
              // The first bytes say the export is on its way; then this client reads nothing more.
              socket.once('data', () => {
                socket.pause();
                resolve(socket);
              });
            }),
        ),
      );
      const growth = rssOf(mock.child) - before;
      expect(await send(mock.url, 'GET', '/v1/publications?limit=1', PAIR_HEADERS)).toBe(200);
      for (const socket of sockets) socket.destroy();
      expect(growth).toBeLessThan(80 * MiB);
    },
  );
});
