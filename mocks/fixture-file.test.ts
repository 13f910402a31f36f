/**
 * The fixture-file format: the README's example loads into the expected world,
 * the same file always gives the same ids, and every kind of bad file is
 * refused with a message naming the file, the JSON pointer and the problem.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadSpec } from '../src/openapi/spec-document';
import { SchemaCompiler } from '../src/openapi/schema-compiler';
import type { VoucherRecord } from '../src/domain/records';
import { DEFAULT_TIMESTAMP, FixtureFileError, loadFixtureFile } from './fixture-file';
import fileSchema from './fixture-file.schema.json';
import { parse } from 'yaml';

const EXAMPLE = join(__dirname, 'example-fixtures.yaml');
const example = loadFixtureFile(EXAMPLE);
const compiler = new SchemaCompiler(undefined, { allErrors: true });
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fixture-file-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function voucher(code: string): VoucherRecord {
  const found = example.vouchers.find((v) => v.code === code);
  if (!found) throw new Error(`no voucher ${code}`);
  return found;
}

function campaignId(name: string): string | undefined {
  return example.campaigns.find((c) => c.name === name)?.id;
}

describe('loadFixtureFile: the example file (mocks/example-fixtures.yaml)', () => {
  it('loads its 5 campaigns, 12 vouchers, 2 customers, metadata types and integration keys', () => {
    expect(example.campaigns.map((c) => c.name)).toEqual(['Summer Sale', 'Newsletter Codes', 'Gift Cards', 'Loyalty Club', 'Refer a Friend']);
    expect(example.vouchers).toHaveLength(12);
    expect(example.customers.map((c) => c.source_id)).toEqual(['alice', 'bob']);
    expect(example.publication_metadata).toEqual({ year: 'number' });
    expect(example.integration_keys).toEqual([{ app_id: 'qa-app', app_token: 'qa-secret' }]);
  });

  it.each<[string, () => unknown, unknown]>([
    ['a PERCENT discount gets effect APPLY_TO_ORDER by default', () => example.campaigns[0]?.discount, { type: 'PERCENT', percent_off: 20, effect: 'APPLY_TO_ORDER' }],
    ['a gift card’s balance defaults to its amount, effect to APPLY_TO_ORDER', () => example.campaigns[2]?.gift, { amount: 5000, balance: 5000, effect: 'APPLY_TO_ORDER' }],
    ['a loyalty card’s balance defaults to its points', () => example.campaigns[3]?.loyalty_card, { points: 100, balance: 100 }],
    ['a discount campaign allows 1 redemption per code by default', () => example.campaigns[0]?.redemption_quantity, 1],
    ['a gift campaign allows unlimited redemptions by default', () => example.campaigns[2]?.redemption_quantity, null],
    ['dates are kept as ISO timestamps', () => [example.campaigns[0]?.start_date, example.campaigns[0]?.expiration_date], ['2024-06-01T00:00:00.000Z', '2030-08-31T23:59:59.999Z']],
    ['undated records are created at the fixed default date', () => example.campaigns[1]?.created_at, DEFAULT_TIMESTAMP],
    ['the auto-update campaign keeps its code_config', () => example.campaigns[1]?.code_config, { prefix: 'NEWS-', pattern: '####', charset: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789' }],
    ['a listed code belongs to its campaign, unpublished', () => voucher('SUMMER-A1'), expect.objectContaining({ campaign_id: campaignId('Summer Sale'), holder_id: null, publish_count: 0, active: true })],
    ['a referral campaign’s codes are referral codes', () => voucher('REF-ALICE').is_referral_code, true],
    ['a standalone voucher has campaign_id null', () => voucher('WELCOME-5'), expect.objectContaining({ campaign_id: null, type: 'DISCOUNT_VOUCHER', discount: { type: 'AMOUNT', amount_off: 500, effect: 'APPLY_TO_ORDER' } })],
    ['active: false makes an inactive voucher', () => voucher('OLD-PROMO').active, false],
    [
      'a voucher with a holder starts published to that customer, with its campaign’s value',
      () => voucher('SUMMER-TAKEN'),
      expect.objectContaining({ holder_id: example.customers[0]?.id, publish_count: 1, discount: { type: 'PERCENT', percent_off: 20, effect: 'APPLY_TO_ORDER' } }),
    ],
  ])('%s', (_, actual, expected) => {
    expect(actual()).toEqual(expected);
  });

  it('`generate: 2` makes two codes from the campaign’s code_config', () => {
    const generated = example.vouchers.filter((v) => v.campaign_id === campaignId('Newsletter Codes'));
    expect(generated).toHaveLength(2);
    for (const v of generated) expect(v.code).toMatch(/^NEWS-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{4}$/);
  });

  it('loading the same file twice gives deep-equal worlds (ids and generated codes derived from names and codes)', () => {
    expect(loadFixtureFile(EXAMPLE)).toEqual(example);
  });

  it('derived ids have the documented shapes: camp_ + 24, v_ + 32, cust_ + 24 alphanumerics', () => {
    for (const c of example.campaigns) expect(c.id).toMatch(/^camp_[A-Za-z0-9]{24}$/);
    for (const v of example.vouchers) expect(v.id).toMatch(/^v_[A-Za-z0-9]{32}$/);
    for (const c of example.customers) expect(c.id).toMatch(/^cust_[A-Za-z0-9]{24}$/);
  });

  it('every voucher’s value passes the spec’s Discount, Gift or LoyaltyCard schema', () => {
    const validators = { discount: compiler.component('Discount'), gift: compiler.component('Gift'), loyalty_card: compiler.component('LoyaltyCard') };
    for (const v of example.vouchers) {
      for (const key of ['discount', 'gift', 'loyalty_card'] as const) {
        const value = v[key];
        if (value !== null) expect([v.code, key, validators[key](value)]).toEqual([v.code, key, true]);
      }
    }
  });

  it('the same world written as JSON loads identically', () => {
    const json = write('example.json', JSON.stringify(parse(readFileSync(EXAMPLE, 'utf8'))));
    expect(loadFixtureFile(json)).toEqual(example);
  });

  it('explicit ids are kept, and a voucher may name its campaign by id', () => {
    const path = write(
      'ids.yaml',
      stringify({
        campaigns: [{ id: 'camp_abcdefghijklmnopqrstuvwx', name: 'C', type: 'LOYALTY_CARD', loyalty_card: { points: 5, balance: 3 } }],
        vouchers: [{ id: 'v_0123456789abcdef0123456789abcdef', code: 'L-1', campaign: 'camp_abcdefghijklmnopqrstuvwx' }],
        customers: [{ id: 'cust_abcdefghijklmnopqrstuvwx', name: 'Only An Id' }],
      }),
    );
    const fixtures = loadFixtureFile(path);
    expect(fixtures.vouchers[0]).toMatchObject({ id: 'v_0123456789abcdef0123456789abcdef', campaign_id: 'camp_abcdefghijklmnopqrstuvwx', type: 'LOYALTY_CARD', loyalty_card: { points: 5, balance: 3 } });
    expect(fixtures.customers[0]).toMatchObject({ id: 'cust_abcdefghijklmnopqrstuvwx', source_id: null });
  });

  it('a JSON file may name its schema with $schema (for editors)', () => {
    const path = write('with-schema.json', JSON.stringify({ $schema: './fixture-file.schema.json', customers: [{ source_id: 'a' }] }));
    expect(loadFixtureFile(path).customers).toHaveLength(1);
  });

  it('an empty mapping is an empty world', () => {
    expect(loadFixtureFile(write('empty-map.yaml', '{}\n'))).toEqual({ campaigns: [], vouchers: [], customers: [], publication_metadata: {}, integration_keys: [], client_keys: [] });
  });

  it('client_keys are loaded as given, with and without allowed_origins', () => {
    const keys = [
      { app_id: 'shop-app', app_token: 'shop-secret', allowed_origins: ['https://shop.example', 'http://localhost:5173'] },
      { app_id: 'any-origin-app', app_token: 'secret' },
    ];
    expect(loadFixtureFile(write('client-keys.yaml', stringify({ client_keys: keys }))).client_keys).toEqual(keys);
  });

  it('the README shows the example file verbatim', () => {
    const readme = readFileSync(join(__dirname, 'README.md'), 'utf8');
    expect(readme).toContain(readFileSync(EXAMPLE, 'utf8').trimEnd());
  });

  it('the file schema’s voucher types are the spec’s VoucherType', () => {
    expect(fileSchema.$defs.voucherType.enum).toEqual((loadSpec().components.schemas.VoucherType as { enum: string[] }).enum);
  });
});

const discount = { type: 'AMOUNT', amount_off: 100 };
const campaign = { name: 'C', type: 'DISCOUNT_VOUCHER', discount };

/** [behaviour, file content (an object is written as YAML), the message expected after "fixtures.yaml: "]. */
const badFiles: Array<[string, unknown, string | RegExp]> = [
  ['an unknown campaign type', { campaigns: [{ ...campaign, type: 'COUPON' }] }, '/campaigns/0/type must be one of DISCOUNT_VOUCHER, GIFT_VOUCHER, LOYALTY_CARD'],
  ['a campaign without a name', { campaigns: [{ type: 'DISCOUNT_VOUCHER', discount }] }, '/campaigns/0/name is required'],
  ['a discount campaign without its discount', { campaigns: [{ name: 'C', type: 'DISCOUNT_VOUCHER' }] }, '/campaigns/0/discount is required'],
  ['a gift campaign without its gift', { campaigns: [{ name: 'G', type: 'GIFT_VOUCHER' }] }, '/campaigns/0/gift is required'],
  ['a loyalty program without its loyalty_card', { campaigns: [{ name: 'L', type: 'LOYALTY_CARD' }] }, '/campaigns/0/loyalty_card is required'],
  ['a value of another type', { campaigns: [{ ...campaign, gift: { amount: 1 } }] }, '/campaigns/0/gift is not allowed for type DISCOUNT_VOUCHER (its value goes in discount)'],
  ['an unknown top-level property', { campaign: [] }, '/campaign is not a known property (known: $schema, campaigns, vouchers, customers, publication_metadata, integration_keys, client_keys)'],
  ['a misspelt campaign property', { campaigns: [{ ...campaign, auto_updte: true }] }, '/campaigns/0/auto_updte is not a known property (known: id, name, type,'],
  ['an unknown discount type', { campaigns: [{ ...campaign, discount: { type: 'BOGO' } }] }, '/campaigns/0/discount/type must be one of AMOUNT, UNIT, PERCENT, FIXED'],
  ['a discount without its type', { campaigns: [{ ...campaign, discount: { amount_off: 1 } }] }, '/campaigns/0/discount/type is required'],
  ['a percent that is not a number (the spec’s DiscountPercent)', { campaigns: [{ ...campaign, discount: { type: 'PERCENT', percent_off: 'ten' } }] }, '/campaigns/0/discount/percent_off must be number'],
  ['a discount property the spec does not know', { campaigns: [{ ...campaign, discount: { ...discount, amount: 5 } }] }, '/campaigns/0/discount/amount is not a known property (known: type, amount_off, amount_off_formula, aggregated_amount_limit, effect, is_dynamic)'],
  ['a UNIT discount without its unit_type', { campaigns: [{ ...campaign, discount: { type: 'UNIT', unit_off: 1, effect: 'ADD_MISSING_ITEMS' } }] }, '/campaigns/0/discount/unit_type is required'],
  ['a UNIT discount with units, one without its effect (the spec’s DiscountUnitMultiple)', { campaigns: [{ ...campaign, discount: { type: 'UNIT', effect: 'ADD_MANY_ITEMS', units: [{ unit_off: 1, unit_type: 'prod_1' }] } }] }, '/campaigns/0/discount/units/0/effect is required'],
  ['a gift effect the spec does not know (the spec’s Gift)', { campaigns: [{ name: 'G', type: 'GIFT_VOUCHER', gift: { amount: 1, effect: 'APPLY_TO_SHIPPING' } }] }, '/campaigns/0/gift/effect must be one of APPLY_TO_ORDER, APPLY_TO_ITEMS'],
  ['fractional loyalty points (the spec’s LoyaltyCard)', { campaigns: [{ name: 'L', type: 'LOYALTY_CARD', loyalty_card: { points: 1.5 } }] }, '/campaigns/0/loyalty_card/points must be integer'],
  ['a day of week beyond Saturday', { campaigns: [{ ...campaign, validity_day_of_week: [1, 7] }] }, '/campaigns/0/validity_day_of_week/1 must be one of 0, 1, 2, 3, 4, 5, 6'],
  ['a validity_timeframe property the spec does not know', { campaigns: [{ ...campaign, validity_timeframe: { interval: 'P1D', every: 'day' } }] }, '/campaigns/0/validity_timeframe/every is not a known property'],
  ['a timestamp that is not one', { campaigns: [{ ...campaign, created_at: 'last tuesday' }] }, '/campaigns/0/created_at must match format "date-time"'],
  ['an expiration before the start', { campaigns: [{ ...campaign, start_date: '2024-02-01T00:00:00Z', expiration_date: '2024-01-01T00:00:00Z' }] }, '/campaigns/0/expiration_date is before start_date'],
  ['a campaign id not in the API’s shape', { campaigns: [{ ...campaign, id: 'campaign-1' }] }, '/campaigns/0/id must match pattern "^camp_[A-Za-z0-9]+$"'],
  ['a code_config pattern without #', { campaigns: [{ ...campaign, code_config: { pattern: 'FIXED' } }] }, '/campaigns/0/code_config/pattern must match pattern "#"'],
  ['a code with a space', { campaigns: [{ ...campaign, codes: ['A B'] }] }, '/campaigns/0/codes/0 must match pattern "^\\S+$"'],
  // Fields that drive work are bounded: a charset over 256 characters once made the next generated code loop forever.
  ['a charset of more than 256 characters', { campaigns: [{ ...campaign, auto_update: true, code_config: { charset: Array.from({ length: 300 }, (_, i) => String.fromCharCode(0x100 + i)).join('') } }] }, '/campaigns/0/code_config/charset must NOT have more than 256 characters'],
  ['a charset naming a character twice', { campaigns: [{ ...campaign, code_config: { charset: 'ABCA' } }] }, '/campaigns/0/code_config/charset names "A" twice: each character of a charset must be distinct'],
  ['a charset with whitespace', { campaigns: [{ ...campaign, code_config: { charset: 'AB C' } }] }, '/campaigns/0/code_config/charset must match pattern'],
  ['a charset with a character outside the BMP (drawn as two halves)', { campaigns: [{ ...campaign, code_config: { charset: 'AB\u{1F600}' } }] }, '/campaigns/0/code_config/charset must match pattern'],
  ['a code length of a million', { campaigns: [{ ...campaign, code_config: { length: 1_000_000 } }] }, '/campaigns/0/code_config/length must be <= 64'],
  ['a pattern of 65 characters', { campaigns: [{ ...campaign, code_config: { pattern: '#'.repeat(65) } }] }, '/campaigns/0/code_config/pattern must NOT have more than 64 characters'],
  ['a prefix of 33 characters', { campaigns: [{ ...campaign, code_config: { prefix: 'P'.repeat(33) } }] }, '/campaigns/0/code_config/prefix must NOT have more than 32 characters'],
  ['a code of 129 characters', { campaigns: [{ ...campaign, codes: ['C'.repeat(129)] }] }, '/campaigns/0/codes/0 must NOT have more than 128 characters'],
  ['a generate count over 10000', { campaigns: [{ ...campaign, generate: 10_001 }] }, '/campaigns/0/generate must be <= 10000'],
  ['more generated codes than the code_config can make', { campaigns: [{ ...campaign, code_config: { pattern: '#', charset: 'A' }, generate: 2 }] }, '/campaigns/0/generate cannot make 2 unique codes from code_config'],
  ['two campaigns with one name', { campaigns: [campaign, campaign] }, '/campaigns/1/name campaign name "C" is used twice (first at /campaigns/0/name)'],
  ['a code used in two campaigns', { campaigns: [{ ...campaign, codes: ['DUP'] }, { ...campaign, name: 'D', codes: ['DUP'] }] }, '/campaigns/1/codes/0 code "DUP" is used twice (first at /campaigns/0/codes/0)'],
  ['a code in a campaign and in vouchers', { campaigns: [{ ...campaign, codes: ['DUP'] }], vouchers: [{ code: 'DUP', campaign: 'C' }] }, '/vouchers/0/code code "DUP" is used twice (first at /campaigns/0/codes/0)'],
  ['an id used twice', { campaigns: [{ ...campaign, id: 'camp_x' }, { ...campaign, name: 'D', id: 'camp_x' }] }, '/campaigns/1/id id "camp_x" is used twice (first at /campaigns/0/id)'],
  ['a voucher whose campaign does not exist', { campaigns: [campaign], vouchers: [{ code: 'X', campaign: 'Nope' }] }, '/vouchers/0/campaign "Nope" names no campaign of this file (by name or id); known: C'],
  ['a voucher whose type differs from its campaign’s', { campaigns: [campaign], vouchers: [{ code: 'X', campaign: 'C', type: 'GIFT_VOUCHER', gift: { amount: 1 } }] }, '/vouchers/0/type is GIFT_VOUCHER but its campaign "C" is DISCOUNT_VOUCHER'],
  ['a voucher with a value its campaign’s type cannot take', { campaigns: [campaign], vouchers: [{ code: 'X', campaign: 'C', gift: { amount: 1 } }] }, '/vouchers/0/gift is not allowed: its campaign "C" is DISCOUNT_VOUCHER (its value goes in discount)'],
  ['a standalone voucher without a type', { vouchers: [{ code: 'X', discount }] }, '/vouchers/0/type is required'],
  ['a standalone voucher without its value', { vouchers: [{ code: 'X', type: 'GIFT_VOUCHER' }] }, '/vouchers/0/gift is required'],
  ['a voucher without a code', { vouchers: [{ type: 'DISCOUNT_VOUCHER', discount }] }, '/vouchers/0/code is required'],
  ['a holder who is not a customer of the file', { vouchers: [{ code: 'X', type: 'DISCOUNT_VOUCHER', discount, holder: 'ghost' }] }, '/vouchers/0/holder "ghost" names no customer of this file (by source_id or id)'],
  ['two customers known only by the same name (their derived ids collide)', { customers: [{ name: 'Ann' }, { name: 'Ann' }] }, /\/customers\/1 id "cust_[A-Za-z0-9]{24}" is used twice \(first at \/customers\/0\): derived ids come from/],
  ['two customers with one source_id', { customers: [{ source_id: 'a' }, { source_id: 'a' }] }, '/customers/1/source_id customer source_id "a" is used twice (first at /customers/0/source_id)'],
  ['a customer email that is not one', { customers: [{ source_id: 'a', email: 'not-an-email' }] }, '/customers/0/email must match format "email"'],
  ['an empty customer', { customers: [{}] }, '/customers/0 must not be empty'],
  ['a customer address field the spec does not know', { customers: [{ source_id: 'a', address: { street: 'x' } }] }, '/customers/0/address/street is not a known property'],
  ['an unknown publication metadata type', { publication_metadata: { year: 'integer' } }, '/publication_metadata/year must be one of string, number, boolean, object, array'],
  ['an integration key without its token', { integration_keys: [{ app_id: 'a' }] }, '/integration_keys/0/app_token is required'],
  ['a client key without its token', { client_keys: [{ app_id: 'a' }] }, '/client_keys/0/app_token is required'],
  ['a client key origin with a path', { client_keys: [{ app_id: 'a', app_token: 't', allowed_origins: ['https://shop.example/checkout'] }] }, '/client_keys/0/allowed_origins/0 must match pattern'],
  ['a client app_id used twice', { client_keys: [{ app_id: 'a', app_token: 't' }, { app_id: 'a', app_token: 'u' }] }, '/client_keys/1/app_id client app_id "a" is used twice (first at /client_keys/0/app_id)'],
  ['a list instead of a mapping', [], '/ must be object'],
];

describe('loadFixtureFile: bad files are refused with the file, the JSON pointer and the problem', () => {
  it.each(badFiles)('%s', (_, content, message) => {
    const path = write('fixtures.yaml', stringify(content));
    expect(() => loadFixtureFile(path)).toThrow(FixtureFileError);
    const text = typeof message === 'string' ? message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : message.source;
    // Each problem is `file:line:column: /pointer what is wrong` (the file is YAML made by stringify, so there is always a position).
    expect(() => loadFixtureFile(path)).toThrow(new RegExp(`fixtures\\.yaml:\\d+:\\d+: ${text}`));
  });

  it.each<[string, string, string, string]>([
    ['YAML that does not parse', 'fixtures.yaml', 'campaigns: [\n', 'fixtures.yaml:2:1: / is not valid YAML'],
    ['JSON that does not parse', 'fixtures.json', '{"campaigns": ', 'fixtures.json:1:15: / is not valid JSON: expected a value, found the end of the file'],
    ['an empty file', 'fixtures.yml', '', 'fixtures.yml: / is empty'],
  ])('%s', (_, name, content, message) => {
    expect(() => loadFixtureFile(write(name, content))).toThrow(message);
  });

  it('a file that does not exist', () => {
    expect(() => loadFixtureFile(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml: \/ cannot be read: ENOENT/);
  });

  it('every problem of a file is listed, one per line', () => {
    const path = write('fixtures.yaml', stringify({ campaigns: [{ type: 'COUPON' }], customers: [{}] }));
    expect(() => loadFixtureFile(path)).toThrow(/campaigns\/0\/name is required\n.*campaigns\/0\/type must be one of .*\n.*customers\/0 must not be empty/);
  });

  it('the error lists its problems as data too', () => {
    const path = write('fixtures.yaml', stringify({ vouchers: [{ code: 'X', campaign: 'Nope' }] }));
    try {
      loadFixtureFile(path);
      throw new Error('expected a FixtureFileError');
    } catch (error) {
      expect(error).toBeInstanceOf(FixtureFileError);
      expect((error as FixtureFileError).file).toBe(path);
      expect((error as FixtureFileError).problems).toEqual([{ pointer: '/vouchers/0/campaign', message: '"Nope" names no campaign of this file (by name or id)', line: 3, column: 15 }]);
    }
  });
});

describe('loadFixtureFile: every problem in one pass, each with its line and column', () => {
  /** Each problem as `line:column pointer message-start`, in the order reported. */
  function problemsOf(name: string, content: string): string[] {
    try {
      loadFixtureFile(write(name, content));
    } catch (error) {
      if (!(error instanceof FixtureFileError)) throw error;
      return error.problems.map((p) => `${p.line}:${p.column} ${p.pointer || '/'} ${p.message}`);
    }
    throw new Error('expected a FixtureFileError');
  }

  // Shape problems (an unknown property, a bad enum), an API value the spec refuses, and cross-references, all in one file.
  const YAML_FILE = [
    'campaigns:', //                                                 1
    '  - name: Summer', //                                           2
    '    type: COUPON', //                                           3
    '    auto_updte: true', //                                       4
    '  - name: Percent', //                                          5
    '    type: DISCOUNT_VOUCHER', //                                 6
    '    discount: { type: PERCENT, percent_off: twenty }', //       7
    '    codes: [DUP]', //                                           8
    '    code_config: { pattern: "#", charset: AB }', //             9
    '    generate: 3', //                                            10
    'vouchers:', //                                                  11
    '  - code: DUP', //                                              12
    '    campaign: Nope', //                                         13
    '  - campaign: Percent', //                                      14
    'customers:', //                                                 15
    '  - {}', //                                                     16
    '',
  ].join('\n');

  it('a YAML file: shape, API values and cross-references together, at the right places', () => {
    const problems = problemsOf('one-pass.yaml', YAML_FILE);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^3:11 \/campaigns\/0\/type must be one of DISCOUNT_VOUCHER/),
        expect.stringMatching(/^4:5 \/campaigns\/0\/auto_updte is not a known property/),
        expect.stringMatching(/^14:5 \/vouchers\/1\/code is required/),
        expect.stringMatching(/^16:5 \/customers\/0 must not be empty/),
        expect.stringMatching(/^7:45 \/campaigns\/1\/discount\/percent_off must be number/),
        expect.stringMatching(/^10:15 \/campaigns\/1\/generate cannot make 3 unique codes from code_config \{"pattern":"#","charset":"AB"\}: it makes at most 2/),
        expect.stringMatching(/^12:11 \/vouchers\/0\/code code "DUP" is used twice \(first at \/campaigns\/1\/codes\/0\)/),
        expect.stringMatching(/^13:15 \/vouchers\/0\/campaign "Nope" names no campaign of this file/),
      ]),
    );
    expect(problems).toHaveLength(8);
  });

  it('the same file as JSON: the same problems, each at its place in the JSON text', () => {
    const json = JSON.stringify(parse(YAML_FILE), null, 2);
    const lines = json.split('\n');
    const found = problemsOf('one-pass.json', json).map((problem) => {
      const [, line, column, pointer] = /^(\d+):(\d+) (\S+)/.exec(problem)!;
      return [pointer, lines[Number(line) - 1]!.slice(Number(column) - 1, Number(column) - 1 + 12)];
    });
    // A value's problem is at the value, an unknown property's at its name, a missing property's at the object that lacks it.
    expect(new Map(found as Array<[string, string]>)).toEqual(
      new Map([
        ['/campaigns/0/type', '"COUPON",'],
        ['/campaigns/0/auto_updte', '"auto_updte"'],
        ['/vouchers/1/code', '{'],
        ['/customers/0', '{}'],
        ['/campaigns/1/discount/percent_off', '"twenty"'],
        ['/campaigns/1/generate', '3'],
        ['/vouchers/0/code', '"DUP",'],
        ['/vouchers/0/campaign', '"Nope"'],
      ]),
    );
  });

  it.each<[string, string, string]>([
    ['a value missing before }', '{\n  "campaigns": [],\n  "customers": }\n', '3:16 / is not valid JSON: expected a value, found \'}\''],
    ['a trailing comma', '{\n  "customers": [\n    { "source_id": "a" },\n  ]\n}\n', '4:3 / is not valid JSON: a trailing comma before \']\' is not allowed in JSON'],
    ['a missing comma between properties', '{\n  "campaigns": []\n  "customers": []\n}\n', '3:3 / is not valid JSON: expected \',\' or \'}\' after a property value, found \'"\''],
    ['single quotes', "{ 'campaigns': [] }", '1:3 / is not valid JSON: expected a property name in double quotes, found \'\'\''],
    ['an unterminated string', '{\n  "campaigns": [],\n  "customers": [{ "name": "Ann }]\n}\n', '3:27 / is not valid JSON: the string that starts here has no closing quote'],
    ['text after the value', '{ "campaigns": [] }\n{}', '2:1 / is not valid JSON: unexpected \'{\' after the end of the JSON value'],
  ])('invalid JSON (%s) names the line and column', (_name, content, expected) => {
    expect(problemsOf('broken.json', content)).toEqual([expected]);
  });

  it.each<[string, string, string]>([
    ['a line indented deeper than its siblings', 'campaigns:\n  - name: X\n    type: DISCOUNT_VOUCHER\n      discount: { type: PERCENT, percent_off: 5 }\n', '4:7 / is not valid YAML: this line is indented deeper than the line above allows'],
    ['a line indented less than its siblings', 'campaigns:\n  - name: X\n    type: DISCOUNT_VOUCHER\n   discount: { type: PERCENT, percent_off: 5 }\n', '4:4 / is not valid YAML: Sequence item without - indicator'],
    ['a list item out of line', 'campaigns:\n  - name: X\n    codes:\n      - A\n     - B\n', '5:6 / is not valid YAML: A block sequence may not be used as an implicit map key'],
    ['a quote never closed', 'campaigns:\n  - name: "Summer\n    type: GIFT_VOUCHER\n', '2:11 / is not valid YAML: the string that starts here has no closing "'],
    ['a tab as indentation', 'customers:\n\t- source_id: a\n', '2:1 / is not valid YAML: Tabs are not allowed as indentation'],
  ])('a YAML slip (%s) is reported on the line that holds it', (_name, content, expected) => {
    const [problem] = problemsOf('broken.yaml', content);
    expect(problem!.startsWith(expected)).toBe(true);
  });
});
