/**
 * The HTTP client: a 429 is waited out (Retry-After, capped) instead of being
 * reported; network errors and timeouts are retried, but a create that may
 * have reached the target is never sent twice; credentials are masked.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, type HttpClientOptions, type RequestSpec } from './http-client';
import { runContract } from './runner';
import { startPublicationsDouble } from './test-support/publications-double';
import { freePort } from '../test/support/free-port';

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res, ++hits));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  hits = 0;
});

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const list: RequestSpec = {
  operationId: 'listPublications',
  method: 'GET',
  path: '/v1/publications',
  query: { limit: '1' },
  idempotent: true,
};
const create: RequestSpec = {
  operationId: 'createPublication',
  method: 'POST',
  path: '/v1/publications',
  body: { campaign: 'C', customer: { source_id: 'c' } },
};

function client(overrides: Partial<HttpClientOptions> = {}, waits: number[] = []): HttpClient {
  return new HttpClient({
    baseUrl,
    credentials: { kind: 'pair', appId: 'client-app', appToken: 'client-token-93ad' },
    timeoutMs: 200,
    retries: 2,
    sleep: async (ms) => void waits.push(ms),
    ...overrides,
  });
}

describe('HttpClient', () => {
  it('a 429 is waited out for its Retry-After and the request sent again', async () => {
    handler = (_req, res, hit) =>
      hit < 3 ? json(res, 429, { code: 429 }, { 'Retry-After': '2' }) : json(res, 200, { object: 'list' });
    const waits: number[] = [];
    const exchange = await client({}, waits).send('s', 'l', list);
    expect(exchange.response?.status).toBe(200);
    expect(exchange.error).toBeUndefined();
    expect(waits.filter((ms) => ms === 2000)).toHaveLength(2);
  });

  it('Retry-After is capped, so a target cannot stall the run', async () => {
    handler = (_req, res, hit) => (hit < 2 ? json(res, 429, {}, { 'Retry-After': '3600' }) : json(res, 200, {}));
    const waits: number[] = [];
    await client({ maxRetryAfterMs: 30000 }, waits).send('s', 'l', list);
    expect(waits).toEqual([30000]);
  });

  it('a rate limit that never lifts is an error of the run, not a contract violation', async () => {
    handler = (_req, res) => json(res, 429, { code: 429 }, { 'Retry-After': '0' });
    const exchange = await client({ maxRateLimitWaits: 2 }).send('s', 'l', list);
    expect(exchange.attempts).toBe(3);
    expect(exchange.error).toMatch(/rate limited/);
  });

  it('a timeout is retried for an idempotent request', async () => {
    handler = (_req, res, hit) => (hit < 3 ? undefined : json(res, 200, {}));
    const exchange = await client().send('s', 'l', list);
    expect(exchange.attempts).toBe(3);
    expect(exchange.response?.status).toBe(200);
  });

  it('a create without a source_id that timed out is not sent again (it may have been processed)', async () => {
    handler = () => undefined;
    const exchange = await client().send('s', 'l', create);
    expect(exchange.attempts).toBe(1);
    expect(exchange.error).toMatch(/no answer within 200 ms/);
  });

  it('a refused connection is retried even for a create: it never reached the target', async () => {
    const port = await freePort();
    const exchange = await client({ baseUrl: `http://127.0.0.1:${port}` }).send('s', 'l', create);
    expect(exchange.attempts).toBe(3);
    expect(exchange.error).toMatch(/ECONNREFUSED/);
  });

  it.each([
    [
      'the key pair',
      { kind: 'pair', appId: 'client-app', appToken: 'client-token-93ad' } as const,
      { 'X-App-Id': '***', 'X-App-Token': '***' },
    ],
    ['a bearer token', { kind: 'bearer', token: 'client-bearer-77e1' } as const, { Authorization: 'Bearer ***' }],
  ])('records %s masked, while sending the real one', async (_name, credentials, masked) => {
    let seen: IncomingMessage['headers'] = {};
    handler = (req, res) => {
      seen = req.headers;
      json(res, 200, {});
    };
    const exchange = await client({ credentials }).send('s', 'l', list);
    expect(exchange.request.headers).toMatchObject(masked);
    expect(JSON.stringify(exchange)).not.toMatch(/client-(token|bearer|app)/);
    expect(seen['x-app-token'] ?? seen.authorization).toMatch(/client-/);
  });
});

describe('the runner under a rate limit', () => {
  it('every third request answered 429 → waited out, nothing reported, exit 0', async () => {
    const double = await startPublicationsDouble({ rateLimitEvery: 3 });
    try {
      const report = await runContract({
        target: double.baseUrl,
        credentials: { kind: 'bearer', token: 'rate-limit-token' },
      });
      expect(report.results.filter((r) => r.status !== 'passed')).toEqual([]);
      expect(report.exitCode).toBe(0);
      expect(report.exchanges.some((e) => e.attempts > 1)).toBe(true);
    } finally {
      await double.close();
    }
  });
});
