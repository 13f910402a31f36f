/**
 * Prism, a third-party mock, serves the spec: the two security alternatives
 * work (the vendor's description, with all three in one requirement, gets 401).
 */
import { type RunningPrism, startPrism } from './support/prism-process';

let prism: RunningPrism;

beforeAll(async () => {
  prism = await startPrism();
}, 30000);

afterAll(async () => {
  await prism?.stop();
});

const documentedQuery =
  '/v1/publications/create?customer%5Bsource_id%5D=pub_source_customer_5' +
  '&campaign%5Bname%5D=Test%20-%20Discount%20Effect%20-%20Amount%20-%20Items' +
  '&metadata%5Byear%5D=2022&source_id=publication_source_ID_10';

const cases: Array<[name: string, path: string, headers: Record<string, string>, status: number]> = [
  [
    'GET …/create with the X-App-Id + X-App-Token pair → 200',
    documentedQuery,
    { 'X-App-Id': 'app', 'X-App-Token': 'secret' },
    200,
  ],
  ['GET …/create with only a bearer token → 200', documentedQuery, { Authorization: 'Bearer token' }, 200],
  [
    'GET …/create by voucher code only (no campaign) → 200',
    '/v1/publications/create?customer%5Bsource_id%5D=c1&voucher=cEsMn0uA',
    { Authorization: 'Bearer token' },
    200,
  ],
  ['GET …/create with no credentials → 401', documentedQuery, {}, 401],
  ['GET …/create with only X-App-Id → 401', documentedQuery, { 'X-App-Id': 'app' }, 401],
  [
    'GET /v1/publications with a filter → 200',
    '/v1/publications?limit=5&filters%5Bcustomer_id%5D%5Bconditions%5D%5B%24is%5D=cust_1',
    { Authorization: 'Bearer token' },
    200,
  ],
];

describe('Prism serves spec/publications.openapi.yaml', () => {
  it.each(cases)('%s', async (_name, path, headers, status) => {
    const res = await fetch(prism.baseUrl + path, { headers });
    expect(res.status).toBe(status);
    const body = (await res.json()) as Record<string, unknown>;
    if (status === 200) expect(body.object).toBeDefined();
    else expect(body.code).toBe(status);
  });

  it('POST /v1/publications with the documented plain-string campaign → 200', async () => {
    const res = await fetch(`${prism.baseUrl}/v1/publications`, {
      method: 'POST',
      headers: { 'X-App-Id': 'app', 'X-App-Token': 'secret', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        campaign: 'Test - Discount Effect - Amount - Items',
        customer: { source_id: 'pub_source_customer_5' },
      }),
    });
    expect(res.status).toBe(200);
  });
});
