/**
 * The documented rules of publishing, one row per behaviour, through HTTP on a
 * fresh default world. Every body is checked against spec/.
 */
import { WELL_KNOWN } from '../src/fixtures/generate-fixtures';
import { PAIR, type TestMock, queryString, specViolations, testMock } from './support/test-mock';

let mock: TestMock;
beforeEach(() => {
  mock = testMock();
});
afterEach(() => mock.close());

const create = (query: Record<string, unknown>) =>
  mock.api.get(`/v1/publications/create?${queryString(query)}`).set(PAIR);
const post = (body: unknown, query = '') =>
  mock.api
    .post(`/v1/publications${query}`)
    .set(PAIR)
    .send(body as object);
const newCustomer = (n: number) => ({
  source_id: `customer-under-test-${n}`,
  name: `Customer ${n}`,
  email: `c${n}@example.com`,
});

describe('GET /v1/publications/create', () => {
  it("publishes from the documentation's example campaign, as its example request does", async () => {
    const res = await create({
      customer: { source_id: WELL_KNOWN.exampleCustomerSourceId },
      campaign: { name: WELL_KNOWN.exampleCampaignName },
      metadata: { year: '2022' },
      source_id: 'publication_source_ID_10',
    });
    expect(res.status).toBe(200);
    expect(specViolations('createPublicationFromQuery', res)).toEqual([]);
    expect(res.body).toMatchObject({
      object: 'publication',
      customer_id: WELL_KNOWN.exampleCustomerId,
      tracking_id: WELL_KNOWN.exampleCustomerSourceId,
      // metadata[year]=2022 arrives as text; the project's metadata schema makes it the number, as in the
      // documentation.
      metadata: { year: 2022 },
      channel: 'API',
      source_id: 'publication_source_ID_10',
      result: 'SUCCESS',
      customer: {
        id: WELL_KNOWN.exampleCustomerId,
        name: 'Bob Jones',
        email: 'bob.smith@email.com',
        object: 'customer',
      },
      voucher: {
        campaign: WELL_KNOWN.exampleCampaignName,
        discount: { type: 'AMOUNT', amount_off: 300, effect: 'APPLY_TO_ITEMS' },
        holder_id: WELL_KNOWN.exampleCustomerId,
        publish: { count: 1 },
      },
    });
    expect(res.body.vouchers_id).toEqual([res.body.voucher.id]);
  });

  it('publishes a specific voucher by code; the voucher wins over a campaign', async () => {
    const res = await create({
      customer: newCustomer(1),
      voucher: WELL_KNOWN.standaloneCode,
      campaign: { name: WELL_KNOWN.fixedCampaignName },
    });
    expect(res.status).toBe(200);
    expect(res.body.voucher).toMatchObject({ code: WELL_KNOWN.standaloneCode, campaign: null, campaign_id: null });
    expect(specViolations('createPublicationFromQuery', res)).toEqual([]);
  });

  it('finds a campaign by its id as well as by its name', async () => {
    const res = await create({ customer: newCustomer(2), campaign: { name: WELL_KNOWN.exampleCampaignId } });
    expect(res.status).toBe(200);
    expect(res.body.voucher.campaign_id).toBe(WELL_KNOWN.exampleCampaignId);
  });

  it('creates a customer found by nothing but a new source_id, with the attributes given', async () => {
    const res = await create({
      customer: { source_id: 'brand-new', name: 'Ann Lee', email: 'ann@example.com', metadata: { tier: 'gold' } },
      campaign: { name: WELL_KNOWN.percentCampaignName },
    });
    expect(res.status).toBe(200);
    expect(res.body.customer).toMatchObject({
      source_id: 'brand-new',
      name: 'Ann Lee',
      email: 'ann@example.com',
      metadata: { tier: 'gold' },
    });
    expect(res.body.customer.id).toMatch(/^cust_[A-Za-z0-9]{24}$/);
    expect(res.body.id).toMatch(/^pub_[A-Za-z0-9]{32}$/);
  });
});

type ErrorRow = [
  behaviour: string,
  send: () => ReturnType<typeof create>,
  operationId: string,
  status: number,
  key: string,
  details?: string | RegExp,
];

describe('documented errors, each with its key, status and details', () => {
  const rows: ErrorRow[] = [
    [
      'GET …/create without customer → 400 invalid_query_params',
      () => create({ campaign: { name: WELL_KNOWN.exampleCampaignName } }),
      'createPublicationFromQuery',
      400,
      'invalid_query_params',
      "Query should have required property 'customer'",
    ],
    [
      'GET …/create with neither voucher nor campaign → 400 missing_vouchers',
      () => create({ customer: newCustomer(3) }),
      'createPublicationFromQuery',
      400,
      'missing_vouchers',
      'Either Campaign or Voucher is required',
    ],
    [
      'GET …/create with campaign[count]=2 → 400 too_many_vouchers_requested',
      () => create({ customer: newCustomer(4), campaign: { name: WELL_KNOWN.exampleCampaignName, count: 2 } }),
      'createPublicationFromQuery',
      400,
      'too_many_vouchers_requested',
      'Only up to 1 can be published',
    ],
    [
      'GET …/create with an unknown campaign → 404 not_found (campaign)',
      () => create({ customer: newCustomer(5), campaign: { name: 'No Such Campaign' } }),
      'createPublicationFromQuery',
      404,
      'not_found',
      'Cannot find campaign with id No Such Campaign',
    ],
    [
      'GET …/create with an unknown customer id → 404 not_found (customer)',
      () =>
        create({
          customer: { id: 'cust_AAAAAAAAAAAAAAAAAAAAAAAA' },
          campaign: { name: WELL_KNOWN.exampleCampaignName },
        }),
      'createPublicationFromQuery',
      404,
      'not_found',
      'Cannot find customer with id cust_AAAAAAAAAAAAAAAAAAAAAAAA',
    ],
    [
      'GET …/create with an unknown voucher code → 404 not_found (voucher)',
      () => create({ customer: newCustomer(6), voucher: 'NOSUCHCODE' }),
      'createPublicationFromQuery',
      404,
      'not_found',
      'Cannot find voucher with id NOSUCHCODE',
    ],
    [
      'GET …/create of an already published code → 400 voucher_already_published',
      () => create({ customer: newCustomer(7), voucher: WELL_KNOWN.alreadyPublishedCode }),
      'createPublicationFromQuery',
      400,
      'voucher_already_published',
      /^Voucher 'v_[A-Za-z0-9]+' has already been published$/,
    ],
    [
      'GET …/create of an inactive voucher → 400 voucher_cannot_be_published',
      () => create({ customer: newCustomer(8), voucher: WELL_KNOWN.inactiveCode }),
      'createPublicationFromQuery',
      400,
      'voucher_cannot_be_published',
      `Voucher '${WELL_KNOWN.inactiveCode}' is not active`,
    ],
    [
      'GET …/create with metadata year that is not a number → 400 metadata_validation_failed',
      () =>
        create({
          customer: newCustomer(9),
          campaign: { name: WELL_KNOWN.exampleCampaignName },
          metadata: { year: 'last' },
        }),
      'createPublicationFromQuery',
      400,
      'metadata_validation_failed',
      "Publication metadata property 'year' must be a number",
    ],
    [
      'GET …/create with join_once=maybe → 400 invalid_query_params',
      () =>
        create({ customer: newCustomer(10), campaign: { name: WELL_KNOWN.exampleCampaignName }, join_once: 'maybe' }),
      'createPublicationFromQuery',
      400,
      'invalid_query_params',
      "Query property 'join_once' should be boolean",
    ],
    [
      'GET …/create with a customer of neither id nor source_id → 400 invalid_query_params',
      () => create({ customer: { name: 'Nobody' }, campaign: { name: WELL_KNOWN.exampleCampaignName } }),
      'createPublicationFromQuery',
      400,
      'invalid_query_params',
      "Query property 'customer' should have required property 'id' or 'source_id'",
    ],
    [
      'POST without customer → 400 invalid_payload',
      () => post({ campaign: WELL_KNOWN.exampleCampaignName }),
      'createPublication',
      400,
      'invalid_payload',
      "Payload should have required property 'customer'",
    ],
    [
      "POST with an unknown property is ignored (the vendor's schema is open) → still 400 missing_vouchers",
      () => post({ customer: newCustomer(11), vouchr: 'X' }),
      'createPublication',
      400,
      'missing_vouchers',
      'Either Campaign or Voucher is required',
    ],
    [
      'POST with campaign.count 51 → 400 invalid_payload',
      () => post({ customer: newCustomer(12), campaign: { name: WELL_KNOWN.exampleCampaignName, count: 51 } }),
      'createPublication',
      400,
      'invalid_payload',
      /campaign\.count/,
    ],
    [
      'POST with neither voucher nor campaign → 400 missing_vouchers',
      () => post({ customer: newCustomer(13) }),
      'createPublication',
      400,
      'missing_vouchers',
      'Either Campaign or Voucher is required',
    ],
    [
      'POST with count 2 and a source_id → 400 too_many_vouchers_requested',
      () =>
        post({
          customer: newCustomer(14),
          campaign: { name: WELL_KNOWN.exampleCampaignName, count: 2 },
          source_id: 'one-only',
        }),
      'createPublication',
      400,
      'too_many_vouchers_requested',
      'Only up to 1 can be published',
    ],
    [
      'POST with join_once=yes → 400 invalid_query_params',
      () => post({ customer: newCustomer(15), campaign: WELL_KNOWN.exampleCampaignName }, '?join_once=yes'),
      'createPublication',
      400,
      'invalid_query_params',
      "Query property 'join_once' should be boolean",
    ],
  ];

  it.each(rows)('%s', async (_name, send, operationId, status, key, details) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body.key).toBe(key);
    expect(res.body.code).toBe(status);
    if (typeof details === 'string') expect(res.body.details).toBe(details);
    if (details instanceof RegExp) expect(res.body.details).toMatch(details);
    expect(res.body.request_id).toMatch(/^v-[0-9a-f]{18}$/);
    expect(specViolations(operationId, res)).toEqual([]);
  });
});

describe('join_once', () => {
  it('a repeated join_once request returns the same code instead of consuming another', async () => {
    const q = { customer: newCustomer(20), campaign: { name: WELL_KNOWN.fixedCampaignName }, join_once: true };
    const first = await create(q);
    const second = await create(q);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body.voucher.code).toBe(first.body.voucher.code);
    const left = (await mock.api.get('/__mock/campaigns')).body.campaigns.find(
      (c: { name: string }) => c.name === WELL_KNOWN.fixedCampaignName,
    );
    expect(left.vouchers_remaining).toBe(WELL_KNOWN.fixedCampaignSize - 1);
  });

  it('without join_once, the same customer gets a new code each time', async () => {
    const q = { customer: newCustomer(21), campaign: { name: WELL_KNOWN.fixedCampaignName } };
    const codes = [(await create(q)).body.voucher.code, (await create(q)).body.voucher.code];
    expect(new Set(codes).size).toBe(2);
  });

  it(
    'join_once for a specific voucher of a campaign the customer joined → ' + '400 voucher_cannot_be_published',
    async () => {
      const customer = newCustomer(22);
      const joined = await create({ customer, campaign: { name: WELL_KNOWN.percentCampaignName }, join_once: true });
      expect(joined.status).toBe(200);
      const unpublished = mock.state.store.findPublishableVoucher(joined.body.voucher.campaign_id)!;
      const res = await create({ customer, voucher: unpublished.code, join_once: true });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        key: 'voucher_cannot_be_published',
        details: 'Voucher cannot be published. Customer already joined program.',
      });
    },
  );

  it(
    'join_once by GET …/create for a customer who joined with several ' +
      'codes (campaign.count by POST) → 400 voucher_cannot_be_published, not ' +
      'a one-voucher answer without its voucher',
    async () => {
      const customer = newCustomer(23);
      const many = await post(
        { customer, campaign: { name: WELL_KNOWN.exampleCampaignName, count: 3 } },
        '?join_once=true',
      );
      expect(many.body.vouchers).toHaveLength(3);
      const res = await create({ customer, campaign: { name: WELL_KNOWN.exampleCampaignName }, join_once: true });
      expect(specViolations('createPublicationFromQuery', res)).toEqual([]);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        key: 'voucher_cannot_be_published',
        details: 'Voucher cannot be published. Customer already joined program.',
      });
      // The POST repeat may answer the codes: its answer has that shape.
      const again = await post({ customer, campaign: { name: WELL_KNOWN.exampleCampaignName } }, '?join_once=true');
      expect(again.body.vouchers).toEqual(many.body.vouchers);
    },
  );
});

describe('source_id of the publication', () => {
  it('a retry with the same source_id returns the code assigned the first time', async () => {
    const body = { customer: newCustomer(30), campaign: WELL_KNOWN.exampleCampaignName, source_id: 'order-30' };
    const first = await post(body);
    const retry = await post(body);
    expect(retry.status).toBe(200);
    expect(retry.body.voucher.code).toBe(first.body.voucher.code);
    expect(retry.body.id).toBe(first.body.id);
  });

  it('the same source_id for another customer → 400 duplicate_source_id', async () => {
    await post({ customer: newCustomer(31), campaign: WELL_KNOWN.exampleCampaignName, source_id: 'order-31' });
    const res = await post({
      customer: newCustomer(32),
      campaign: WELL_KNOWN.exampleCampaignName,
      source_id: 'order-31',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      key: 'duplicate_source_id',
      details: "Publication with source_id: 'order-31' already exists",
    });
  });

  it('the same source_id for another explicit voucher → 400 duplicate_source_id', async () => {
    const customer = newCustomer(33);
    const first = await post({ customer, campaign: WELL_KNOWN.percentCampaignName, source_id: 'order-33' });
    expect(first.status).toBe(200);
    const res = await post({ customer, voucher: WELL_KNOWN.standaloneCode, source_id: 'order-33' });
    expect(res.status).toBe(400);
    expect(res.body.key).toBe('duplicate_source_id');
  });
});

describe('pools and several vouchers', () => {
  it('a fixed campaign runs dry after its codes: then 400 no_voucher_suitable_for_publication', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < WELL_KNOWN.fixedCampaignSize + 1; i++) {
      statuses.push((await post({ customer: newCustomer(40 + i), campaign: WELL_KNOWN.fixedCampaignName })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 400]);
    const dry = await post({ customer: newCustomer(49), campaign: WELL_KNOWN.fixedCampaignName });
    expect(dry.body.key).toBe('no_voucher_suitable_for_publication');
    expect(specViolations('createPublication', dry)).toEqual([]);
  });

  it('an auto-update campaign never runs dry: it makes codes of its own shape', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await post({ customer: newCustomer(50 + i), campaign: WELL_KNOWN.autoUpdateCampaignName });
      expect(res.status).toBe(200);
      codes.push(res.body.voucher.code);
    }
    expect(new Set(codes).size).toBe(8);
    expect(codes.at(-1)).toMatch(/^AUTO-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  });

  it('campaign.count 3 publishes three distinct codes, answered as a vouchers list', async () => {
    const res = await post({ customer: newCustomer(60), campaign: { name: WELL_KNOWN.exampleCampaignName, count: 3 } });
    expect(res.status).toBe(200);
    expect(res.body.vouchers).toHaveLength(3);
    expect(new Set(res.body.vouchers).size).toBe(3);
    expect(res.body.vouchers_id).toHaveLength(3);
    expect(res.body.voucher).toBeUndefined();
    expect(specViolations('createPublication', res)).toEqual([]);
  });

  it('campaign.count above what a fixed pool holds fails whole: no code is taken', async () => {
    const res = await post({ customer: newCustomer(61), campaign: { name: WELL_KNOWN.fixedCampaignName, count: 6 } });
    expect(res.status).toBe(400);
    expect(res.body.key).toBe('no_voucher_suitable_for_publication');
    const left = (await mock.api.get('/__mock/campaigns')).body.campaigns.find(
      (c: { name: string }) => c.name === WELL_KNOWN.fixedCampaignName,
    );
    expect(left.vouchers_remaining).toBe(WELL_KNOWN.fixedCampaignSize);
  });

  it('the published voucher has its holder and publish.count updated; publishing it again is refused', async () => {
    const first = await post({ customer: newCustomer(62), voucher: WELL_KNOWN.exampleVoucherCode });
    expect(first.status).toBe(200);
    expect(first.body.voucher).toMatchObject({ holder_id: first.body.customer_id, publish: { count: 1 } });
    const again = await post({ customer: newCustomer(63), voucher: WELL_KNOWN.exampleVoucherCode });
    expect(again.body).toMatchObject({
      key: 'voucher_already_published',
      details: `Voucher '${WELL_KNOWN.exampleVoucherId}' has already been published`,
    });
  });

  it.each([
    ['a gift card campaign', WELL_KNOWN.giftCampaignName, 'GIFT_VOUCHER', 'gift'],
    ['a loyalty program', WELL_KNOWN.loyaltyCampaignName, 'LOYALTY_CARD', 'loyalty_card'],
    ['a referral campaign', WELL_KNOWN.referralCampaignName, 'DISCOUNT_VOUCHER', 'discount'],
  ])(
    'publishing from %s gives a voucher of its type, conforming to the spec',
    async (_n, campaign, type, valueField) => {
      const res = await post({ customer: newCustomer(70), campaign });
      expect(res.status).toBe(200);
      expect(res.body.voucher.type).toBe(type);
      expect(res.body.voucher[valueField]).not.toBeNull();
      expect(specViolations('createPublication', res)).toEqual([]);
    },
  );

  it('a referral campaign publishes referral codes', async () => {
    const res = await post({ customer: newCustomer(71), campaign: WELL_KNOWN.referralCampaignName });
    expect(res.body.voucher.is_referral_code).toBe(true);
  });
});

describe('requests as the real API and its SDKs send them', () => {
  // The vendor's generated Python SDK: `null` for each optional field set to None, and objects as JSON in one query
  // parameter.
  it("null fields (as the vendor's Python SDK sends them) are the same as leaving them out", async () => {
    const res = await post({
      voucher: null,
      source_id: null,
      channel: null,
      metadata: null,
      campaign: { name: WELL_KNOWN.fixedCampaignName, count: null },
      customer: {
        id: null,
        source_id: 'python-sdk-1',
        name: 'Py Thon',
        email: null,
        phone: null,
        birthdate: null,
        address: null,
        metadata: { kept: null },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      channel: 'API',
      source_id: null,
      metadata: {},
      tracking_id: 'python-sdk-1',
      customer: { name: 'Py Thon', metadata: { kept: null } },
    });
    expect(res.body.customer).not.toHaveProperty('email');
    expect(specViolations('createPublication', res)).toEqual([]);
  });

  it('a customer whose id and source_id are both null identifies no one → 400 invalid_payload', async () => {
    const res = await post({
      campaign: { name: WELL_KNOWN.fixedCampaignName },
      customer: { id: null, source_id: null },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      key: 'invalid_payload',
      details: "Payload property 'customer' should have required property 'id' or 'source_id'",
    });
  });

  it("GET …/create with customer, campaign and metadata as JSON (as the vendor's Python SDK sends them)", async () => {
    const query = new URLSearchParams({
      customer: JSON.stringify({ source_id: 'python-sdk-2', name: 'Py Get', email: null }),
      campaign: JSON.stringify({ name: WELL_KNOWN.fixedCampaignName }),
      metadata: JSON.stringify({ year: 2022 }),
    });
    const res = await mock.api.get(`/v1/publications/create?${query.toString()}`).set(PAIR);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      tracking_id: 'python-sdk-2',
      metadata: { year: 2022 },
      customer: { name: 'Py Get' },
      voucher: { campaign: WELL_KNOWN.fixedCampaignName },
    });
    expect(specViolations('createPublicationFromQuery', res)).toEqual([]);
  });

  it('a JSON query object that is not one is named as not an object → 400 invalid_query_params', async () => {
    const res = await mock.api
      .get(`/v1/publications/create?customer=${encodeURIComponent('{source_id: x')}&voucher=X`)
      .set(PAIR);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ key: 'invalid_query_params' });
    expect(res.body.details).toMatch(/customer/);
  });

  it("GET /v1/publications with filters as JSON (as the vendor's Python SDK sends them)", async () => {
    const made = await post({ customer: newCustomer(90), campaign: { name: WELL_KNOWN.fixedCampaignName } });
    const filters = JSON.stringify({ junction: 'and', customer_id: { conditions: { $in: [made.body.customer_id] } } });
    const res = await mock.api.get(`/v1/publications?filters=${encodeURIComponent(filters)}`).set(PAIR);
    expect(res.status).toBe(200);
    expect(res.body.publications.map((p: { id: string }) => p.id)).toEqual([made.body.id]);
    expect(specViolations('listPublications', res)).toEqual([]);
  });

  it('join_once in the POST body (as @voucherify/sdk sends it) returns the same code on a repeat', async () => {
    const body = { customer: newCustomer(80), campaign: { name: WELL_KNOWN.fixedCampaignName }, join_once: true };
    const first = await post(body);
    const second = await post(body);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body.voucher.code).toBe(first.body.voucher.code);
    expect(second.body.id).toBe(first.body.id);
    expect(specViolations('createPublication', second)).toEqual([]);
  });

  it('join_once true in the query applies even when the body says false', async () => {
    const body = { customer: newCustomer(81), campaign: { name: WELL_KNOWN.fixedCampaignName }, join_once: false };
    const first = await post(body, '?join_once=true');
    const second = await post(body, '?join_once=true');
    expect(second.body.voucher.code).toBe(first.body.voucher.code);
  });

  it('join_once false in the body does not join: the same customer gets a new code', async () => {
    const body = { customer: newCustomer(82), campaign: { name: WELL_KNOWN.fixedCampaignName }, join_once: false };
    const codes = [(await post(body)).body.voucher.code, (await post(body)).body.voucher.code];
    expect(new Set(codes).size).toBe(2);
  });

  it("publishes a specific voucher by its id (v_…), as the vendor's Java SDK does", async () => {
    const res = await post({ customer: newCustomer(83), voucher: WELL_KNOWN.exampleVoucherId });
    expect(res.status).toBe(200);
    expect(res.body.voucher).toMatchObject({
      id: WELL_KNOWN.exampleVoucherId,
      code: WELL_KNOWN.exampleVoucherCode,
      holder_id: res.body.customer_id,
      publish: { count: 1 },
    });
    expect(specViolations('createPublication', res)).toEqual([]);
  });

  it('publishes by voucher id on GET …/create too', async () => {
    const res = await create({ customer: newCustomer(84), voucher: WELL_KNOWN.exampleVoucherId });
    expect(res.status).toBe(200);
    expect(res.body.voucher.code).toBe(WELL_KNOWN.exampleVoucherCode);
  });

  it('an unknown voucher id → 404 not_found naming it', async () => {
    const res = await post({ customer: newCustomer(85), voucher: 'v_NoSuchVoucher' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      key: 'not_found',
      resource_type: 'voucher',
      resource_id: 'v_NoSuchVoucher',
      details: 'Cannot find voucher with id v_NoSuchVoucher',
    });
  });

  it.each([21, 50])(
    "campaign.count %i (the vendor's maximum is 50) publishes that many distinct codes",
    async (count) => {
      const res = await post({ customer: newCustomer(86), campaign: { name: WELL_KNOWN.exampleCampaignName, count } });
      expect(res.status).toBe(200);
      expect(res.body.vouchers).toHaveLength(count);
      expect(new Set(res.body.vouchers).size).toBe(count);
      expect(res.body.vouchers_id).toHaveLength(count);
      expect(specViolations('createPublication', res)).toEqual([]);
    },
  );
});
