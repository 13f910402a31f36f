/**
 * The official JS SDK (@voucherify/sdk 2.9), pointed at the mock on a real port
 * in strict mode: every publications call its server side offers, with each
 * option its types allow (dist/types/Distributions.d.ts), and the reads a
 * client makes after publishing (vouchers.get, customers.get), and the
 * client side's publish (in Node, where it sends an Origin). What a
 * front-end or Node team does when developing offline. Strict mode refuses to
 * send any body that breaks spec/, so each success here also conforms.
 */
import { VoucherifyClientSide, VoucherifyServerSide } from '@voucherify/sdk';
import type { DistributionsPublicationsListParams } from '@voucherify/sdk';
import { WELL_KNOWN } from '../src/fixtures/generate-fixtures';
import { type RunningMock, startMock } from '../src/app/server';

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ port: 0, strict: true, now: '2026-11-26T12:00:00.000Z' });
});
afterAll(async () => {
  await mock.close();
});

const client = () => VoucherifyServerSide({ applicationId: 'sdk-app', secretKey: 'sdk-secret', apiUrl: mock.url });
const publications = () => client().distributions.publications;

/** Each test has customers of its own: the world is shared by the file. */
let customers = 0;
const newCustomer = () => ({ source_id: `sdk-customer-${++customers}` });

/** An unpublished voucher of a campaign, straight from the state (the SDK has no call for that). */
function unpublishedVoucherOf(campaignName: string) {
  const campaign = mock.state.store.findCampaignByName(campaignName)!;
  return mock.state.store.findPublishableVoucher(campaign.id)!;
}

describe('distributions.publications.create', () => {
  it("publishes a code from a campaign, with the customer's attributes", async () => {
    const publication = await publications().create({
      customer: { source_id: 'sdk-named', name: 'Sam Dee', email: 'sam@example.com' },
      campaign: { name: WELL_KNOWN.percentCampaignName },
      channel: 'sdk-test',
    });
    expect(publication).toMatchObject({
      object: 'publication',
      result: 'SUCCESS',
      tracking_id: 'sdk-named',
      channel: 'sdk-test',
      customer: { source_id: 'sdk-named', name: 'Sam Dee', email: 'sam@example.com' },
      voucher: { campaign: WELL_KNOWN.percentCampaignName, holder_id: publication.customer_id, publish: { count: 1 } },
    });
  });

  it(
    'join_once: true (sent in the body, as the SDK does) returns the same ' +
      'code on a repeat, without consuming another',
    async () => {
      const params = { customer: newCustomer(), campaign: { name: WELL_KNOWN.fixedCampaignName }, join_once: true };
      const before = mock.state.store.campaignStock(
        mock.state.store.findCampaignByName(WELL_KNOWN.fixedCampaignName)!.id,
      ).publishable;
      const first = await publications().create(params);
      const second = await publications().create(params);
      expect(second.voucher.code).toBe(first.voucher.code);
      expect(second.id).toBe(first.id);
      expect(mock.state.store.campaignStock(first.voucher.campaign_id!).publishable).toBe(before - 1);
    },
  );

  it('join_once for two different customers gives two different codes', async () => {
    const a = await publications().create({
      customer: newCustomer(),
      campaign: { name: WELL_KNOWN.amountCampaignName },
      join_once: true,
    });
    const b = await publications().create({
      customer: newCustomer(),
      campaign: { name: WELL_KNOWN.amountCampaignName },
      join_once: true,
    });
    expect(a.voucher.code).not.toBe(b.voucher.code);
  });

  it.each([3, 50])(
    'campaign count %i publishes that many distinct codes, answered as a vouchers list',
    async (count) => {
      const publication = await publications().create({
        customer: newCustomer(),
        campaign: { name: WELL_KNOWN.exampleCampaignName, count },
      });
      // The SDK types the single-voucher answer only; the many-codes answer has `vouchers`.
      const codes = (publication as unknown as { vouchers: string[] }).vouchers;
      expect(codes).toHaveLength(count);
      expect(new Set(codes).size).toBe(count);
      expect(publication.voucher).toBeUndefined();
    },
  );

  it('a specific voucher by code', async () => {
    const voucher = unpublishedVoucherOf(WELL_KNOWN.giftCampaignName);
    const publication = await publications().create({ customer: newCustomer(), voucher: voucher.code });
    expect(publication.voucher).toMatchObject({
      id: voucher.id,
      code: voucher.code,
      type: 'GIFT_VOUCHER',
      holder_id: publication.customer_id,
    });
  });

  it('a specific voucher by id (v_…)', async () => {
    const voucher = unpublishedVoucherOf(WELL_KNOWN.giftCampaignName);
    const publication = await publications().create({ customer: newCustomer(), voucher: voucher.id });
    expect(publication.voucher).toMatchObject({ id: voucher.id, code: voucher.code });
  });

  it('a source_id retry gets the first publication back', async () => {
    const params = {
      customer: newCustomer(),
      campaign: { name: WELL_KNOWN.percentCampaignName },
      source_id: 'sdk-order-1',
    };
    const first = await publications().create(params);
    const retry = await publications().create(params);
    expect(retry).toMatchObject({ id: first.id, source_id: 'sdk-order-1', voucher: { code: first.voucher.code } });
  });

  it('an error reaches the SDK as a VoucherifyError with the documented key', async () => {
    await expect(publications().create({ customer: newCustomer() })).rejects.toMatchObject({
      code: 400,
      key: 'missing_vouchers',
    });
  });
});

describe('distributions.publications.list with each typed filter', () => {
  // One customer's publications, of known kinds, for the filters to find.
  const customer = { source_id: 'sdk-lister' };
  const made: Record<string, { id: string; code: string; customer_id: string; campaign_id: string }> = {};
  beforeAll(async () => {
    const kinds: Array<[string, string]> = [
      ['discount', WELL_KNOWN.percentCampaignName],
      ['gift', WELL_KNOWN.giftCampaignName],
      ['loyalty', WELL_KNOWN.loyaltyCampaignName],
      ['referral', WELL_KNOWN.referralCampaignName],
    ];
    for (const [kind, campaign] of kinds) {
      const p = await publications().create({ customer, campaign: { name: campaign } });
      made[kind] = { id: p.id, code: p.voucher.code, customer_id: p.customer_id, campaign_id: p.voucher.campaign_id! };
    }
  });
  const list = (params: DistributionsPublicationsListParams) =>
    publications().list({ customer: made.discount!.customer_id, ...params });
  const ids = (listed: Awaited<ReturnType<typeof list>>) => (listed.publications ?? []).map((p) => p.id);
  const all = () => ['referral', 'loyalty', 'gift', 'discount'].map((k) => made[k]!.id);

  it("customer: the customer's four, newest first", async () => {
    const listed = await list({});
    expect(listed).toMatchObject({ object: 'list', data_ref: 'publications', total: 4 });
    expect(ids(listed)).toEqual(all());
  });

  it('limit and page', async () => {
    expect(ids(await list({ limit: 3, page: 1 }))).toEqual(all().slice(0, 3));
    const second = await list({ limit: 3, page: 2 });
    expect(ids(second)).toEqual(all().slice(3));
    expect(second.total).toBe(4);
  });

  it('order: created_at ascending, and by voucher_code', async () => {
    expect(ids(await list({ order: 'created_at' }))).toEqual([...all()].reverse());
    const byCode = (await list({ order: 'voucher_code' })).publications!.map((p) => p.voucher?.code);
    expect(byCode).toEqual([...byCode].sort());
  });

  it('campaign: by campaign name', async () => {
    expect(ids(await list({ campaign: WELL_KNOWN.giftCampaignName }))).toEqual([made.gift!.id]);
  });

  it('voucher: by code', async () => {
    expect(ids(await list({ voucher: made.loyalty!.code }))).toEqual([made.loyalty!.id]);
  });

  it('result: SUCCESS lists them, FAILURE lists none of them', async () => {
    expect(ids(await list({ result: 'SUCCESS' }))).toEqual(all());
    expect(await list({ result: 'FAILURE' })).toMatchObject({ total: 0, publications: [] });
  });

  it.each([
    ['GIFT', ['gift']],
    ['LOYALTY_CARD', ['loyalty']],
    ['DISCOUNT', ['referral', 'discount']],
    ['LUCKY_DRAW', []],
  ] as const)('voucher_type %s', async (type, kinds) => {
    expect(ids(await list({ voucher_type: type }))).toEqual(kinds.map((k) => made[k]!.id));
  });

  it('is_referral_code: true lists only the referral code', async () => {
    expect(ids(await list({ is_referral_code: true }))).toEqual([made.referral!.id]);
  });

  it('filters with junction OR: any condition', async () => {
    const listed = await list({
      filters: {
        junction: 'OR',
        campaign_name: { conditions: { $is: WELL_KNOWN.giftCampaignName } },
        voucher_type: { conditions: { $is: 'loyalty' } },
      },
    });
    expect(ids(listed)).toEqual([made.loyalty!.id, made.gift!.id]);
  });

  it('filters with junction AND: every condition', async () => {
    const listed = await list({
      filters: {
        junction: 'AND',
        parent_object_id: { conditions: { $in: [made.gift!.campaign_id, made.discount!.campaign_id] } },
        voucher_type: { conditions: { $is: 'GIFT' } },
      },
    });
    expect(ids(listed)).toEqual([made.gift!.id]);
  });
});

describe('the reads a client makes after publishing', () => {
  it('vouchers.get(code): the voucher with its holder and publish.count', async () => {
    const publication = await publications().create({
      customer: newCustomer(),
      campaign: { name: WELL_KNOWN.percentCampaignName },
    });
    const voucher = await client().vouchers.get(publication.voucher.code);
    expect(voucher).toMatchObject({
      id: publication.voucher.id,
      code: publication.voucher.code,
      campaign: WELL_KNOWN.percentCampaignName,
      holder_id: publication.customer_id,
      publish: { count: 1 },
      categories: [{ name: 'Seasonal', object: 'category' }],
      validation_rules_assignments: { object: 'list', total: 0 },
      object: 'voucher',
    });
  });

  it('vouchers.get(id): the same voucher by its id', async () => {
    const publication = await publications().create({
      customer: newCustomer(),
      campaign: { name: WELL_KNOWN.amountCampaignName },
    });
    const voucher = await client().vouchers.get(publication.voucher.id);
    expect(voucher).toMatchObject({
      id: publication.voucher.id,
      code: publication.voucher.code,
      holder_id: publication.customer_id,
    });
  });

  it('vouchers.get of an unknown code is a VoucherifyError 404 naming the voucher', async () => {
    await expect(client().vouchers.get('NO-SUCH-CODE')).rejects.toMatchObject({
      code: 404,
      key: 'not_found',
      details: 'Cannot find voucher with id NO-SUCH-CODE',
    });
  });

  it(
    'customers.get(id) and customers.get(source_id): the customer a ' + 'publication created, with its loyalty points',
    async () => {
      const source = { source_id: 'sdk-reader', name: 'Rae Dean', email: 'rae@example.com' };
      const publication = await publications().create({
        customer: source,
        campaign: { name: WELL_KNOWN.loyaltyCampaignName },
      });
      const byId = await client().customers.get(publication.customer_id);
      expect(byId).toMatchObject({
        id: publication.customer_id,
        source_id: 'sdk-reader',
        name: 'Rae Dean',
        email: 'rae@example.com',
        loyalty: { points: 100, campaigns: { [WELL_KNOWN.loyaltyCampaignName]: { points: 100 } } },
        summary: { redemptions: { total_redeemed: 0 } },
        referrals: { total: 0 },
        object: 'customer',
      });
      const bySourceId = await client().customers.get('sdk-reader');
      expect(bySourceId).toEqual(byId);
    },
  );

  it('customers.get of an unknown customer is a VoucherifyError 404 naming the customer', async () => {
    await expect(client().customers.get('cust_NoSuchCustomer')).rejects.toMatchObject({
      code: 404,
      key: 'not_found',
      resource_type: 'customer',
    });
  });
});

describe('VoucherifyClientSide.publish (in Node; the browser form is test/client-side-browser.test.ts)', () => {
  const browser = () =>
    VoucherifyClientSide({
      clientApplicationId: 'client-app',
      clientSecretKey: 'client-secret',
      apiUrl: mock.url,
      origin: 'http://127.0.0.1:3000',
    });

  it("publishes a code of the campaign named in the call, with the SDK's channel", async () => {
    const customer = newCustomer();
    const publication = await browser().publish(WELL_KNOWN.percentCampaignName, { customer });
    expect(publication).toMatchObject({
      object: 'publication',
      result: 'SUCCESS',
      channel: 'Voucherify.js',
      tracking_id: customer.source_id,
      voucher: { campaign: WELL_KNOWN.percentCampaignName },
    });
    const listed = await publications().list({ customer: publication.customer_id });
    expect(listed.publications?.map((p) => p.id)).toEqual([publication.id]);
  });

  it('join_once in its query params returns the same code on a repeat', async () => {
    const customer = newCustomer();
    const first = await browser().publish(WELL_KNOWN.exampleCampaignName, { customer }, { join_once: true });
    const again = await browser().publish(WELL_KNOWN.exampleCampaignName, { customer }, { join_once: true });
    expect(again.id).toBe(first.id);
    expect(again.voucher.code).toBe(first.voucher.code);
  });

  it('a specific voucher, by code in the payload', async () => {
    const voucher = unpublishedVoucherOf(WELL_KNOWN.percentCampaignName);
    const publication = await browser().publish(WELL_KNOWN.percentCampaignName, {
      customer: newCustomer(),
      voucher: voucher.code,
    });
    expect(publication.voucher).toMatchObject({ code: voucher.code, id: voucher.id });
  });

  it('an unknown campaign is a VoucherifyError 404 naming the campaign', async () => {
    await expect(browser().publish('No Such Campaign', { customer: newCustomer() })).rejects.toMatchObject({
      code: 404,
      key: 'not_found',
      resource_type: 'campaign',
    });
  });
});
