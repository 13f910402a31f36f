/**
 * The default world the mock starts from (and returns to on reset): the
 * documentation's own example, fixed whatever the seed, plus a seeded,
 * faker-made shop with one campaign of every kind QA needs. Deterministic:
 * the same seed and `now` give a deep-equal result. Randomness comes only from
 * faker instances created here (never Math.random), and time only from `now`
 * (never Date.now), as the house style asks.
 */
import type { Faker } from '@faker-js/faker';
// The `en` entry alone: the package's main entry loads every locale (~250 ms of a cold start).
import { faker as englishFaker } from '@faker-js/faker/locale/en';
import type {
  CampaignRecord,
  CodeConfig,
  CustomerRecord,
  DayOfWeek,
  Discount,
  Gift,
  LoyaltyCard,
  Metadata,
  ValidityTimeframe,
  VoucherRecord,
  VoucherType,
} from '../src/domain/records';
import { voucherFromCampaign } from '../src/domain/voucher-from-campaign';
import type { Fixtures } from './fixtures';
import { ALPHANUMERIC, UPPERCASE_ALPHANUMERIC, makeUniqueCode } from './make-code';

/**
 * Names and codes that exist in every generated world, whatever the seed.
 * Tests, the contract suite and QA refer to these instead of hard-coding strings.
 */
export const WELL_KNOWN = {
  /** The documentation's example campaign (auto-updates, so its example requests never run dry). */
  exampleCampaignName: 'Test - Discount Effect - Amount - Items',
  exampleCampaignId: 'camp_dphuwqH7BOVkgh4JmpDtS32l',
  /** The documentation's example voucher, unpublished at start. */
  exampleVoucherCode: 'cEsMn0uA',
  exampleVoucherId: 'v_6Hy5FdNlu3dP65fJu5BgXma31Sl3rgkf',
  /** The documentation's example customer (Bob Jones). */
  exampleCustomerSourceId: 'pub_source_customer_5',
  exampleCustomerId: 'cust_BB6F97yf0XqCe7hxVUV7M4sS',
  exampleCustomerName: 'Bob Jones',
  exampleCustomerEmail: 'bob.smith@email.com',
  /** PERCENT discount (20% off, at most 50.00), with a start and an expiration date. */
  percentCampaignName: 'Spring Sale 20% Off',
  /** AMOUNT discount (10.00 off the order); also holds ALREADY-PUBLISHED. */
  amountCampaignName: 'Welcome 10 Off',
  /** FIXED discount (items at 5.00), vouchers valid on weekdays in a 2-hour window (validity_timeframe, validity_day_of_week). */
  fixedDiscountCampaignName: 'Happy Hour Fixed Price',
  /** GIFT_VOUCHER gift cards of 50.00. */
  giftCampaignName: 'Gift Card 50',
  /** LOYALTY_CARD program, cards start with 100 points. */
  loyaltyCampaignName: 'Loyalty Program',
  /** Referral campaign: `is_referral`, its codes are referral codes. */
  referralCampaignName: 'Refer a Friend',
  /** Auto-update campaign: almost no pre-made codes, makes `AUTO-XXXX-XXXX` codes on demand. */
  autoUpdateCampaignName: 'Newsletter Signup Auto Codes',
  /** The shape of the auto-update campaign's codes (`#`: an upper-case letter or a digit). */
  autoUpdateCodeShape: 'AUTO-####-####',
  /** A small campaign of exactly `fixedCampaignSize` codes that does not auto-update: run it dry. */
  fixedCampaignName: 'Flash Sale 5 Codes',
  fixedCampaignSize: 5,
  /** Standalone voucher (no campaign), `active: false`: publishing it must fail. */
  inactiveCode: 'INACTIVE-2024',
  /** Standalone voucher (no campaign), PERCENT 10, active and unpublished. */
  standaloneCode: 'STANDALONE-10',
  /** A voucher of the amount campaign already published to a customer (holder_id set, publish_count 1). */
  alreadyPublishedCode: 'ALREADY-PUBLISHED',
} as const;

/** Pre-made unpublished codes per ordinary (non-auto-update) campaign. */
export const POOL_SIZE = 30;
/** Faker-made customers, besides the documentation's Bob Jones. */
export const CUSTOMER_COUNT = 25;

const DAY_MS = 24 * 60 * 60 * 1000;
/** The example world's randomness (its extra codes) uses this seed, never the caller's: it is fixed. */
const EXAMPLE_WORLD_SEED = 534;
const LOWERCASE_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

interface CampaignValue {
  discount?: Discount;
  gift?: Gift;
  loyalty_card?: LoyaltyCard;
}

interface CampaignPlan {
  name: string;
  type: VoucherType;
  value: CampaignValue;
  code_config: CodeConfig;
  pool: number;
  auto_update?: boolean;
  is_referral?: boolean;
  redemption_quantity: number | null;
  /** Start a few weeks ago, expire in a few months. */
  dated?: boolean;
  validity?: { timeframe: ValidityTimeframe; days: DayOfWeek[] };
  category?: string;
  metadata?: Metadata;
}

/** Creation time of the documentation world: just before its example publication (2022-09-30T16:30:32.924Z). */
const EXAMPLE_TIMES = {
  customer: '2022-09-28T09:12:45.118Z',
  campaign: '2022-09-30T16:21:07.402Z',
  voucher: '2022-09-30T16:30:32.956Z',
};

function parseNow(now: string): number {
  const ms = Date.parse(now);
  if (Number.isNaN(ms)) throw new Error(`generateFixtures: now must be an ISO 8601 timestamp, got ${JSON.stringify(now)}`);
  return ms;
}

/** `iso`, or 1 ms before now when `now` is earlier than it (timestamps always lie before now). */
function notAfter(iso: string, nowMs: number): string {
  return Date.parse(iso) < nowMs ? iso : new Date(nowMs - 1).toISOString();
}

/** A faker instance of our own and its source of raw 53-bit draws (its randomizer's `next()`), kept for cheap character draws. */
interface SeededFaker {
  faker: Faker;
  next: () => number;
}

/** Faker's class, reached through the `en` instance: the locale entry exports only the instance. */
const FakerClass = englishFaker.constructor as new (options: { locale: Faker['rawDefinitions'] }) => Faker;

function newFaker(seed: number, nowMs: number): SeededFaker {
  // The same definitions as `new Faker({ locale: [en, base] })` (already merged in the `en` instance), and
  // faker's default randomizer, the same Mersenne Twister as generateMersenne53Randomizer().
  const faker = new FakerClass({ locale: englishFaker.rawDefinitions });
  faker.seed(seed);
  // Nothing here relies on faker's default reference date, but pin it so nothing could read the clock.
  faker.setDefaultRefDate(new Date(nowMs));
  // number.float() with no options is the randomizer's next() unscaled (next() * (1 - 0) + 0).
  return { faker, next: () => faker.number.float() };
}

/**
 * Draws `length` characters of `charset` from faker's randomizer, several
 * characters per draw (a draw has 53 random bits; 8 base-62 digits need under 48).
 * About 8 times fewer draws than `faker.string.fromCharacters`, which matters
 * on a cold start: a world holds some 15,000 random id and code characters.
 */
function picker(next: () => number): (charset: string, length: number) => string {
  return (charset, length) => {
    const size = charset.length;
    const perDraw = size < 2 ? length : Math.max(1, Math.floor(52 / Math.log2(size)));
    const span = size ** perDraw;
    let out = '';
    while (out.length < length) {
      let n = Math.floor(next() * span);
      for (let i = 0; i < perDraw && out.length < length; i++) {
        out += charset[n % size];
        n = Math.floor(n / size);
      }
    }
    return out;
  };
}

/** Calls `make` until it gives a value not yet in `used`, and claims it. */
function uniqueValue(make: () => string, used: Set<string>): string {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = make();
    if (!used.has(value)) {
      used.add(value);
      return value;
    }
  }
  throw new Error('generateFixtures: could not make a unique value');
}

/** Shared state of one generation: the faker, the clock and what is already taken. */
class WorldBuilder {
  readonly campaigns: CampaignRecord[] = [];
  readonly vouchers: VoucherRecord[] = [];
  readonly customers: CustomerRecord[] = [];
  readonly codes = new Set<string>();
  readonly ids = new Set<string>();
  readonly names = new Set<string>();

  faker: Faker;
  /** Random characters from the current faker's randomizer. */
  pick: (charset: string, length: number) => string;

  constructor(
    seeded: SeededFaker,
    readonly nowMs: number,
  ) {
    this.faker = seeded.faker;
    this.pick = picker(seeded.next);
  }

  /** Switches to another seeded faker (the documentation world has its own). */
  use(seeded: SeededFaker): void {
    this.faker = seeded.faker;
    this.pick = picker(seeded.next);
  }

  id(prefix: string, length: number): string {
    return uniqueValue(() => `${prefix}${this.pick(ALPHANUMERIC, length)}`, this.ids);
  }

  /** A timestamp between `maxDaysAgo` and `minDaysAgo` days before now. */
  past(maxDaysAgo: number, minDaysAgo: number): string {
    return this.faker.date.between({ from: this.nowMs - maxDaysAgo * DAY_MS, to: this.nowMs - minDaysAgo * DAY_MS }).toISOString();
  }

  /** A timestamp after `iso` and before now. */
  between(iso: string): string {
    return this.faker.date.between({ from: Date.parse(iso) + 1, to: this.nowMs - 1 }).toISOString();
  }

  /** A timestamp between `minDays` and `maxDays` days after now. */
  future(minDays: number, maxDays: number): string {
    return this.faker.date.between({ from: this.nowMs + minDays * DAY_MS, to: this.nowMs + maxDays * DAY_MS }).toISOString();
  }

  code(config: CodeConfig): string {
    return makeUniqueCode(config, this.pick, this.codes);
  }
}

function copyValue(value: CampaignValue): Pick<VoucherRecord, 'discount' | 'gift' | 'loyalty_card'> {
  return {
    discount: value.discount ? { ...value.discount } : null,
    gift: value.gift ? { ...value.gift } : null,
    loyalty_card: value.loyalty_card ? { ...value.loyalty_card } : null,
  };
}

/** A voucher of `campaign` as created with it: unpublished, not redeemed. */
function campaignVoucher(
  campaign: CampaignRecord,
  id: string,
  code: string,
  created_at: string,
  validity: CampaignPlan['validity'],
): VoucherRecord {
  return voucherFromCampaign(campaign, {
    id,
    code,
    created_at,
    validity_timeframe: validity?.timeframe ?? null,
    validity_day_of_week: validity?.days ?? null,
  });
}

/** The documentation's example: its campaign, voucher `cEsMn0uA` (plus more codes) and Bob Jones. Same for every seed. */
function addExampleWorld(world: WorldBuilder): void {
  const campaignCreated = notAfter(EXAMPLE_TIMES.campaign, world.nowMs);
  const voucherCreated = notAfter(EXAMPLE_TIMES.voucher, world.nowMs);
  world.customers.push({
    id: WELL_KNOWN.exampleCustomerId,
    source_id: WELL_KNOWN.exampleCustomerSourceId,
    name: WELL_KNOWN.exampleCustomerName,
    email: WELL_KNOWN.exampleCustomerEmail,
    phone: null,
    description: null,
    birthdate: null,
    address: null,
    metadata: { lang: 'en', test: true },
    created_at: notAfter(EXAMPLE_TIMES.customer, world.nowMs),
    updated_at: null,
  });
  world.ids.add(WELL_KNOWN.exampleCustomerId);

  const campaign: CampaignRecord = {
    id: WELL_KNOWN.exampleCampaignId,
    name: WELL_KNOWN.exampleCampaignName,
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
    created_at: campaignCreated,
  };
  world.campaigns.push(campaign);
  world.names.add(campaign.name);
  world.ids.add(campaign.id);
  world.ids.add(WELL_KNOWN.exampleVoucherId);
  world.codes.add(WELL_KNOWN.exampleVoucherCode);
  world.vouchers.push(campaignVoucher(campaign, WELL_KNOWN.exampleVoucherId, WELL_KNOWN.exampleVoucherCode, voucherCreated, undefined));
  for (let i = 1; i < POOL_SIZE; i++) {
    world.vouchers.push(campaignVoucher(campaign, world.id('v_', 32), world.code(campaign.code_config), voucherCreated, undefined));
  }
}

/** The campaigns every world has, with fixed names; their codes and ids come from the seed. */
function wellKnownPlans(): CampaignPlan[] {
  return [
    {
      name: WELL_KNOWN.percentCampaignName,
      type: 'DISCOUNT_VOUCHER',
      value: { discount: { type: 'PERCENT', percent_off: 20, amount_limit: 5000, effect: 'APPLY_TO_ORDER' } },
      code_config: { prefix: 'SPRING-', length: 6, charset: UPPERCASE_ALPHANUMERIC },
      pool: POOL_SIZE,
      redemption_quantity: 1,
      dated: true,
      category: 'Seasonal',
      metadata: { season: 'spring' },
    },
    {
      name: WELL_KNOWN.amountCampaignName,
      type: 'DISCOUNT_VOUCHER',
      value: { discount: { type: 'AMOUNT', amount_off: 1000, effect: 'APPLY_TO_ORDER' } },
      code_config: { prefix: 'WELCOME-', length: 6, charset: UPPERCASE_ALPHANUMERIC },
      pool: POOL_SIZE,
      redemption_quantity: 1,
    },
    {
      name: WELL_KNOWN.fixedDiscountCampaignName,
      type: 'DISCOUNT_VOUCHER',
      value: { discount: { type: 'FIXED', fixed_amount: 500, effect: 'APPLY_TO_ITEMS' } },
      code_config: { pattern: 'HH-####-##', charset: UPPERCASE_ALPHANUMERIC },
      pool: POOL_SIZE,
      redemption_quantity: 3,
      validity: { timeframe: { interval: 'P1D', duration: 'PT2H' }, days: [1, 2, 3, 4, 5] },
    },
    {
      name: WELL_KNOWN.giftCampaignName,
      type: 'GIFT_VOUCHER',
      value: { gift: { amount: 5000, balance: 5000, effect: 'APPLY_TO_ORDER' } },
      code_config: { prefix: 'GIFT-', pattern: '####-####', charset: UPPERCASE_ALPHANUMERIC },
      pool: POOL_SIZE,
      redemption_quantity: null,
      dated: true,
    },
    {
      name: WELL_KNOWN.loyaltyCampaignName,
      type: 'LOYALTY_CARD',
      value: { loyalty_card: { points: 100, balance: 100 } },
      code_config: { prefix: 'LOY-', length: 8, charset: UPPERCASE_ALPHANUMERIC },
      pool: POOL_SIZE,
      redemption_quantity: null,
      metadata: { tier: 'bronze' },
    },
    {
      name: WELL_KNOWN.referralCampaignName,
      type: 'DISCOUNT_VOUCHER',
      value: { discount: { type: 'PERCENT', percent_off: 15, effect: 'APPLY_TO_ORDER' } },
      code_config: { prefix: 'REF-', length: 6, charset: UPPERCASE_ALPHANUMERIC },
      pool: POOL_SIZE,
      is_referral: true,
      redemption_quantity: null,
    },
    {
      name: WELL_KNOWN.autoUpdateCampaignName,
      type: 'DISCOUNT_VOUCHER',
      value: { discount: { type: 'AMOUNT', amount_off: 500, effect: 'APPLY_TO_ORDER' } },
      code_config: { prefix: 'AUTO-', pattern: '####-####', charset: UPPERCASE_ALPHANUMERIC },
      pool: 2,
      auto_update: true,
      redemption_quantity: 1,
    },
    {
      name: WELL_KNOWN.fixedCampaignName,
      type: 'DISCOUNT_VOUCHER',
      value: { discount: { type: 'PERCENT', percent_off: 50, effect: 'APPLY_TO_ORDER' } },
      code_config: { prefix: 'FLASH-', length: 5, charset: UPPERCASE_ALPHANUMERIC },
      pool: WELL_KNOWN.fixedCampaignSize,
      redemption_quantity: 1,
    },
  ];
}

/** A code prefix from a campaign name: its first word, upper case, at most 6 letters. */
function prefixFrom(name: string): string {
  const word = (name.split(/\s+/)[0] ?? 'PROMO').replace(/[^A-Za-z]/g, '').toUpperCase().slice(0, 6);
  return `${word || 'PROMO'}-`;
}

/** Extra campaigns whose names and values come from the seed: realistic variety beyond the well-known ones. */
function fakerPlans(world: WorldBuilder): CampaignPlan[] {
  const { faker } = world;
  const newName = (make: () => string): string => uniqueValue(make, world.names);
  const percent = faker.number.int({ min: 1, max: 8 }) * 5;
  const amount = faker.number.int({ min: 1, max: 10 }) * 500;
  const giftAmount = faker.helpers.arrayElement([2500, 10000, 20000]);
  const percentName = newName(() => `${faker.commerce.department()} Week ${percent}% Off`);
  const amountName = newName(() => `${faker.commerce.productAdjective()} ${faker.commerce.product()} Deal`);
  const giftName = newName(() => `${faker.company.name()} Gift Card`);
  return [
    {
      name: percentName,
      type: 'DISCOUNT_VOUCHER',
      value: { discount: { type: 'PERCENT', percent_off: percent, effect: 'APPLY_TO_ITEMS' } },
      code_config: { prefix: prefixFrom(percentName), length: 6, charset: UPPERCASE_ALPHANUMERIC },
      pool: POOL_SIZE,
      redemption_quantity: 1,
      dated: true,
    },
    {
      name: amountName,
      type: 'DISCOUNT_VOUCHER',
      value: { discount: { type: 'AMOUNT', amount_off: amount, effect: 'APPLY_TO_ITEMS_PROPORTIONALLY' } },
      code_config: { length: 8 },
      pool: POOL_SIZE,
      redemption_quantity: faker.helpers.arrayElement([1, 2, 5]),
    },
    {
      name: giftName,
      type: 'GIFT_VOUCHER',
      value: { gift: { amount: giftAmount, balance: giftAmount, effect: 'APPLY_TO_ITEMS' } },
      code_config: { prefix: prefixFrom(giftName), length: 8, charset: UPPERCASE_ALPHANUMERIC },
      pool: POOL_SIZE,
      redemption_quantity: null,
    },
  ];
}

/** Creates the campaign and its pool of unpublished vouchers. */
function addCampaign(world: WorldBuilder, plan: CampaignPlan): CampaignRecord {
  world.names.add(plan.name);
  const created_at = world.past(365, 40);
  const categoryId = plan.category ? `cat_${world.pick(ALPHANUMERIC, 24)}` : null;
  const campaign: CampaignRecord = {
    id: world.id('camp_', 24),
    name: plan.name,
    type: plan.type,
    is_referral: plan.is_referral ?? false,
    auto_update: plan.auto_update ?? false,
    active: true,
    code_config: { ...plan.code_config },
    ...copyValue(plan.value),
    start_date: plan.dated ? world.past(30, 2) : null,
    expiration_date: plan.dated ? world.future(60, 180) : null,
    redemption_quantity: plan.redemption_quantity,
    category: plan.category ?? null,
    category_id: categoryId,
    metadata: { ...(plan.metadata ?? {}) },
    created_at,
  };
  world.campaigns.push(campaign);
  const vouchersCreated = new Date(Date.parse(created_at) + 1000).toISOString();
  for (let i = 0; i < plan.pool; i++) {
    world.vouchers.push(campaignVoucher(campaign, world.id('v_', 32), world.code(campaign.code_config), vouchersCreated, plan.validity));
  }
  return campaign;
}

function addCustomers(world: WorldBuilder): void {
  const { faker } = world;
  const sourceIds = new Set<string>([WELL_KNOWN.exampleCustomerSourceId]);
  for (let i = 0; i < CUSTOMER_COUNT; i++) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const source_id = uniqueValue(
      () => `${faker.helpers.arrayElement(['crm', 'shop', 'app'])}_${world.pick(LOWERCASE_ALPHANUMERIC, 10)}`,
      sourceIds,
    );
    const withMetadata = i % 3 !== 2;
    const withAddress = i % 2 === 0;
    const created_at = world.past(720, 1);
    world.customers.push({
      id: world.id('cust_', 24),
      source_id,
      name: `${firstName} ${lastName}`,
      email: faker.internet.email({ firstName, lastName }).toLowerCase(),
      phone: i % 4 === 0 ? null : faker.phone.number({ style: 'international' }),
      description: null,
      birthdate: i % 5 === 0 ? faker.date.birthdate({ mode: 'age', min: 18, max: 80, refDate: world.nowMs }).toISOString().slice(0, 10) : null,
      address: withAddress
        ? {
            city: faker.location.city(),
            state: faker.location.state(),
            line_1: faker.location.streetAddress(),
            line_2: null,
            country: faker.location.country(),
            postal_code: faker.location.zipCode(),
          }
        : null,
      metadata: withMetadata
        ? { lang: faker.helpers.arrayElement(['en', 'de', 'fr', 'pl', 'es']), vip: faker.datatype.boolean(), signup_year: faker.number.int({ min: 2018, max: 2024 }) }
        : {},
      created_at,
      updated_at: i % 6 === 0 ? world.between(created_at) : null,
    });
  }
}

function standaloneVoucher(world: WorldBuilder, code: string, type: VoucherType, value: CampaignValue, redemption_quantity: number | null): VoucherRecord {
  world.codes.add(code);
  return {
    id: world.id('v_', 32),
    code,
    campaign_id: null,
    type,
    ...copyValue(value),
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
    redemption_quantity,
    redeemed_quantity: 0,
    created_at: world.past(300, 5),
    updated_at: null,
  };
}

/** Standalone vouchers (campaign_id null): the well-known STANDALONE-10 and INACTIVE-2024, and a few faker-made ones. */
function addStandaloneVouchers(world: WorldBuilder): void {
  world.vouchers.push(
    standaloneVoucher(world, WELL_KNOWN.standaloneCode, 'DISCOUNT_VOUCHER', { discount: { type: 'PERCENT', percent_off: 10, effect: 'APPLY_TO_ORDER' } }, 1),
  );
  world.vouchers.push({
    ...standaloneVoucher(world, WELL_KNOWN.inactiveCode, 'DISCOUNT_VOUCHER', { discount: { type: 'AMOUNT', amount_off: 1500, effect: 'APPLY_TO_ORDER' } }, 1),
    active: false,
    additional_info: 'Deactivated: QA fixture for publishing an inactive voucher',
  });
  const { faker } = world;
  const extras: Array<[VoucherType, CampaignValue, number | null]> = [
    ['DISCOUNT_VOUCHER', { discount: { type: 'PERCENT', percent_off: faker.number.int({ min: 1, max: 9 }) * 5, effect: 'APPLY_TO_ORDER' } }, 1],
    ['DISCOUNT_VOUCHER', { discount: { type: 'AMOUNT', amount_off: faker.number.int({ min: 1, max: 20 }) * 100, effect: 'APPLY_TO_ORDER' } }, null],
    ['GIFT_VOUCHER', { gift: { amount: 2000, balance: 2000, effect: 'APPLY_TO_ORDER' } }, null],
    ['LOYALTY_CARD', { loyalty_card: { points: 0, balance: 0 } }, null],
  ];
  for (const [type, value, quantity] of extras) {
    world.vouchers.push(standaloneVoucher(world, world.code({ length: 8 }), type, value, quantity));
  }
}

/** ALREADY-PUBLISHED: a voucher of the amount campaign held by a faker customer. No publication record (Fixtures has none). */
function addAlreadyPublished(world: WorldBuilder, campaign: CampaignRecord, holder: CustomerRecord): void {
  world.codes.add(WELL_KNOWN.alreadyPublishedCode);
  const created_at = new Date(Date.parse(campaign.created_at) + 1000).toISOString();
  world.vouchers.push({
    ...campaignVoucher(campaign, world.id('v_', 32), WELL_KNOWN.alreadyPublishedCode, created_at, undefined),
    holder_id: holder.id,
    publish_count: 1,
    updated_at: world.between(created_at),
  });
}

/** The default world: the documentation's example plus a seeded shop (see mocks/README.md). */
export function generateFixtures(seed: number, now: string): Fixtures {
  const nowMs = parseNow(now);
  const world = new WorldBuilder(newFaker(EXAMPLE_WORLD_SEED, nowMs), nowMs);
  addExampleWorld(world);

  world.use(newFaker(seed, nowMs));
  addCustomers(world);
  let amountCampaign: CampaignRecord | undefined;
  for (const plan of wellKnownPlans()) {
    const campaign = addCampaign(world, plan);
    if (plan.name === WELL_KNOWN.amountCampaignName) amountCampaign = campaign;
  }
  for (const plan of fakerPlans(world)) addCampaign(world, plan);
  const holder = world.customers[1];
  if (!amountCampaign || !holder) throw new Error('generateFixtures: the amount campaign and a faker customer must exist');
  addAlreadyPublished(world, amountCampaign, holder);
  addStandaloneVouchers(world);

  return {
    campaigns: world.campaigns,
    vouchers: world.vouchers,
    customers: world.customers,
    publication_metadata: { year: 'number' },
    integration_keys: [],
    client_keys: [],
  };
}
