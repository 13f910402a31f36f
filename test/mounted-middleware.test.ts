/**
 * The mock mounted as middleware inside a user's own Express app
 * (`app.use('/voucherify', mock.handler)`), behind the user's own routes and
 * body parser: the same handler the CLI serves answers the official SDK and
 * plain HTTP requests there. A body the host's `express.json()` already read
 * is taken as the host parsed it (the mock cannot read the stream again); a
 * body the host read as something else than JSON is no JSON body to the API.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VoucherifyServerSide } from '@voucherify/sdk';
import express from 'express';
import { WELL_KNOWN, createMockHandler } from '../src/index';
import type { MockHandler } from '../src/app/mock-handler';
import type { Exchange } from '../src/api/exchange';

const PAIR = { applicationId: 'host-app', secretKey: 'host-secret' };
const HEADERS = { 'X-App-Id': 'host-app', 'X-App-Token': 'host-secret' };

let server: Server;
let base: string;
let mock: MockHandler;
const seenByHost: string[] = [];
const exchanges: Exchange[] = [];

beforeAll(async () => {
  mock = createMockHandler({ now: '2026-11-26T12:00:00.000Z', strict: true });
  mock.app.exchanges.subscribe((exchange) => exchanges.push(exchange));
  const app = express();
  // The user's own middleware and routes, ahead of the mock.
  app.use((req, _res, next) => {
    seenByHost.push(`${req.method} ${req.originalUrl}`);
    next();
  });
  app.use('/voucherify/v1/publications', express.json());
  app.use('/voucherify/client/v1/publish', express.text({ type: 'application/json' }));
  app.use('/voucherify/form', express.urlencoded({ extended: false }));
  app.get('/health', (_req, res) => void res.json({ ok: true }));
  app.use('/voucherify', mock.handler);
  app.use((_req, res) => void res.status(404).send('host 404'));
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  mock.close();
});

beforeEach(() => {
  exchanges.length = 0;
});

describe('a user app mounting mock.handler under /voucherify', () => {
  it(
    'the official SDK publishes and lists through it, after the host ' + 'parsed the body with express.json()',
    async () => {
      const sdk = VoucherifyServerSide({ ...PAIR, apiUrl: `${base}/voucherify` });
      const created = await sdk.distributions.publications.create({
        customer: { source_id: 'mounted-1' },
        campaign: { name: WELL_KNOWN.fixedCampaignName },
      });
      expect(created.customer?.source_id).toBe('mounted-1');
      const listed = await sdk.distributions.publications.list({ customer: created.customer_id });
      expect(listed.total).toBe(1);
      expect(seenByHost).toContain('POST /voucherify/v1/publications');
    },
  );

  it("the user's own routes still answer, and the mock answers only under its prefix", async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${base}/v1/publications`)).text()).toBe('host 404');
  });

  it.each<[string, string, RequestInit, number, string | undefined, RegExp]>([
    [
      'a JSON body the host parsed is validated as the mock would (a missing customer)',
      '/v1/publications',
      {
        method: 'POST',
        headers: { ...HEADERS, 'Content-Type': 'application/json' },
        body: JSON.stringify({ campaign: { name: 'x' } }),
      },
      400,
      'invalid_payload',
      /required property 'customer'/,
    ],
    [
      'a JSON body the host kept as text is parsed by the mock',
      '/client/v1/publish',
      {
        method: 'POST',
        headers: { ...HEADERS, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          customer: { source_id: 'mounted-text' },
          campaign: { name: WELL_KNOWN.fixedCampaignName },
        }),
      },
      200,
      undefined,
      /^$/,
    ],
    [
      "malformed JSON the host kept as text is the mock's 400",
      '/client/v1/publish',
      { method: 'POST', headers: { ...HEADERS, 'Content-Type': 'application/json' }, body: '{"customer":' },
      400,
      'invalid_payload',
      /^Malformed JSON: /,
    ],
    [
      "a route the mock does not know is its JSON 404, not the host's",
      '/v1/nothing-here',
      { headers: HEADERS },
      404,
      'not_found',
      /Cannot find route GET \/v1\/nothing-here/,
    ],
    [
      'a method the path does not document is its 405',
      '/v1/publications',
      { method: 'DELETE', headers: HEADERS },
      405,
      'method_not_allowed',
      /use GET or POST/,
    ],
    ['no credentials is its 401', '/v1/publications', {}, 401, 'unauthorized', /Provide X-App-Id/],
  ])('%s', async (_name, path, init, status, key, details) => {
    const res = await fetch(`${base}/voucherify${path}`, init);
    expect(res.status).toBe(status);
    const body = (await res.json()) as { key?: string; details?: string };
    expect(body.key).toBe(key);
    expect(body.details ?? '').toMatch(details);
  });

  it('a form body the host parsed is not a JSON body to the API', async () => {
    const sdkFree = await fetch(`${base}/voucherify/v1/publications`, {
      method: 'POST',
      headers: { ...HEADERS, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'customer=x',
    });
    expect(sdkFree.status).toBe(400);
    expect(((await sdkFree.json()) as { details: string }).details).toContain('Payload should be a JSON object');
  });

  it("each answered request is one exchange on the app's hub: operation, status, error key", async () => {
    await fetch(`${base}/voucherify/v1/publications`, { headers: HEADERS });
    await fetch(`${base}/voucherify/v1/publications?limit=0`, { headers: HEADERS });
    await new Promise((resolve) => setImmediate(resolve));
    expect(exchanges.map((e) => [e.operationId, e.path, e.status, e.errorKey])).toEqual([
      ['listPublications', '/v1/publications', 200, null],
      ['listPublications', '/v1/publications', 400, 'invalid_query_params'],
    ]);
    expect(exchanges[0]!.originalUrl).toBe('/voucherify/v1/publications');
  });

  it('the tools answer under the prefix too, and asset URLs carry it', async () => {
    const journal = (await (await fetch(`${base}/voucherify/__mock/requests?limit=1`)).json()) as {
      requests: Array<{ path: string }>;
    };
    expect(journal.requests[0]!.path).toBe('/v1/publications');
    const voucher = (await (
      await fetch(`${base}/voucherify/v1/vouchers/${WELL_KNOWN.exampleVoucherCode}`, { headers: HEADERS })
    ).json()) as { assets: { qr: { url: string } } };
    expect(voucher.assets.qr.url.startsWith(`${base}/voucherify/__mock/assets/`)).toBe(true);
  });
});
