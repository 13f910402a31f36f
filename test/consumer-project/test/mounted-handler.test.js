/**
 * The mock mounted in the project's own server under /voucherify, the way a
 * connect-style dev server (Vite, webpack-dev-server) mounts middleware: the
 * prefix is taken off the URL, the rest of the server goes on serving.
 */
const http = require('node:http');
const { createMockHandler, WELL_KNOWN } = require('voucherify-publications-mock');
const { VoucherifyServerSide } = require('@voucherify/sdk');

const PREFIX = '/voucherify';
let server;
let handler;
let base;
beforeAll(async () => {
  handler = createMockHandler({ seed: 3 });
  server = http.createServer((req, res) => {
    if (req.url === PREFIX || req.url.startsWith(`${PREFIX}/`)) {
      // What connect does for `use(PREFIX, handler)`: the full URL kept as originalUrl, the prefix taken off url.
      req.originalUrl = req.originalUrl || req.url;
      req.url = req.url.slice(PREFIX.length) || '/';
      handler(req, res, (error) => {
        res.statusCode = 500;
        res.end(String(error));
      });
      return;
    }
    res.end('the app itself');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  handler.close();
});

test('the SDK publishes through the mounted handler; the host server still serves its own paths', async () => {
  const client = VoucherifyServerSide({ applicationId: 'my-app', secretKey: 'my-secret', apiUrl: `${base}${PREFIX}` });
  const publication = await client.distributions.publications.create({
    customer: { source_id: 'mounted-1' },
    campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
  });
  expect(publication.result).toBe('SUCCESS');
  expect(handler.state.store.getPublication(publication.id)).toBeDefined();
  // Asset URLs carry the prefix, so they are served through the host server too.
  expect(publication.voucher.assets.qr.url).toMatch(new RegExp(`^${base}${PREFIX}/__mock/assets/qr/`));
  const image = await fetch(publication.voucher.assets.qr.url);
  expect(image.status).toBe(200);
  expect(image.headers.get('content-type')).toBe('image/png');
  expect(await (await fetch(`${base}/elsewhere`)).text()).toBe('the app itself');
  handler.reset();
  const listed = await client.distributions.publications.list({ customer: publication.customer_id });
  expect(listed.total).toBe(0);
});
