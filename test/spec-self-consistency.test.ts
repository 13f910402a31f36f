/**
 * The spec accepts its own examples and the documentation's evidence, and
 * refuses what the API would never send: these tables pin its strictness.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaCompiler } from '../src/spec/schema-compiler';
import { explainErrors, formatViolation } from '../src/spec/explain-errors';
import { listOperations, querySchema } from '../src/spec/operations';
import { type JsonSchema, loadSpec } from '../src/spec/spec-document';

// validateSchema: every schema of the spec is also checked against the JSON Schema 2020-12 meta-schema.
const compiler = new SchemaCompiler(loadSpec(), { allErrors: true, validateSchema: true });
const operations = [...listOperations().values()];

function violations(schema: JsonSchema, value: unknown): string[] {
  const validate = compiler.compile(schema);
  return validate(value) ? [] : explainErrors(validate.errors, compiler).map(formatViolation);
}

const seedEvidence = JSON.parse(
  readFileSync(join(__dirname, '..', 'spec', 'evidence', 'seed-create-publication-response.json'), 'utf8'),
) as Record<string, unknown>;
const createFromQuery = listOperations().get('createPublicationFromQuery')!;
const publicationSchema = createFromQuery.responses.get(200)!.schema!;

describe('every example in the spec validates against its own schema', () => {
  const responseExamples = operations.flatMap((op) =>
    [...op.responses.values()].flatMap((r) =>
      Object.entries(r.examples).map(
        ([name, value]) => [`${op.operationId} ${r.status} example "${name}"`, r.schema!, value] as const,
      ),
    ),
  );
  const bodyExamples = operations.flatMap((op) =>
    Object.entries(op.bodyExamples).map(
      ([name, value]) => [`${op.operationId} request body example "${name}"`, op.bodySchema!, value] as const,
    ),
  );
  const schemaExamples = Object.entries(loadSpec().components.schemas).flatMap(([name, schema]) =>
    ((schema.examples as unknown[] | undefined) ?? []).map(
      (value, i) => [`schema ${name} examples[${i}]`, schema, value] as const,
    ),
  );
  const all = [...responseExamples, ...bodyExamples, ...schemaExamples];

  it('has examples to check', () => {
    expect(responseExamples.length).toBeGreaterThanOrEqual(20);
    expect(bodyExamples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(all)('%s', (_name, schema, value) => {
    expect(violations(schema, value)).toEqual([]);
  });
});

describe('the documentation evidence', () => {
  it('the seed example response is the 200 example of GET /v1/publications/create, verbatim', () => {
    expect(createFromQuery.responses.get(200)!.examples.seed).toEqual(seedEvidence);
  });

  const seedDir = join(__dirname, '..', '..', 'shared', 'seed');
  const seedFile = existsSync(seedDir) ? readdirSync(seedDir).find((f) => f.endsWith('.txt')) : undefined;
  (seedFile ? it : it.skip)("the evidence file holds the seed page's example byte for byte (as JSON)", () => {
    const text = readFileSync(join(seedDir, seedFile!), 'utf8');
    // The page's example is the first balanced {...} block that starts a line.
    const start = text.indexOf('\n{') + 1;
    let depth = 0;
    let end = start;
    for (; end < text.length; end++) {
      if (text[end] === '{') depth++;
      if (text[end] === '}' && --depth === 0) break;
    }
    expect(JSON.parse(text.slice(start, end + 1))).toEqual(seedEvidence);
  });

  it('the seed example validates strictly', () => {
    expect(violations(publicationSchema, seedEvidence)).toEqual([]);
  });
});

// A document each case breaks freely, out of any shape a type could hold.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mutated into invalid shapes on purpose
type LooseDoc = any;
type Mutation = [name: string, mutate: (doc: LooseDoc) => void, pointer: string];

const clone = (): LooseDoc => structuredClone(seedEvidence);
const category = () => ({
  id: 'cat_0bb343dee3cdb5ec0c',
  name: 'First',
  hierarchy: 1,
  created_at: '2022-09-16T11:47:19.568Z',
  object: 'category',
});
const summary = () => ({
  redemptions: {
    total_redeemed: 0,
    total_failed: 0,
    total_succeeded: 0,
    total_rolled_back: 0,
    total_rollback_failed: 0,
    total_rollback_succeeded: 0,
    gift: { redeemed_amount: 0, amount_to_go: 0 },
    loyalty_card: { redeemed_points: 0, points_to_go: 0 },
  },
  orders: { total_amount: 0, total_count: 0, average_amount: 0, last_order_amount: 0 },
});

describe('mutated copies of the seed example fail, naming the place', () => {
  const cases: Mutation[] = [
    ['an unknown field at the root', (d) => (d.extra = 1), '/extra'],
    ['an unknown field in customer', (d) => (d.customer.tier = 'gold'), '/customer/tier'],
    [
      'an unknown field in customer.summary',
      (d) => (d.customer.summary = { ...summary(), lifetime_value: 1 }),
      '/customer/summary/lifetime_value',
    ],
    ['an unknown field in voucher', (d) => (d.voucher.barcode_url = 'x'), '/voucher/barcode_url'],
    ['an unknown field in voucher.discount', (d) => (d.voucher.discount.unit_off = 1), '/voucher/discount/unit_off'],
    [
      'an unknown field in a voucher category',
      (d) => (d.voucher.categories = [{ ...category(), colour: 'red' }]),
      '/voucher/categories/0/colour',
    ],
    [
      'an unknown field in voucher.gift',
      (d) => (d.voucher.gift = { amount: 1, balance: 1, effect: 'APPLY_TO_ORDER', colour: 'red' }),
      '/voucher/gift/colour',
    ],
    [
      'an unknown field in voucher.loyalty_card',
      (d) => (d.voucher.loyalty_card = { points: 1, balance: 1, tier: 'gold' }),
      '/voucher/loyalty_card/tier',
    ],
    [
      'an unknown field in voucher.validity_timeframe',
      (d) => (d.voucher.validity_timeframe = { interval: 'P1D', duration: 'PT1H', tz: 'UTC' }),
      '/voucher/validity_timeframe/tz',
    ],
    [
      'an unknown field in voucher.assets',
      (d) => (d.voucher.assets.pdf = { id: 'x', url: 'y' }),
      '/voucher/assets/pdf',
    ],
    ['an unknown field in voucher.assets.qr', (d) => (d.voucher.assets.qr.size = 3), '/voucher/assets/qr/size'],
    [
      'an unknown field in voucher.redemption',
      (d) => (d.voucher.redemption.gift_amount = 0),
      '/voucher/redemption/gift_amount',
    ],
    ['an unknown field in voucher.publish', (d) => (d.voucher.publish.entries = []), '/voucher/publish/entries'],
    ['a missing id', (d) => delete d.id, '/id'],
    ['a missing voucher', (d) => delete d.voucher, '/voucher'],
    ['a missing customer.object', (d) => delete d.customer.object, '/customer/object'],
    ['a missing vouchers_id', (d) => delete d.vouchers_id, '/vouchers_id'],
    ['a missing nullable field (source_id)', (d) => delete d.source_id, '/source_id'],
    [
      'a category without its hierarchy',
      (d) => (d.voucher.categories = [{ ...category(), hierarchy: undefined }]),
      '/voucher/categories/0/hierarchy',
    ],
    ['amount_off as a string', (d) => (d.voucher.discount.amount_off = '300'), '/voucher/discount/amount_off'],
    ['active as a string', (d) => (d.voucher.active = 'true'), '/voucher/active'],
    ['redemption.quantity as a string', (d) => (d.voucher.redemption.quantity = '1'), '/voucher/redemption/quantity'],
    ['vouchers_id as a string', (d) => (d.vouchers_id = d.vouchers_id[0]), '/vouchers_id'],
    ['code as null (not nullable)', (d) => (d.voucher.code = null), '/voucher/code'],
    ['voucher.type outside its enum', (d) => (d.voucher.type = 'COUPON'), '/voucher/type'],
    [
      'discount.effect outside its enum',
      (d) => (d.voucher.discount.effect = 'APPLY_TO_EVERYTHING'),
      '/voucher/discount/effect',
    ],
    ['result outside its values', (d) => (d.result = 'MAYBE'), '/result'],
    ['object outside its value', (d) => (d.voucher.object = 'coupon'), '/voucher/object'],
    ['created_at without a time', (d) => (d.created_at = '2022-09-30'), '/created_at'],
    ['created_at with an impossible month', (d) => (d.created_at = '2022-13-30T16:30:32.924Z'), '/created_at'],
    ['voucher.created_at as prose', (d) => (d.voucher.created_at = 'yesterday'), '/voucher/created_at'],
    ['start_date without milliseconds', (d) => (d.voucher.start_date = '2022-09-30T16:30:32Z'), '/voucher/start_date'],
    ['a customer id without its prefix', (d) => (d.customer_id = 'BB6F97yf0XqCe7hxVUV7M4sS'), '/customer_id'],
    [
      'validity_day_of_week with day 7',
      (d) => (d.voucher.validity_day_of_week = [7]),
      '/voucher/validity_day_of_week/0',
    ],
    [
      'a UNIT discount with both unit_type and units',
      (d) => (d.voucher.discount = { type: 'UNIT', unit_type: 'prod_1', units: [] }),
      '/voucher/discount/units',
    ],
    ['customer.summary as null is fine, as a string is not', (d) => (d.customer.summary = 'none'), '/customer/summary'],
  ];

  it.each(cases)('%s → a violation at its pointer', (_name, mutate, pointer) => {
    const doc = clone();
    mutate(doc);
    const found = violations(publicationSchema, doc);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((line) => line.startsWith(`at ${pointer}:`))).toBe(true);
  });
});

describe('where the spec is deliberately open or nullable', () => {
  const cases: Mutation[] = [
    ['publication metadata takes any key', (d) => (d.metadata.anything = { nested: [1, 2] }), ''],
    ['customer metadata takes any key', (d) => (d.customer.metadata.tier = 'gold'), ''],
    ['voucher metadata takes any key', (d) => (d.voucher.metadata.batch = 7), ''],
    ['channel takes a custom value', (d) => (d.channel = 'newsletter-2026'), ''],
    [
      'gift is an object for a gift card',
      (d) =>
        Object.assign(d.voucher, {
          type: 'GIFT_VOUCHER',
          discount: null,
          gift: { amount: 5000, balance: 5000, effect: 'APPLY_TO_ORDER' },
        }),
      '',
    ],
    [
      'loyalty_card is an object for a loyalty card',
      (d) =>
        Object.assign(d.voucher, { type: 'LOYALTY_CARD', discount: null, loyalty_card: { points: 100, balance: 100 } }),
      '',
    ],
    [
      'a standalone voucher has no campaign',
      (d) => Object.assign(d.voucher, { campaign: null, campaign_id: null }),
      '',
    ],
    ['tracking_id may be left out', (d) => delete d.tracking_id, ''],
    ['source_id may be null', (d) => (d.source_id = null), ''],
    ['redemption.quantity null means unlimited', (d) => (d.voucher.redemption.quantity = null), ''],
    // The vendor marks no voucher property required: a field left out is not drift.
    ['voucher.code may be left out (the vendor requires none of the voucher)', (d) => delete d.voucher.code, ''],
    ["holder_id is left out of an unpublished voucher (the vendor's example)", (d) => delete d.voucher.holder_id, ''],
    ['a missing nullable field (category)', (d) => delete d.voucher.category, ''],
    ['customer.id may be left out (the vendor requires only object)', (d) => delete d.customer.id, ''],
    [
      'the embedded customer may carry summary, loyalty and referrals',
      (d) =>
        Object.assign(d.customer, {
          summary: summary(),
          loyalty: { points: 0, referred_customers: 0, campaigns: {} },
          referrals: { total: 0, campaigns: [] },
        }),
      '',
    ],
    [
      'summary, loyalty and referrals may be null',
      (d) => Object.assign(d.customer, { summary: null, loyalty: null, referrals: null }),
      '',
    ],
    [
      'a voucher carries categories and validation rules assignments',
      (d) =>
        Object.assign(d.voucher, {
          categories: [category()],
          validation_rules_assignments: { object: 'list', data_ref: 'data', data: [], total: 0 },
        }),
      '',
    ],
    [
      'a voucher carries referrer_id and validity_hours',
      (d) =>
        Object.assign(d.voucher, {
          referrer_id: 'cust_Vzck5i8U3OhcEUFY6MKhN9Rv',
          validity_hours: { daily: [{ start_time: '12:00', days_of_week: [1], expiration_time: '14:00' }] },
        }),
      '',
    ],
    [
      'a UNIT discount with several units',
      (d) =>
        (d.voucher.discount = {
          type: 'UNIT',
          effect: 'ADD_MANY_ITEMS',
          units: [{ unit_off: 1, unit_type: 'sku_1', effect: 'ADD_NEW_ITEMS' }],
        }),
      '',
    ],
    [
      'a UNIT discount with ADD_SAME_ITEMS and no unit_off',
      (d) => (d.voucher.discount = { type: 'UNIT', unit_type: 'prod_1', effect: 'ADD_SAME_ITEMS' }),
      '',
    ],
    [
      'an AMOUNT discount by formula, without effect',
      (d) => (d.voucher.discount = { type: 'AMOUNT', amount_off: 200, amount_off_formula: 'IF(1;2;3)' }),
      '',
    ],
    [
      'loyalty_card with pending points',
      (d) =>
        Object.assign(d.voucher, {
          type: 'LOYALTY_CARD',
          discount: null,
          loyalty_card: { points: 1, balance: 1, pending_points: 5 },
        }),
      '',
    ],
    ['redemption with redeemed_points', (d) => (d.voucher.redemption.redeemed_points = 10), ''],
  ];
  it.each(cases)('%s', (_name, mutate) => {
    const doc = clone();
    mutate(doc);
    expect(violations(publicationSchema, doc)).toEqual([]);
  });
});

describe('request schemas', () => {
  const post = listOperations().get('createPublication')!;
  const bodyCases: Array<[string, unknown, boolean]> = [
    ['campaign as a plain name', { campaign: 'Summer', customer: { source_id: 'c1' } }, true],
    [
      "campaign as an object with count 50 (the vendor's maximum)",
      { campaign: { name: 'Summer', count: 50 }, customer: { id: 'cust_1' } },
      true,
    ],
    ['campaign count 51', { campaign: { name: 'Summer', count: 51 }, customer: { id: 'cust_1' } }, false],
    ['campaign count 0', { campaign: { name: 'Summer', count: 0 }, customer: { id: 'cust_1' } }, false],
    ['no customer', { voucher: 'ABC' }, false],
    ['a customer with neither id nor source_id', { voucher: 'ABC', customer: { name: 'Ann' } }, false],
    [
      "an unknown top-level property (ignored, as the vendor's open schema)",
      { voucher: 'ABC', customer: { id: 'cust_1' }, vouchr: 'x' },
      true,
    ],
    [
      "customer.Name, as the vendor's own example sends it",
      { voucher: 'ABC', customer: { source_id: 's', Name: 'Customer Name', email: 'customer email' } },
      true,
    ],
    [
      'join_once in the body, as the JS SDK sends it',
      { campaign: { name: 'Summer' }, customer: { id: 'cust_1' }, join_once: true },
      true,
    ],
    [
      'join_once in the body as a string',
      { campaign: { name: 'Summer' }, customer: { id: 'cust_1' }, join_once: 'yes' },
      false,
    ],
    ['a birthdate that is not a date', { voucher: 'ABC', customer: { id: 'cust_1', birthdate: 'soon' } }, false],
    ['a custom channel', { voucher: 'ABC', customer: { id: 'cust_1' }, channel: 'pos' }, true],
    [
      'open metadata',
      { voucher: 'ABC', customer: { id: 'cust_1', metadata: { a: { b: 1 } } }, metadata: { x: [1] } },
      true,
    ],
  ];
  it.each(bodyCases)('POST body: %s → valid %s', (_name, body, valid) => {
    expect(violations(post.bodySchema!, body).length === 0).toBe(valid);
  });

  const list = listOperations().get('listPublications')!;
  const queryCases: Array<[string, unknown, boolean]> = [
    ['limit 100', { limit: 100 }, true],
    ['limit 101', { limit: 101 }, false],
    ['page 5000 (refused by the rules, not the schema)', { page: 5000 }, true],
    ['an unknown order', { order: 'name' }, false],
    ['filters with junction or', { filters: { junction: 'or', customer_id: { conditions: { $is: 'cust_1' } } } }, true],
    ['filters on an unknown field', { filters: { colour: { conditions: { $is: 'red' } } } }, false],
    ['filters with an unknown operator', { filters: { customer_id: { conditions: { $like: 'x' } } } }, false],
    [
      'filters $contains and $not_contain',
      { filters: { source_id: { conditions: { $contains: 'a', $not_contain: 'b' } } } },
      true,
    ],
    [
      'filters on parent_object_id and related_object_id',
      {
        filters: {
          parent_object_id: { conditions: { $is: 'camp_1' } },
          related_object_id: { conditions: { $in: ['v_1'] } },
        },
      },
      true,
    ],
    ["the SDK's voucher_type GIFT", { voucher_type: 'GIFT' }, true],
    ["the vendor's voucher_type loyalty", { voucher_type: 'loyalty' }, true],
    ['a voucher_type neither documents', { voucher_type: 'gift' }, false],
  ];
  it.each(queryCases)('GET /v1/publications query: %s → valid %s', (_name, query, valid) => {
    expect(violations(querySchema(list), query).length === 0).toBe(valid);
  });
});
