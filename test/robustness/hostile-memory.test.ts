/**
 * Memory stays bounded whatever clients do, measured from outside: the mock
 * runs as the CLI in its own process and its resident memory (RSS) is read
 * before and after a burst. The figures are bounds on growth, not timings;
 * each burst is fixed in count. Without the bounds these tests pin, the
 * growth is many times the bound (see the figures in each test's comment).
 */
import { request } from 'node:http';
import { type CliProcess, MiB, killStartedClis, rssOf, startCli } from '../support/cli-process';
import { freePort } from '../support/free-port';

jest.setTimeout(120_000);

afterEach(() => killStartedClis());

/** One request on its own connection; resolves with the status once the answer has been read. */
function send(url: string, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}), Connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
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
  let mock: CliProcess;
  beforeEach(async () => {
    mock = await startCli(await freePort());
  });

  // Before the journal kept bounded prefixes, each of these kept its whole parsed body (~23 MB): 40 of them grew RSS by ~900 MiB.
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
    const journal = (await (await fetch(`${mock.url}/__mock/requests?limit=1`)).json()) as { requests: Array<{ status: number; body: unknown; body_truncated: boolean }> };
    expect(journal.requests[0]).toMatchObject({ status: 401, body: null, body_truncated: true });
  });
});
