/**
 * A front-end team's test suite against the mock, as the package's README
 * shows it: start it once (port 0: a free port), point the official SDK at
 * it, reset between tests, close at the end.
 */
const { startMock, WELL_KNOWN } = require('voucherify-publications-mock');
const { VoucherifyServerSide } = require('@voucherify/sdk');

let mock;
let client;
beforeAll(async () => {
  mock = await startMock({ port: 0 });
  client = VoucherifyServerSide({ applicationId: 'my-app', secretKey: 'my-secret', apiUrl: mock.url });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

test("startMock answers the SDK: a publication from the documentation's campaign, listed afterwards", async () => {
  expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const publication = await client.distributions.publications.create({
    customer: { source_id: 'consumer-1' },
    campaign: { name: WELL_KNOWN.exampleCampaignName },
  });
  expect(publication).toMatchObject({ object: 'publication', result: 'SUCCESS', tracking_id: 'consumer-1' });
  expect(publication.voucher.code).toMatch(/^\S+$/);
  const listed = await client.distributions.publications.list({ customer: publication.customer_id });
  expect(listed.publications.map((p) => p.id)).toEqual([publication.id]);
});

test('reset() goes back to the starting world: the publication and its customer are gone', async () => {
  const publication = await client.distributions.publications.create({
    customer: { source_id: 'consumer-2' },
    campaign: { name: WELL_KNOWN.fixedCampaignName },
  });
  mock.reset();
  const listed = await client.distributions.publications.list({ customer: publication.customer_id });
  expect(listed.total).toBe(0);
  await expect(client.customers.get('consumer-2')).rejects.toMatchObject({ code: 404, key: 'not_found' });
});

test('close() stops it: nothing answers on its port afterwards', async () => {
  const other = await startMock({ port: 0 });
  await other.close();
  await expect(fetch(`${other.url}/v1/publications`)).rejects.toThrow();
});
