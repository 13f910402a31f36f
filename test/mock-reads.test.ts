/**
 * The reads a client makes right after publishing: GET /v1/vouchers/{code} and
 * GET /v1/customers/{customerId}, served from the same state as the
 * publications, and the voucher's list URLs that the mock does not serve.
 * Every body is checked against spec/ (and strict mode refuses any that breaks it).
 */
import { WELL_KNOWN } from '../src/fixtures/generate-fixtures';
import { PAIR, type TestMock, specViolations, testMock } from './support/test-mock';

let mock: TestMock;
beforeEach(() => {
  mock = testMock();
});
afterEach(() => mock.close());

const post = (body: unknown) =>
  mock.api
    .post('/v1/publications')
    .set(PAIR)
    .send(body as object);
const getVoucher = (ref: string) => mock.api.get(`/v1/vouchers/${encodeURIComponent(ref)}`).set(PAIR);
const getCustomer = (ref: string) => mock.api.get(`/v1/customers/${encodeURIComponent(ref)}`).set(PAIR);

describe('GET /v1/vouchers/{code}', () => {
  it(
    'after a publication, the voucher carries its holder and ' +
      "publish.count, in the vendor example's property order",
    async () => {
      const published = await post({ customer: { source_id: 'reader-1' }, voucher: WELL_KNOWN.exampleVoucherCode });
      expect(published.status).toBe(200);
      const res = await getVoucher(WELL_KNOWN.exampleVoucherCode);
      expect(res.status).toBe(200);
      expect(specViolations('getVoucher', res)).toEqual([]);
      expect(res.body).toMatchObject({
        id: WELL_KNOWN.exampleVoucherId,
        code: WELL_KNOWN.exampleVoucherCode,
        campaign: WELL_KNOWN.exampleCampaignName,
        categories: [],
        holder_id: published.body.customer_id,
        publish: {
          object: 'list',
          count: 1,
          url: `/v1/vouchers/${WELL_KNOWN.exampleVoucherCode}/publications?page=1&limit=10`,
        },
        validation_rules_assignments: { object: 'list', data_ref: 'data', data: [], total: 0 },
        assets: { qr: { url: `http://mock.test/__mock/assets/qr/${WELL_KNOWN.exampleVoucherCode}.png` } },
        object: 'voucher',
      });
      const keys = Object.keys(res.body);
      expect(keys.slice(0, 8)).toEqual([
        'id',
        'code',
        'campaign',
        'campaign_id',
        'category',
        'category_id',
        'categories',
        'type',
      ]);
      expect(keys.slice(-5)).toEqual(['holder_id', 'validation_rules_assignments', 'redemption', 'publish', 'object']);
    },
  );

  it('the same voucher by its id', async () => {
    const res = await getVoucher(WELL_KNOWN.exampleVoucherId);
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(WELL_KNOWN.exampleVoucherCode);
    expect(specViolations('getVoucher', res)).toEqual([]);
  });

  it('an unpublished voucher has no holder_id and publish.count 0', async () => {
    const res = await getVoucher(WELL_KNOWN.standaloneCode);
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('holder_id');
    expect(res.body).toMatchObject({ campaign: null, campaign_id: null, publish: { count: 0 } });
    expect(specViolations('getVoucher', res)).toEqual([]);
  });

  it('a voucher of a campaign with a category lists it as one Category object', async () => {
    const published = await post({ customer: { source_id: 'reader-2' }, campaign: WELL_KNOWN.percentCampaignName });
    const res = await getVoucher(published.body.voucher.code);
    expect(res.status).toBe(200);
    expect(res.body.category).toBe('Seasonal');
    expect(res.body.categories).toEqual([
      { id: res.body.category_id, name: 'Seasonal', hierarchy: 1, created_at: expect.any(String), object: 'category' },
    ]);
    expect(specViolations('getVoucher', res)).toEqual([]);
  });

  it('a code that needs percent-encoding in the path is decoded', async () => {
    const code = 'A B/C%';
    const campaign = mock.state.store.listCampaigns().find((c) => c.name === WELL_KNOWN.fixedCampaignName)!;
    const template = mock.state.store.findPublishableVoucher(campaign.id)!;
    mock.state.store.insertVoucher({ ...template, id: 'v_EncodedCodeVoucher', code });
    const res = await getVoucher(code);
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(code);
  });
});

describe('GET /v1/customers/{customerId}', () => {
  it('by id: the customer with summary, loyalty and referrals, conforming to CustomerDetails', async () => {
    const res = await getCustomer(WELL_KNOWN.exampleCustomerId);
    expect(res.status).toBe(200);
    expect(specViolations('getCustomer', res)).toEqual([]);
    expect(res.body).toMatchObject({
      id: WELL_KNOWN.exampleCustomerId,
      source_id: WELL_KNOWN.exampleCustomerSourceId,
      name: WELL_KNOWN.exampleCustomerName,
      email: WELL_KNOWN.exampleCustomerEmail,
      summary: {
        redemptions: { total_redeemed: 0, gift: { redeemed_amount: 0 }, loyalty_card: { redeemed_points: 0 } },
        orders: { total_count: 0 },
      },
      loyalty: { points: 0, referred_customers: 0, campaigns: {} },
      referrals: { total: 0, campaigns: [] },
      system_metadata: {},
      object: 'customer',
    });
    expect(Object.keys(res.body).at(-1)).toBe('object');
  });

  it('by source_id: the same customer', async () => {
    const res = await getCustomer(WELL_KNOWN.exampleCustomerSourceId);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(WELL_KNOWN.exampleCustomerId);
  });

  it('a customer created by a publication, with the attributes it was given; address null when none', async () => {
    const published = await post({
      customer: {
        source_id: 'reader-3',
        name: 'Ann Lee',
        phone: '+48 123',
        description: 'VIP',
        birthdate: '1990-04-01',
        metadata: { tier: 'gold' },
      },
      campaign: WELL_KNOWN.percentCampaignName,
    });
    const res = await getCustomer(published.body.customer_id);
    expect(res.status).toBe(200);
    expect(specViolations('getCustomer', res)).toEqual([]);
    expect(res.body).toMatchObject({
      source_id: 'reader-3',
      name: 'Ann Lee',
      phone: '+48 123',
      description: 'VIP',
      birthdate: '1990-04-01',
      address: null,
      metadata: { tier: 'gold' },
    });
    expect(res.body).not.toHaveProperty('updated_at');
  });

  it('an address keeps only the documented parts', async () => {
    const published = await post({
      customer: { source_id: 'reader-4', address: { city: 'Kraków', country: 'PL', planet: 'Earth' } },
      campaign: WELL_KNOWN.percentCampaignName,
    });
    const res = await getCustomer(published.body.customer_id);
    expect(res.status).toBe(200);
    expect(res.body.address).toEqual({ city: 'Kraków', country: 'PL' });
    expect(specViolations('getCustomer', res)).toEqual([]);
  });

  it('loyalty points are the balances of the loyalty cards the customer holds, by campaign name', async () => {
    const customer = { source_id: 'reader-5' };
    const first = await post({ customer, campaign: WELL_KNOWN.loyaltyCampaignName });
    await post({ customer, campaign: WELL_KNOWN.loyaltyCampaignName });
    await post({ customer, campaign: WELL_KNOWN.percentCampaignName });
    const res = await getCustomer(first.body.customer_id);
    expect(res.status).toBe(200);
    expect(res.body.loyalty).toEqual({
      points: 200,
      referred_customers: 0,
      campaigns: { [WELL_KNOWN.loyaltyCampaignName]: { points: 200, referred_customers: 0 } },
    });
    // The points still to redeem are all of them: the mock redeems none (the vendor's example has them equal).
    expect(res.body.summary.redemptions.loyalty_card).toEqual({ redeemed_points: 0, points_to_go: 200 });
    expect(specViolations('getCustomer', res)).toEqual([]);
  });
});

type MissingRow = [behaviour: string, path: string, operationId: string, type: string, id: string];

describe('errors of the reads', () => {
  const rows: MissingRow[] = [
    [
      'an unknown voucher code → 404 not_found (voucher)',
      '/v1/vouchers/NOSUCHCODE',
      'getVoucher',
      'voucher',
      'NOSUCHCODE',
    ],
    [
      'an unknown voucher id → 404 not_found (voucher)',
      '/v1/vouchers/v_NoSuchVoucher',
      'getVoucher',
      'voucher',
      'v_NoSuchVoucher',
    ],
    [
      'a malformed escape in the code → 404 not_found (voucher), not a 500',
      '/v1/vouchers/%E0%A4%A',
      'getVoucher',
      'voucher',
      '%E0%A4%A',
    ],
    [
      'an unknown customer id → 404 not_found (customer)',
      '/v1/customers/cust_AAAAAAAAAAAAAAAAAAAAAAAA',
      'getCustomer',
      'customer',
      'cust_AAAAAAAAAAAAAAAAAAAAAAAA',
    ],
    ['an unknown source_id → 404 not_found (customer)', '/v1/customers/nobody', 'getCustomer', 'customer', 'nobody'],
    [
      'a malformed escape in the customer → 404 not_found (customer), not a 500',
      '/v1/customers/%ZZ',
      'getCustomer',
      'customer',
      '%ZZ',
    ],
  ];
  it.each(rows)('%s', async (_name, path, operationId, type, id) => {
    const res = await mock.api.get(path).set(PAIR);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      code: 404,
      key: 'not_found',
      message: 'Resource not found',
      details: `Cannot find ${type} with id ${id}`,
      resource_id: id,
      resource_type: type,
    });
    expect(specViolations(operationId, res)).toEqual([]);
  });

  it.each([
    ['a voucher', '/v1/vouchers/%E0%A4%A', 'getVoucher'],
    ['a customer', '/v1/customers/%ZZ/', 'getCustomer'],
  ])(
    'Express (not the fast path) answers a malformed escape in %s as 404 not_found, not as a 500',
    async (_name, path, operationId) => {
      // A conditional header leaves the request to the Express app.
      const res = await mock.api.get(path).set(PAIR).set('If-None-Match', '*');
      expect(res.status).toBe(404);
      expect(res.body.key).toBe('not_found');
      expect(specViolations(operationId, res)).toEqual([]);
    },
  );

  it.each([
    ['GET /v1/vouchers/{code}', '/v1/vouchers/cEsMn0uA', 'getVoucher'],
    ['GET /v1/customers/{customerId}', `/v1/customers/${WELL_KNOWN.exampleCustomerId}`, 'getCustomer'],
  ])('%s without credentials → 401 unauthorized', async (_name, path, operationId) => {
    const res = await mock.api.get(path);
    expect(res.status).toBe(401);
    expect(res.body.key).toBe('unauthorized');
    expect(specViolations(operationId, res)).toEqual([]);
  });

  it.each([
    ['POST /v1/vouchers/{code}', '/v1/vouchers/cEsMn0uA'],
    ['DELETE /v1/customers/{customerId}', `/v1/customers/${WELL_KNOWN.exampleCustomerId}`],
  ])('%s → 405 with Allow: GET', async (name, path) => {
    const method = name.startsWith('POST') ? 'post' : 'delete';
    const res = await mock.api[method](path).set(PAIR);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(res.body.key).toBe('method_not_allowed');
  });
});

describe("a voucher's publish.url and redemption.url", () => {
  it.each([
    ['publish.url', 'publish', `GET /v1/publications?voucher=${WELL_KNOWN.exampleVoucherCode}`],
    ['redemption.url', 'redemption', `GET /v1/vouchers/${WELL_KNOWN.exampleVoucherCode}`],
  ])('following %s answers a Voucherify-shaped 404 naming the call the mock serves', async (_name, field, served) => {
    const voucher = (await getVoucher(WELL_KNOWN.exampleVoucherCode)).body;
    const res = await mock.api.get(voucher[field].url).set(PAIR);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      code: 404,
      key: 'not_found',
      message: 'Resource not found',
      resource_type: 'route',
      resource_id: voucher[field].url.split('?')[0],
    });
    expect(res.body.details).toContain('The mock does not serve GET /v1/vouchers/');
    expect(res.body.details).toContain(served);
    expect(res.body.request_id).toMatch(/^v-[0-9a-f]{18}$/);
  });

  it('the equivalent call named for publish.url does list the publication', async () => {
    const published = await post({ customer: { source_id: 'reader-6' }, voucher: WELL_KNOWN.exampleVoucherCode });
    const res = await mock.api.get(`/v1/publications?voucher=${WELL_KNOWN.exampleVoucherCode}`).set(PAIR);
    expect(res.status).toBe(200);
    expect(res.body.publications.map((p: { id: string }) => p.id)).toEqual([published.body.id]);
  });
});
