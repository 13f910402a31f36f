/**
 * The package's programmatic API (src/index.ts) from source: `startMock` with
 * `reset()` and `close()`, and `createMockHandler` mounted the ways dev
 * servers mount middleware: under a prefix of an Express app, under a prefix
 * of a connect-style server (what Vite and webpack-dev-server use), and as a
 * whole node:http server. test/package-install.test.ts runs the same from the
 * packed tarball in a consumer project.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VoucherifyServerSide } from '@voucherify/sdk';
import express from 'express';
import { WELL_KNOWN, createMockHandler, startMock } from '../src/index';
import type { MockHandler } from '../src/app/mock-handler';

const PAIR = { applicationId: 'api-app', secretKey: 'api-secret' };

describe('startMock', () => {
  it(
    'listens on a free port with port 0; reset() forgets what was ' + 'published (the journal too); close() stops it',
    async () => {
      const mock = await startMock({ port: 0 });
      try {
        expect(mock.url).toBe(`http://127.0.0.1:${mock.port}`);
        const sdk = VoucherifyServerSide({ ...PAIR, apiUrl: mock.url });
        const publication = await sdk.distributions.publications.create({
          customer: { source_id: 'api-1' },
          campaign: { name: WELL_KNOWN.fixedCampaignName },
        });
        expect((await sdk.distributions.publications.list({ customer: publication.customer_id })).total).toBe(1);
        mock.reset();
        expect((await sdk.distributions.publications.list({ customer: publication.customer_id })).total).toBe(0);
        const journal = (await (await fetch(`${mock.url}/__mock/requests`)).json()) as {
          requests: Array<{ path: string }>;
        };
        expect(journal.requests.map((r) => r.path)).toEqual(['/v1/publications']);
      } finally {
        await mock.close();
      }
      await expect(fetch(`${mock.url}/v1/publications`)).rejects.toThrow();
    },
  );

  it('a port in use rejects with EADDRINUSE and leaves nothing open', async () => {
    const first = await startMock({ port: 0 });
    try {
      await expect(startMock({ port: first.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await first.close();
    }
  });
});

type Mounted = { base: string; stop(): Promise<void> };

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/** The way connect (Vite's and webpack-dev-server's middleware stack) mounts `use(prefix, fn)`. */
function connectStyle(prefix: string, handler: MockHandler): Server {
  return createServer((req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`)) {
      req.originalUrl ??= url;
      req.url = url.slice(prefix.length) || '/';
      if (!req.url.startsWith('/')) req.url = `/${req.url}`;
      handler(req, res, () => {
        res.statusCode = 500;
        res.end('next() called');
      });
      return;
    }
    res.end('host app');
  });
}

const MOUNTS: Array<[string, string, (handler: MockHandler) => Promise<Mounted>]> = [
  [
    'Express: app.use("/voucherify", handler)',
    '/voucherify',
    async (handler) => {
      const app = express();
      app.use('/voucherify', handler);
      app.get('/elsewhere', (_req, res) => void res.send('host app'));
      const server = createServer(app);
      const base = await listen(server);
      return { base, stop: () => new Promise((resolve) => server.close(() => resolve())) };
    },
  ],
  [
    'connect-style: use("/api/voucherify", handler) (Vite, webpack-dev-server)',
    '/api/voucherify',
    async (handler) => {
      const server = connectStyle('/api/voucherify', handler);
      const base = await listen(server);
      return { base, stop: () => new Promise((resolve) => server.close(() => resolve())) };
    },
  ],
  [
    'node:http: createServer(handler), no prefix',
    '',
    async (handler) => {
      const server = createServer((req, res) => handler(req, res));
      const base = await listen(server);
      return { base, stop: () => new Promise((resolve) => server.close(() => resolve())) };
    },
  ],
];

describe.each(MOUNTS)('createMockHandler mounted with %s', (_name, prefix, mount) => {
  let handler: MockHandler;
  let mounted: Mounted;
  beforeAll(async () => {
    handler = createMockHandler({ seed: 5 });
    mounted = await mount(handler);
  });
  afterAll(async () => {
    await mounted.stop();
    handler.close();
  });
  const at = (path: string): string => `${mounted.base}${prefix}${path}`;

  it(
    'the SDK publishes through it; asset URLs carry the prefix and are ' + 'served; reset() forgets the publication',
    async () => {
      const sdk = VoucherifyServerSide({ ...PAIR, apiUrl: `${mounted.base}${prefix}` });
      const publication = await sdk.distributions.publications.create({
        customer: { source_id: 'mounted' },
        campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
      });
      expect(publication.result).toBe('SUCCESS');
      const qr = (publication.voucher as unknown as { assets: { qr: { url: string } } }).assets.qr.url;
      expect(qr.startsWith(at('/__mock/assets/qr/'))).toBe(true);
      const image = await fetch(qr);
      expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/png']);
      handler.reset();
      expect((await sdk.distributions.publications.list({ customer: publication.customer_id })).total).toBe(0);
    },
  );

  it('the docs page\'s "Try it out" server is the mounted address; the dashboard is served there', async () => {
    const spec = (await (await fetch(at('/__mock/openapi.json'))).json()) as { servers: Array<{ url: string }> };
    expect(spec.servers[0]!.url).toBe(at(''));
    const dashboard = await fetch(at('/__mock/'));
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('<title>Publications mock');
  });

  it("a path it does not know is its own JSON 404, not the host's", async () => {
    const res = await fetch(at('/v1/nothing-here'), { headers: { 'X-App-Id': 'a', 'X-App-Token': 'b' } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { key: string }).key).toBe('not_found');
  });

  if (prefix) {
    it('the host server still serves its own paths', async () => {
      expect(await (await fetch(`${mounted.base}/elsewhere`)).text()).toBe('host app');
    });
  }
});
