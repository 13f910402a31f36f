/**
 * GET /v1/publications: paging, order, the simple filters and `filters[...]`
 * with their junction, on a world with a known set of publications.
 */
import { WELL_KNOWN } from '../src/fixtures/generate-fixtures';
import { PAIR, type TestMock, queryString, specViolations, testMock } from './support/test-mock';

let mock: TestMock;
const list = (query: Record<string, unknown> = {}) => mock.api.get(`/v1/publications?${queryString(query)}`).set(PAIR);
const post = (body: unknown) =>
  mock.api
    .post('/v1/publications')
    .set(PAIR)
    .send(body as object);

/** Publications made in beforeAll, in order: what each filter must find. */
const made: Array<{ id: string; customer: string; campaign: string; source_id?: string; channel: string }> = [];
let annId = '';

beforeAll(async () => {
  mock = testMock();
  const plan = [
    { customer: { source_id: 'ann' }, campaign: WELL_KNOWN.percentCampaignName, channel: 'web', source_id: 'order-1' },
    { customer: { source_id: 'ann' }, campaign: WELL_KNOWN.giftCampaignName, channel: 'API' },
    { customer: { source_id: 'ben' }, campaign: WELL_KNOWN.referralCampaignName, channel: 'pos', source_id: 'order-3' },
    { customer: { source_id: 'ben' }, campaign: WELL_KNOWN.loyaltyCampaignName, channel: 'API' },
    { customer: { source_id: 'cid' }, campaign: WELL_KNOWN.exampleCampaignName, channel: 'web' },
  ];
  for (const body of plan) {
    const res = await post(body);
    expect(res.status).toBe(200);
    made.push({
      id: res.body.id,
      customer: res.body.customer_id,
      campaign: body.campaign,
      source_id: body.source_id,
      channel: body.channel,
    });
  }
  annId = made[0]!.customer;
  // One failure, recorded with result FAILURE: the standalone inactive voucher.
  expect((await post({ customer: { source_id: 'cid' }, voucher: WELL_KNOWN.inactiveCode })).status).toBe(400);
});
afterAll(() => mock.close());

const ids = (body: { publications: Array<{ id: string }> }) => body.publications.map((p) => p.id);

describe('GET /v1/publications', () => {
  it('lists newest first by default, with the total, conforming to the spec', async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(specViolations('listPublications', res)).toEqual([]);
    expect(res.body).toMatchObject({ object: 'list', data_ref: 'publications', total: 6 });
    // A frozen clock gives equal timestamps: insertion order breaks the tie.
    expect(ids(res.body).slice(1)).toEqual(made.map((m) => m.id).reverse());
    expect(res.body.publications[0]).toMatchObject({ result: 'FAILURE', failure_code: 'voucher_cannot_be_published' });
  });

  type Row = [behaviour: string, query: Record<string, unknown>, expected: () => string[]];
  const rows: Row[] = [
    ['order=created_at lists oldest first', { order: 'created_at', result: 'SUCCESS' }, () => made.map((m) => m.id)],
    [
      "customer=<id> finds that customer's publications",
      { customer: '$ann', result: 'SUCCESS' },
      () =>
        made
          .filter((m) => m.customer === annId)
          .map((m) => m.id)
          .reverse(),
    ],
    [
      "campaign=<name> finds the campaign's publications",
      { campaign: WELL_KNOWN.giftCampaignName },
      () => [made[1]!.id],
    ],
    ['source_id=<id> finds the publication made with it', { source_id: 'order-3' }, () => [made[2]!.id]],
    ["voucher_type=GIFT (the SDK's value) finds gift card publications", { voucher_type: 'GIFT' }, () => [made[1]!.id]],
    [
      "voucher_type=loyalty (the vendor's value) finds loyalty card publications",
      { voucher_type: 'loyalty' },
      () => [made[3]!.id],
    ],
    [
      "voucher_type=LOYALTY_CARD (the SDK's value) finds loyalty card publications",
      { voucher_type: 'LOYALTY_CARD' },
      () => [made[3]!.id],
    ],
    [
      'voucher_type=DISCOUNT finds discount publications',
      { voucher_type: 'DISCOUNT', result: 'SUCCESS' },
      () => [made[4]!.id, made[2]!.id, made[0]!.id],
    ],
    [
      'voucher_type=LUCKY_DRAW (an SDK type the mock has no campaign of) finds nothing',
      { voucher_type: 'LUCKY_DRAW' },
      () => [],
    ],
    ['is_referral_code=true finds referral codes only', { is_referral_code: true }, () => [made[2]!.id]],
    [
      'is_referral_code=false does not filter',
      { is_referral_code: false, result: 'SUCCESS' },
      () => made.map((m) => m.id).reverse(),
    ],
    [
      'filters[source_id][conditions][$in] finds any of the source_ids',
      { filters: { source_id: { conditions: { $in: ['order-1', 'order-3'] } } } },
      () => [made[2]!.id, made[0]!.id],
    ],
    [
      'filters $contains on source_id',
      { filters: { source_id: { conditions: { $contains: 'der-3' } } } },
      () => [made[2]!.id],
    ],
    [
      'filters $not_contain on source_id with result SUCCESS',
      { result: 'SUCCESS', filters: { source_id: { conditions: { $not_contain: '-1' } } } },
      () => [made[4]!.id, made[3]!.id, made[2]!.id, made[1]!.id],
    ],
    [
      "filters[voucher_type] takes the vendor's values",
      { filters: { voucher_type: { conditions: { $is: 'loyalty' } } } },
      () => [made[3]!.id],
    ],
    [
      'filters[voucher_type] takes gift too (free text there)',
      { filters: { voucher_type: { conditions: { $in: ['gift', 'GIFT'] } } } },
      () => [made[1]!.id],
    ],
    [
      'filters[voucher_type] named like an Object.prototype property (toString) is free text that matches nothing',
      { filters: { voucher_type: { conditions: { $is_not: 'toString', $starts_with: 'constructor' } } } },
      () => [],
    ],
    [
      'filters[is_referral_code] $is true',
      { filters: { is_referral_code: { conditions: { $is: 'true' } } } },
      () => [made[2]!.id],
    ],
    [
      'filters with junction=or matches either condition',
      {
        filters: {
          junction: 'or',
          source_id: { conditions: { $is: 'order-1' } },
          campaign_name: { conditions: { $is: WELL_KNOWN.loyaltyCampaignName } },
        },
      },
      () => [made[3]!.id, made[0]!.id],
    ],
    [
      'filters with junction=and needs both',
      {
        filters: {
          junction: 'and',
          customer_id: { conditions: { $is: '$ann' } },
          source_id: { conditions: { $has_value: '' } },
        },
      },
      () => [made[0]!.id],
    ],
    [
      "filters with the SDK's junction=OR",
      {
        filters: {
          junction: 'OR',
          source_id: { conditions: { $is: 'order-1' } },
          campaign_name: { conditions: { $is: WELL_KNOWN.loyaltyCampaignName } },
        },
      },
      () => [made[3]!.id, made[0]!.id],
    ],
    [
      'filters $starts_with on source_id',
      { filters: { source_id: { conditions: { $starts_with: 'order-' } } } },
      () => [made[2]!.id, made[0]!.id],
    ],
    [
      'filters $is_unknown on source_id with result SUCCESS',
      { result: 'SUCCESS', filters: { source_id: { conditions: { $is_unknown: '' } } } },
      () => [made[4]!.id, made[3]!.id, made[1]!.id],
    ],
    [
      'filters $not_in on campaign_name',
      {
        result: 'SUCCESS',
        filters: {
          campaign_name: { conditions: { $not_in: [WELL_KNOWN.giftCampaignName, WELL_KNOWN.loyaltyCampaignName] } },
        },
      },
      () => [made[4]!.id, made[2]!.id, made[0]!.id],
    ],
  ];

  it.each(rows)('%s', async (_name, query, expected) => {
    const resolved = JSON.parse(JSON.stringify(query).replaceAll('"$ann"', JSON.stringify(annId))) as Record<
      string,
      unknown
    >;
    const res = await list(resolved);
    expect(res.status).toBe(200);
    expect(specViolations('listPublications', res)).toEqual([]);
    const want = expected();
    expect(ids(res.body)).toEqual(want);
    expect(res.body.total).toBe(want.length);
  });

  it('result=FAILURE finds only the failed attempt, with its failure code', async () => {
    const res = await list({ result: 'FAILURE' });
    expect(res.body.total).toBe(1);
    expect(res.body.publications[0]).toMatchObject({
      result: 'FAILURE',
      failure_code: 'voucher_cannot_be_published',
      customer: { source_id: 'cid' },
    });
    expect(ids(res.body)).not.toContain(made[4]!.id);
  });

  it('pages: limit and page cut the list, total counts all', async () => {
    const first = await list({ limit: 2, page: 1 });
    const third = await list({ limit: 2, page: 3 });
    const beyond = await list({ limit: 2, page: 4 });
    expect(first.body.publications).toHaveLength(2);
    expect(third.body.publications).toHaveLength(2);
    expect(beyond.body.publications).toHaveLength(0);
    expect(beyond.body.total).toBe(6);
  });

  it.each([
    ['page 1001 → 400 page_over_limit', { page: 1001 }, 'page_over_limit', 'Property .page cannot be higher than 1000'],
    [
      'limit 101 → 400 invalid_query_params',
      { limit: 101 },
      'invalid_query_params',
      "Query property 'limit' should be <= 100",
    ],
    [
      'limit 0 → 400 invalid_query_params',
      { limit: 0 },
      'invalid_query_params',
      "Query property 'limit' should be >= 1",
    ],
    [
      'an unknown order → 400 invalid_query_params',
      { order: 'price' },
      'invalid_query_params',
      /Query property 'order' should be equal to one of the allowed values/,
    ],
    [
      'a filter on an unknown field → 400 invalid_query_params',
      { filters: { colour: { conditions: { $is: 'red' } } } },
      'invalid_query_params',
      "Query property 'filters' should NOT have additional property 'colour'",
    ],
    [
      'an unknown filter operator → 400 invalid_query_params',
      { filters: { source_id: { conditions: { $like: 'w%' } } } },
      'invalid_query_params',
      "Query property 'filters.source_id.conditions' should NOT have additional property '$like'",
    ],
    [
      'a filter the vendor does not document (channel) → 400 invalid_query_params',
      { filters: { channel: { conditions: { $is: 'web' } } } },
      'invalid_query_params',
      "Query property 'filters' should NOT have additional property 'channel'",
    ],
    [
      'a voucher_type neither the vendor nor the SDK documents → 400 invalid_query_params',
      { voucher_type: 'gift' },
      'invalid_query_params',
      /Query property 'voucher_type' should be equal to one of the allowed values/,
    ],
  ])('%s', async (_name, query, key, details) => {
    const res = await list(query);
    expect(res.status).toBe(400);
    expect(res.body.key).toBe(key);
    if (typeof details === 'string') expect(res.body.details).toBe(details);
    else expect(res.body.details).toMatch(details);
    expect(specViolations('listPublications', res)).toEqual([]);
  });
});
