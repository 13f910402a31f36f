/**
 * The default generated world: deterministic, the documentation's example exact
 * whatever the seed, one campaign of every kind QA needs, and values the spec's
 * own schemas accept.
 */
import { SchemaCompiler } from '../src/openapi/schema-compiler';
import type { CampaignRecord, CodeConfig, VoucherRecord } from '../src/domain/records';
import type { Fixtures } from './fixtures';
import { CUSTOMER_COUNT, POOL_SIZE, WELL_KNOWN, generateFixtures } from './generate-fixtures';
import { ALPHANUMERIC, DEFAULT_CODE_LENGTH } from './make-code';

const NOW = '2025-06-01T12:00:00.000Z';
const world = generateFixtures(42, NOW);
const compiler = new SchemaCompiler(undefined, { allErrors: true });

function campaignNamed(fixtures: Fixtures, name: string): CampaignRecord {
  const campaign = fixtures.campaigns.find((c) => c.name === name);
  if (!campaign) throw new Error(`no campaign named ${name}`);
  return campaign;
}

function voucherCoded(fixtures: Fixtures, code: string): VoucherRecord {
  const voucher = fixtures.vouchers.find((v) => v.code === code);
  if (!voucher) throw new Error(`no voucher with code ${code}`);
  return voucher;
}

function vouchersOf(fixtures: Fixtures, campaign: CampaignRecord): VoucherRecord[] {
  return fixtures.vouchers.filter((v) => v.campaign_id === campaign.id);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/** The codes a code_config can make, as a regular expression. */
function codePattern(config: CodeConfig): RegExp {
  const chars = `[${escapeRegExp(config.charset ?? ALPHANUMERIC)}]`;
  const body = config.pattern
    ? config.pattern.split('#').map(escapeRegExp).join(chars)
    : `${chars}{${config.length ?? DEFAULT_CODE_LENGTH}}`;
  return new RegExp(`^${escapeRegExp(config.prefix ?? '')}${body}${escapeRegExp(config.postfix ?? '')}$`);
}

/** The documentation world: what must not change with the seed. */
function documentationWorld(fixtures: Fixtures): unknown {
  const campaign = campaignNamed(fixtures, WELL_KNOWN.exampleCampaignName);
  return {
    campaign,
    vouchers: vouchersOf(fixtures, campaign),
    customer: fixtures.customers.find((c) => c.source_id === WELL_KNOWN.exampleCustomerSourceId),
  };
}

describe('generateFixtures: determinism', () => {
  it.each([0, 1, 42, 2 ** 31 - 1])('seed %d twice with the same now → deep-equal worlds', (seed) => {
    expect(generateFixtures(seed, NOW)).toEqual(generateFixtures(seed, NOW));
  });

  it.each([
    [1, 2],
    [42, 43],
    [0, 987654],
  ])('seeds %d and %d → different faker data (customers, codes, ids) but the same documentation world', (a, b) => {
    const first = generateFixtures(a, NOW);
    const second = generateFixtures(b, NOW);
    expect(first.customers.slice(1).map((c) => c.name)).not.toEqual(second.customers.slice(1).map((c) => c.name));
    expect(vouchersOf(first, campaignNamed(first, WELL_KNOWN.percentCampaignName)).map((v) => v.code)).not.toEqual(
      vouchersOf(second, campaignNamed(second, WELL_KNOWN.percentCampaignName)).map((v) => v.code),
    );
    expect(campaignNamed(first, WELL_KNOWN.giftCampaignName).id).not.toBe(campaignNamed(second, WELL_KNOWN.giftCampaignName).id);
    expect(documentationWorld(first)).toEqual(documentationWorld(second));
  });

  it('the well-known names and codes exist whatever the seed', () => {
    for (const seed of [3, 77, 31337]) {
      const fixtures = generateFixtures(seed, NOW);
      const names = fixtures.campaigns.map((c) => c.name);
      const codes = fixtures.vouchers.map((v) => v.code);
      expect(names).toEqual(expect.arrayContaining(Object.entries(WELL_KNOWN).filter(([key]) => key.endsWith('CampaignName')).map(([, name]) => name)));
      expect(codes).toEqual(expect.arrayContaining([WELL_KNOWN.exampleVoucherCode, WELL_KNOWN.inactiveCode, WELL_KNOWN.standaloneCode, WELL_KNOWN.alreadyPublishedCode]));
    }
  });

  it('now that is not a timestamp → throws, naming the value', () => {
    expect(() => generateFixtures(1, 'yesterday')).toThrow('now must be an ISO 8601 timestamp, got "yesterday"');
  });
});

describe('generateFixtures: the documentation example is exact', () => {
  it('campaign "Test - Discount Effect - Amount - Items" has the documented id and AMOUNT 300 APPLY_TO_ITEMS, auto-updates, 1 redemption', () => {
    expect(campaignNamed(world, WELL_KNOWN.exampleCampaignName)).toEqual({
      id: 'camp_dphuwqH7BOVkgh4JmpDtS32l',
      name: 'Test - Discount Effect - Amount - Items',
      type: 'DISCOUNT_VOUCHER',
      is_referral: false,
      auto_update: true,
      active: true,
      code_config: { length: 8, charset: ALPHANUMERIC },
      discount: { type: 'AMOUNT', amount_off: 300, effect: 'APPLY_TO_ITEMS' },
      gift: null,
      loyalty_card: null,
      start_date: null,
      expiration_date: null,
      redemption_quantity: 1,
      category: null,
      category_id: null,
      metadata: {},
      created_at: '2022-09-30T16:21:07.402Z',
    });
  });

  it('voucher cEsMn0uA has the documented id and values and is unpublished', () => {
    expect(voucherCoded(world, WELL_KNOWN.exampleVoucherCode)).toEqual({
      id: 'v_6Hy5FdNlu3dP65fJu5BgXma31Sl3rgkf',
      code: 'cEsMn0uA',
      campaign_id: 'camp_dphuwqH7BOVkgh4JmpDtS32l',
      type: 'DISCOUNT_VOUCHER',
      discount: { type: 'AMOUNT', amount_off: 300, effect: 'APPLY_TO_ITEMS' },
      gift: null,
      loyalty_card: null,
      category: null,
      category_id: null,
      start_date: null,
      expiration_date: null,
      validity_timeframe: null,
      validity_day_of_week: null,
      active: true,
      additional_info: null,
      metadata: {},
      is_referral_code: false,
      holder_id: null,
      publish_count: 0,
      redemption_quantity: 1,
      redeemed_quantity: 0,
      created_at: '2022-09-30T16:30:32.956Z',
      updated_at: null,
    });
  });

  it('the example campaign has more unpublished 8-character codes besides cEsMn0uA', () => {
    const vouchers = vouchersOf(world, campaignNamed(world, WELL_KNOWN.exampleCampaignName));
    expect(vouchers).toHaveLength(POOL_SIZE);
    expect(vouchers.every((v) => v.holder_id === null && v.publish_count === 0 && /^[A-Za-z0-9]{8}$/.test(v.code))).toBe(true);
  });

  it('customer pub_source_customer_5 is cust_BB6F97yf0XqCe7hxVUV7M4sS, Bob Jones, with the documented metadata', () => {
    expect(world.customers.find((c) => c.source_id === 'pub_source_customer_5')).toEqual({
      id: 'cust_BB6F97yf0XqCe7hxVUV7M4sS',
      source_id: 'pub_source_customer_5',
      name: 'Bob Jones',
      email: 'bob.smith@email.com',
      phone: null,
      description: null,
      birthdate: null,
      address: null,
      metadata: { lang: 'en', test: true },
      created_at: '2022-09-28T09:12:45.118Z',
      updated_at: null,
    });
  });

  it('publication metadata `year` is a number (metadata[year]=2022 → 2022) and no integration keys are set', () => {
    expect(world.publication_metadata).toEqual({ year: 'number' });
    expect(world.integration_keys).toEqual([]);
  });
});

describe('generateFixtures: one campaign of every kind', () => {
  const isDiscount = (kind: string) => (c: CampaignRecord) => c.type === 'DISCOUNT_VOUCHER' && c.discount?.type === kind;
  it.each<[string, (c: CampaignRecord) => boolean]>([
    ['a PERCENT discount campaign', isDiscount('PERCENT')],
    ['an AMOUNT discount campaign besides the example', (c) => isDiscount('AMOUNT')(c) && c.id !== WELL_KNOWN.exampleCampaignId],
    ['a FIXED discount campaign', isDiscount('FIXED')],
    ['a GIFT_VOUCHER campaign', (c) => c.type === 'GIFT_VOUCHER'],
    ['a LOYALTY_CARD program', (c) => c.type === 'LOYALTY_CARD'],
    ['a referral campaign', (c) => c.is_referral],
    ['an auto-update campaign', (c) => c.auto_update && c.id !== WELL_KNOWN.exampleCampaignId],
    ['a campaign with start and expiration dates', (c) => c.start_date !== null && c.expiration_date !== null],
    ['faker-named campaigns beyond the well-known ones', (c) => !Object.values(WELL_KNOWN).includes(c.name as never)],
  ])('the world has %s', (_, matches) => {
    expect(world.campaigns.some(matches)).toBe(true);
  });

  it.each<[string, string, Partial<CampaignRecord>]>([
    ['percentCampaignName', WELL_KNOWN.percentCampaignName, { type: 'DISCOUNT_VOUCHER', auto_update: false }],
    ['amountCampaignName', WELL_KNOWN.amountCampaignName, { type: 'DISCOUNT_VOUCHER', auto_update: false }],
    ['fixedDiscountCampaignName', WELL_KNOWN.fixedDiscountCampaignName, { type: 'DISCOUNT_VOUCHER', auto_update: false }],
    ['giftCampaignName', WELL_KNOWN.giftCampaignName, { type: 'GIFT_VOUCHER', auto_update: false }],
    ['loyaltyCampaignName', WELL_KNOWN.loyaltyCampaignName, { type: 'LOYALTY_CARD', auto_update: false }],
    ['referralCampaignName', WELL_KNOWN.referralCampaignName, { is_referral: true }],
    ['autoUpdateCampaignName', WELL_KNOWN.autoUpdateCampaignName, { auto_update: true }],
    ['fixedCampaignName', WELL_KNOWN.fixedCampaignName, { auto_update: false }],
  ])('WELL_KNOWN.%s (%s) is an active campaign of the right kind', (_, name, expected) => {
    expect(campaignNamed(world, name)).toMatchObject({ ...expected, active: true });
  });

  it('the gift campaign carries gift {amount, balance, effect} in cents, the loyalty program loyalty_card {points, balance}', () => {
    expect(campaignNamed(world, WELL_KNOWN.giftCampaignName).gift).toEqual({ amount: 5000, balance: 5000, effect: 'APPLY_TO_ORDER' });
    expect(campaignNamed(world, WELL_KNOWN.loyaltyCampaignName).loyalty_card).toEqual({ points: 100, balance: 100 });
  });

  it('"Flash Sale 5 Codes" has exactly 5 unpublished codes and does not auto-update (it can run dry)', () => {
    const campaign = campaignNamed(world, WELL_KNOWN.fixedCampaignName);
    const vouchers = vouchersOf(world, campaign);
    expect(campaign.auto_update).toBe(false);
    expect(vouchers).toHaveLength(WELL_KNOWN.fixedCampaignSize);
    expect(WELL_KNOWN.fixedCampaignSize).toBe(5);
    expect(vouchers.every((v) => v.active && v.holder_id === null)).toBe(true);
  });

  it('the auto-update campaign has a code_config making AUTO-####-#### codes and at most a few pre-made codes', () => {
    const campaign = campaignNamed(world, WELL_KNOWN.autoUpdateCampaignName);
    const shape = new RegExp(`^${WELL_KNOWN.autoUpdateCodeShape.replace(/#/g, '[A-Z0-9]')}$`);
    expect(campaign.code_config).toEqual({ prefix: 'AUTO-', pattern: '####-####', charset: expect.any(String) });
    expect(vouchersOf(world, campaign).length).toBeLessThanOrEqual(3);
    expect(vouchersOf(world, campaign).every((v) => shape.test(v.code))).toBe(true);
  });

  it('every other non-auto-update campaign has a pool of a few dozen unpublished codes', () => {
    const pools = world.campaigns
      .filter((c) => !c.auto_update && c.name !== WELL_KNOWN.fixedCampaignName)
      .map((c) => [c.name, vouchersOf(world, c).filter((v) => v.holder_id === null && v.active).length] as const);
    expect(pools.length).toBeGreaterThanOrEqual(8);
    for (const [name, unpublished] of pools) expect([name, unpublished >= 24]).toEqual([name, true]);
  });

  it('the referral campaign’s vouchers are referral codes, and only they are', () => {
    const referral = new Set(world.campaigns.filter((c) => c.is_referral).map((c) => c.id));
    for (const voucher of world.vouchers) {
      expect([voucher.code, voucher.is_referral_code]).toEqual([voucher.code, voucher.campaign_id !== null && referral.has(voucher.campaign_id)]);
    }
  });

  it('one campaign’s vouchers carry validity_timeframe and validity_day_of_week', () => {
    const vouchers = vouchersOf(world, campaignNamed(world, WELL_KNOWN.fixedDiscountCampaignName));
    expect(vouchers.every((v) => v.validity_timeframe !== null && v.validity_day_of_week !== null)).toBe(true);
    expect(vouchers[0]).toMatchObject({ validity_timeframe: { interval: 'P1D', duration: 'PT2H' }, validity_day_of_week: [1, 2, 3, 4, 5] });
  });

  it('every campaign’s codes follow its code_config (prefix, pattern, charset, length)', () => {
    for (const campaign of world.campaigns) {
      const pattern = codePattern(campaign.code_config);
      const made = vouchersOf(world, campaign).filter((v) => v.code !== WELL_KNOWN.alreadyPublishedCode);
      for (const voucher of made) expect([campaign.name, voucher.code, pattern.test(voucher.code)]).toEqual([campaign.name, voucher.code, true]);
    }
  });
});

describe('generateFixtures: well-known vouchers', () => {
  it.each<[string, string, Partial<VoucherRecord>]>([
    ['inactive standalone voucher', WELL_KNOWN.inactiveCode, { active: false, campaign_id: null, holder_id: null, publish_count: 0 }],
    ['standalone PERCENT 10, unpublished', WELL_KNOWN.standaloneCode, { active: true, campaign_id: null, holder_id: null, publish_count: 0, discount: { type: 'PERCENT', percent_off: 10, effect: 'APPLY_TO_ORDER' } }],
    ['documentation voucher, unpublished', WELL_KNOWN.exampleVoucherCode, { active: true, campaign_id: WELL_KNOWN.exampleCampaignId, holder_id: null, publish_count: 0 }],
  ])('%s: %s', (_, code, expected) => {
    expect(voucherCoded(world, code)).toMatchObject(expected);
  });

  it('ALREADY-PUBLISHED is held by an existing customer (not Bob), publish_count 1, in the amount campaign', () => {
    const voucher = voucherCoded(world, WELL_KNOWN.alreadyPublishedCode);
    const holder = world.customers.find((c) => c.id === voucher.holder_id);
    expect(holder).toBeDefined();
    expect(holder?.id).not.toBe(WELL_KNOWN.exampleCustomerId);
    expect(voucher).toMatchObject({ publish_count: 1, active: true, campaign_id: campaignNamed(world, WELL_KNOWN.amountCampaignName).id });
    expect(voucher.updated_at).not.toBeNull();
  });

  it('only ALREADY-PUBLISHED starts published', () => {
    expect(world.vouchers.filter((v) => v.holder_id !== null || v.publish_count > 0).map((v) => v.code)).toEqual([WELL_KNOWN.alreadyPublishedCode]);
  });

  it('there are standalone vouchers besides the well-known ones, of several types', () => {
    const standalone = world.vouchers.filter((v) => v.campaign_id === null);
    expect(standalone.length).toBeGreaterThanOrEqual(4);
    expect(new Set(standalone.map((v) => v.type))).toEqual(new Set(['DISCOUNT_VOUCHER', 'GIFT_VOUCHER', 'LOYALTY_CARD']));
  });
});

describe('generateFixtures: customers', () => {
  it(`${CUSTOMER_COUNT} faker customers plus Bob Jones, with names, emails and unique source_ids; some with metadata`, () => {
    expect(world.customers).toHaveLength(CUSTOMER_COUNT + 1);
    expect(world.customers.every((c) => c.name && c.email?.includes('@') && c.source_id)).toBe(true);
    expect(new Set(world.customers.map((c) => c.source_id)).size).toBe(world.customers.length);
    expect(world.customers.filter((c) => Object.keys(c.metadata).length > 0).length).toBeGreaterThan(5);
    expect(world.customers.filter((c) => Object.keys(c.metadata).length === 0).length).toBeGreaterThan(0);
  });

  it('customer addresses and metadata are accepted by the spec (CustomerAddress, Metadata)', () => {
    const address = compiler.component('Address');
    const metadata = compiler.component('Metadata');
    for (const customer of world.customers) {
      if (customer.address) expect([customer.id, address(customer.address), address.errors]).toEqual([customer.id, true, null]);
      expect(metadata(customer.metadata)).toBe(true);
    }
  });
});

describe('generateFixtures: identifiers, codes and timestamps', () => {
  it('codes are unique across all vouchers, and ids across all records', () => {
    const codes = world.vouchers.map((v) => v.code);
    const ids = [...world.campaigns, ...world.vouchers, ...world.customers].map((r) => r.id);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each<[string, string, RegExp, () => string[]]>([
    ['campaign ids', 'CampaignId', /^camp_[A-Za-z0-9]{24}$/, () => world.campaigns.map((c) => c.id)],
    ['voucher ids', 'VoucherId', /^v_[A-Za-z0-9]{32}$/, () => world.vouchers.map((v) => v.id)],
    ['customer ids', 'CustomerId', /^cust_[A-Za-z0-9]{24}$/, () => world.customers.map((c) => c.id)],
    ['voucher campaign_ids', 'CampaignId', /^camp_[A-Za-z0-9]{24}$/, () => world.vouchers.flatMap((v) => (v.campaign_id ? [v.campaign_id] : []))],
  ])('%s match the spec’s %s and the facts’ length %s', (_, component, shape, values) => {
    const validate = compiler.component(component);
    for (const value of values()) expect([value, shape.test(value), validate(value)]).toEqual([value, true, true]);
  });

  it('faker-made standalone vouchers have default codes: 8 alphanumerics', () => {
    const defaults = world.vouchers.filter((v) => v.campaign_id === null && !Object.values(WELL_KNOWN).includes(v.code as never));
    expect(defaults.length).toBeGreaterThan(0);
    for (const voucher of defaults) expect(voucher.code).toMatch(/^[A-Za-z0-9]{8}$/);
  });

  it('every timestamp is ISO 8601 with milliseconds and Z (the spec’s Timestamp); creation and update times are before now', () => {
    const timestamp = compiler.component('Timestamp');
    const nowMs = Date.parse(NOW);
    const records = [...world.campaigns, ...world.vouchers, ...world.customers];
    for (const record of records) {
      const stamps = [record.created_at, 'updated_at' in record ? record.updated_at : null].filter((t): t is string => t !== null);
      for (const stamp of stamps) expect([record.id, stamp, timestamp(stamp), Date.parse(stamp) < nowMs]).toEqual([record.id, stamp, true, true]);
      if ('updated_at' in record && record.updated_at) expect(Date.parse(record.updated_at)).toBeGreaterThanOrEqual(Date.parse(record.created_at));
    }
    for (const campaign of world.campaigns) {
      for (const date of [campaign.start_date, campaign.expiration_date]) if (date) expect(timestamp(date)).toBe(true);
      if (campaign.start_date) expect(Date.parse(campaign.start_date)).toBeLessThan(nowMs);
      if (campaign.start_date && campaign.expiration_date) expect(Date.parse(campaign.start_date)).toBeLessThan(Date.parse(campaign.expiration_date));
    }
  });

  it('a now earlier than the documentation’s dates still gives timestamps before now', () => {
    const early = generateFixtures(5, '2020-01-01T00:00:00.000Z');
    const records = [...early.campaigns, ...early.vouchers, ...early.customers];
    expect(records.every((r) => Date.parse(r.created_at) < Date.parse('2020-01-01T00:00:00.000Z'))).toBe(true);
  });
});

describe('generateFixtures: values agree with types and with the spec', () => {
  const valueKeys = { DISCOUNT_VOUCHER: 'discount', GIFT_VOUCHER: 'gift', LOYALTY_CARD: 'loyalty_card' } as const;
  const everything = (): Array<CampaignRecord | VoucherRecord> => [...world.campaigns, ...world.vouchers];

  it('each campaign and voucher has the value of its type and null for the other two', () => {
    for (const record of everything()) {
      const present = (['discount', 'gift', 'loyalty_card'] as const).filter((key) => record[key] !== null);
      expect([record.id, present]).toEqual([record.id, [valueKeys[record.type]]]);
    }
  });

  it('each campaign voucher has its campaign’s type and value', () => {
    const byId = new Map(world.campaigns.map((c) => [c.id, c]));
    for (const voucher of world.vouchers) {
      if (voucher.campaign_id === null) continue;
      const campaign = byId.get(voucher.campaign_id);
      expect(campaign).toBeDefined();
      expect([voucher.code, voucher.type, voucher.discount, voucher.gift, voucher.loyalty_card]).toEqual([
        voucher.code,
        campaign?.type,
        campaign?.discount,
        campaign?.gift,
        campaign?.loyalty_card,
      ]);
    }
  });

  it('every voucher’s API value parts pass the spec’s Discount, Gift, LoyaltyCard and ValidityTimeframe schemas', () => {
    const validators = {
      discount: compiler.component('Discount'),
      gift: compiler.component('Gift'),
      loyalty_card: compiler.component('LoyaltyCard'),
      validity_timeframe: compiler.component('ValidityTimeframe'),
    };
    for (const voucher of world.vouchers) {
      // The value parts of the API's Voucher object, as the renderer will copy them.
      const apiParts = {
        discount: voucher.discount,
        gift: voucher.gift,
        loyalty_card: voucher.loyalty_card,
        validity_timeframe: voucher.validity_timeframe,
      };
      for (const [key, value] of Object.entries(apiParts) as Array<[keyof typeof validators, unknown]>) {
        if (value === null) continue;
        const validate = validators[key];
        expect([voucher.code, key, validate(value), validate.errors]).toEqual([voucher.code, key, true, null]);
      }
    }
  });

  it('vouchers are not sharing value objects (a store mutating one never changes another)', () => {
    const seen = new Set<object>();
    for (const record of everything()) {
      for (const value of [record.discount, record.gift, record.loyalty_card]) {
        if (value === null) continue;
        expect(seen.has(value)).toBe(false);
        seen.add(value);
      }
    }
  });
});
