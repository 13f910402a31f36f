/**
 * Loads a user's own world from a JSON or YAML fixture file (format: mocks/README.md,
 * schema: mocks/fixture-file.schema.json). Three checks, each naming the file and
 * the JSON pointer of the problem: the file's shape (our schema, AJV 2020); the
 * API values inside it (discount, gift, loyalty_card, validity, addresses, ids)
 * against the spec's own component schemas, so nothing of the API is restated;
 * and cross-references (codes, names and ids used twice, unknown campaigns or
 * holders). Ids missing from the file are derived from a hash of the name or
 * code, so the same file always gives the same world.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Faker } from '@faker-js/faker';
// The `en` entry alone: the package's main entry loads every locale (~250 ms of a cold start).
import { faker as englishFaker } from '@faker-js/faker/locale/en';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
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
import { type JsonSchema, loadSpec, resolveRef } from '../src/openapi/spec-document';
import { SchemaCompiler } from '../src/openapi/schema-compiler';
import { voucherFromCampaign } from '../src/domain/voucher-from-campaign';
import { FixtureFileError, type FixtureProblem } from './fixture-file-error';
import type { ClientKey, Fixtures, MetadataPropertyType } from './fixtures';
import fileSchema from './fixture-file.schema.json';
import { ALPHANUMERIC, DEFAULT_CODE_LENGTH, codeConfigProblem, makeUniqueCode } from './make-code';
import { type Position, type SyntaxProblem, findJsonSyntaxError, findYamlSyntaxErrors, readPositions } from './source-positions';

export { FixtureFileError, type FixtureProblem } from './fixture-file-error';

/** A mapping (what the checks may read fields of), whatever the shape check said of it. */
const isRecord = (value: unknown): value is object => value !== null && typeof value === 'object' && !Array.isArray(value);
/** A list the checks may walk; anything else (already reported by the shape check) as none. */
const listOf = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);

/** Timestamp of everything the file does not date itself. */
export const DEFAULT_TIMESTAMP = '2024-01-01T00:00:00.000Z';

// The file's shape once our schema accepted it. API value objects stay loose until the spec's schemas check them.
type ValueObject = Record<string, unknown>;

interface FileValues {
  type?: VoucherType;
  discount?: ValueObject;
  gift?: ValueObject;
  loyalty_card?: ValueObject;
  redemption_quantity?: number | null;
  start_date?: string;
  expiration_date?: string;
  validity_timeframe?: ValueObject;
  validity_day_of_week?: unknown[];
  category?: string;
  category_id?: string;
  metadata?: Metadata;
  created_at?: string;
}

interface FileCampaign extends FileValues {
  id?: string;
  name: string;
  type: VoucherType;
  codes?: string[];
  generate?: number;
  code_config?: CodeConfig;
  auto_update?: boolean;
  is_referral?: boolean;
  active?: boolean;
}

interface FileVoucher extends FileValues {
  id?: string;
  code: string;
  campaign?: string;
  active?: boolean;
  holder?: string;
  is_referral_code?: boolean;
  redeemed_quantity?: number;
  additional_info?: string;
}

interface FileCustomer {
  id?: string;
  source_id?: string;
  name?: string;
  email?: string;
  phone?: string;
  description?: string;
  birthdate?: string;
  address?: Record<string, string | null>;
  metadata?: Metadata;
  created_at?: string;
}

interface FixtureFile {
  campaigns?: FileCampaign[];
  vouchers?: FileVoucher[];
  customers?: FileCustomer[];
  publication_metadata?: Record<string, MetadataPropertyType>;
  integration_keys?: Array<{ app_id: string; app_token: string }>;
  client_keys?: ClientKey[];
}

const VALUE_KEY: Record<VoucherType, 'discount' | 'gift' | 'loyalty_card'> = {
  DISCOUNT_VOUCHER: 'discount',
  GIFT_VOUCHER: 'gift',
  LOYALTY_CARD: 'loyalty_card',
};

let fileValidator: ValidateFunction | undefined;
/** Our file schema, compiled once. */
function validateFileShape(data: unknown): ErrorObject[] {
  if (!fileValidator) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false });
    addFormats(ajv);
    fileValidator = ajv.compile(fileSchema);
  }
  return fileValidator(data) ? [] : [...(fileValidator.errors ?? [])];
}

let specCompiler: SchemaCompiler | undefined;
function spec(): SchemaCompiler {
  specCompiler ??= new SchemaCompiler(undefined, { allErrors: true });
  return specCompiler;
}

/** A variant of the spec's `Discount.oneOf`: its component name and the properties it requires. */
interface DiscountVariant {
  component: string;
  required: string[];
}

/** Discount `type` → the spec components that describe it (UNIT has two: one unit, or `units`), read from `Discount.oneOf`. */
let discountKinds: Map<string, DiscountVariant[]> | undefined;
function discountComponents(): Map<string, DiscountVariant[]> {
  if (discountKinds) return discountKinds;
  const doc = loadSpec();
  const variants = (doc.components.schemas.Discount?.oneOf ?? []) as JsonSchema[];
  discountKinds = new Map();
  for (const variant of variants) {
    const ref = variant.$ref;
    if (typeof ref !== 'string') continue;
    const schema = resolveRef<JsonSchema>(doc, variant);
    const typeConst = ((schema.properties as Record<string, JsonSchema> | undefined)?.type as JsonSchema | undefined)?.const;
    if (typeof typeConst !== 'string') continue;
    const forms = discountKinds.get(typeConst) ?? [];
    forms.push({ component: ref.slice(ref.lastIndexOf('/') + 1), required: (schema.required as string[] | undefined) ?? [] });
    discountKinds.set(typeConst, forms);
  }
  return discountKinds;
}

/** The variant a discount means: the first whose required properties it all has, else the first of its type (whose errors then say what is missing). */
function discountVariant(forms: DiscountVariant[], discount: Record<string, unknown>): string | undefined {
  return (forms.find((form) => form.required.every((name) => name in discount)) ?? forms[0])?.component;
}

function valueAt(root: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((node, part) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), root);
}

function escapePointer(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** AJV errors as problems: one per error, pointing at the property concerned, in plain words. */
function describeErrors(errors: ErrorObject[], base: string, root: unknown): FoundProblem[] {
  const problems: FoundProblem[] = [];
  for (const error of errors) {
    const at = `${base}${error.instancePath}`;
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'if':
        continue; // its `then` errors say what is wrong
      case 'required':
        problems.push({ pointer: `${at}/${escapePointer(String(params.missingProperty))}`, message: 'is required' });
        break;
      case 'additionalProperties': {
        const known = Object.keys((error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
        problems.push({
          pointer: `${at}/${escapePointer(String(params.additionalProperty))}`,
          message: `is not a known property${known.length ? ` (known: ${known.join(', ')})` : ''}`,
          at: 'key',
        });
        break;
      }
      case 'enum':
        problems.push({ pointer: at, message: `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}` });
        break;
      case 'const':
        problems.push({ pointer: at, message: `must be ${JSON.stringify(params.allowedValue)}` });
        break;
      case 'false schema': {
        const owner = valueAt(root, at.slice(0, at.lastIndexOf('/')));
        const type = owner !== null && typeof owner === 'object' ? (owner as Record<string, unknown>).type : undefined;
        const expected = typeof type === 'string' && type in VALUE_KEY ? VALUE_KEY[type as VoucherType] : undefined;
        problems.push({ pointer: at, message: `is not allowed for type ${String(type)}${expected ? ` (its value goes in ${expected})` : ''}` });
        break;
      }
      case 'minProperties':
        problems.push({ pointer: at, message: 'must not be empty' });
        break;
      default:
        problems.push({ pointer: at, message: error.message ?? `fails ${error.keyword}` });
    }
  }
  return problems;
}

/** A problem as the checks find it; `at: 'key'` places it on the property's name rather than its value. */
type FoundProblem = FixtureProblem & { at?: 'key' };

/** The file's data, and where each of its nodes is in the text. */
interface FixtureSource {
  data: unknown;
  locate(pointer: string, at: 'key' | 'value'): Position | undefined;
}

function readFixtureFile(path: string): FixtureSource {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new FixtureFileError(path, [{ pointer: '', message: `cannot be read: ${(error as Error).message}` }]);
  }
  const json = extname(path).toLowerCase() === '.json';
  // Syntax first, every error where it is: JSON.parse rarely says where, and yaml puts an indentation slip a line early.
  const syntax: SyntaxProblem[] = json ? [findJsonSyntaxError(text)].filter((p): p is SyntaxProblem => p !== undefined) : findYamlSyntaxErrors(text);
  if (syntax.length > 0) {
    throw new FixtureFileError(
      path,
      syntax.map(({ line, column, message }) => ({ pointer: '', message: `is not valid ${json ? 'JSON' : 'YAML'}: ${message}`, line, column })),
    );
  }
  let data: unknown;
  try {
    data = json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new FixtureFileError(path, [{ pointer: '', message: `is not valid ${json ? 'JSON' : 'YAML'}: ${(error as Error).message}` }]);
  }
  if (data === null || data === undefined) {
    throw new FixtureFileError(path, [{ pointer: '', message: 'is empty: expected a mapping with campaigns, vouchers, customers, publication_metadata, integration_keys or client_keys' }]);
  }
  return { data, ...readPositions(text) };
}

/** `prefix` + `length` alphanumerics derived from `key`: the same key always gives the same id. */
function derivedId(prefix: string, length: number, key: string): string {
  const digest = createHash('sha256').update(key).digest();
  let id = prefix;
  for (let i = 0; i < length; i++) id += ALPHANUMERIC[(digest[i % digest.length] ?? 0) % ALPHANUMERIC.length];
  return id;
}

function seedFrom(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0);
}

function normalizeTime(value: string | undefined, fallback: string): string {
  return value === undefined ? fallback : new Date(value).toISOString();
}

function optionalTime(value: string | undefined): string | null {
  return value === undefined ? null : new Date(value).toISOString();
}

/** The API value of a campaign or voucher with the format's defaults filled in. */
function completeValue(type: VoucherType, values: FileValues): Pick<VoucherRecord, 'discount' | 'gift' | 'loyalty_card'> {
  const empty = { discount: null, gift: null, loyalty_card: null };
  if (type === 'DISCOUNT_VOUCHER' && values.discount) {
    const discount = { ...values.discount };
    if (discount.effect === undefined && ['AMOUNT', 'PERCENT', 'FIXED'].includes(String(discount.type))) discount.effect = 'APPLY_TO_ORDER';
    return { ...empty, discount: discount as Discount };
  }
  if (type === 'GIFT_VOUCHER' && values.gift) {
    const gift = { ...values.gift };
    gift.balance ??= gift.amount;
    gift.effect ??= 'APPLY_TO_ORDER';
    return { ...empty, gift: gift as Gift };
  }
  if (type === 'LOYALTY_CARD' && values.loyalty_card) {
    const card = { ...values.loyalty_card };
    card.balance ??= card.points;
    return { ...empty, loyalty_card: card as LoyaltyCard };
  }
  return empty;
}

/** Problems of `value` against a spec component (or an inline spec schema), pointed at `pointer`. */
function checkAgainstSpec(validate: ValidateFunction, value: unknown, pointer: string, root: unknown): FixtureProblem[] {
  return validate(value) ? [] : describeErrors(validate.errors ?? [], pointer, root);
}

/** The API values of one campaign or voucher entry, against the spec's own schemas; only the fields whose shape is `sound`. */
function checkApiValues(entry: FileValues, pointer: string, root: unknown, sound: (pointer: string) => boolean): FixtureProblem[] {
  const problems: FixtureProblem[] = [];
  if (!isRecord(entry)) return problems;
  const usable = (key: keyof FileValues): boolean => entry[key] !== undefined && sound(`${pointer}/${key}`);
  const values: FileValues = Object.fromEntries(Object.entries(entry).filter(([key]) => usable(key as keyof FileValues)));
  if (values.discount && isRecord(values.discount)) {
    const kinds = discountComponents();
    const forms = kinds.get(String(values.discount.type));
    const component = forms ? discountVariant(forms, values.discount) : undefined;
    if (!component) {
      problems.push({ pointer: `${pointer}/discount/type`, message: `must be one of ${[...kinds.keys()].join(', ')}` });
    } else {
      problems.push(...checkAgainstSpec(spec().component(component), completeValue('DISCOUNT_VOUCHER', values).discount, `${pointer}/discount`, root));
    }
  }
  if (values.gift && isRecord(values.gift)) problems.push(...checkAgainstSpec(spec().component('Gift'), completeValue('GIFT_VOUCHER', values).gift, `${pointer}/gift`, root));
  if (values.loyalty_card && isRecord(values.loyalty_card)) {
    problems.push(...checkAgainstSpec(spec().component('LoyaltyCard'), completeValue('LOYALTY_CARD', values).loyalty_card, `${pointer}/loyalty_card`, root));
  }
  if (values.validity_timeframe) {
    problems.push(...checkAgainstSpec(spec().component('ValidityTimeframe'), values.validity_timeframe, `${pointer}/validity_timeframe`, root));
  }
  if (values.validity_day_of_week) {
    const voucher = loadSpec().components.schemas.Voucher as { properties: Record<string, JsonSchema> };
    const days = voucher.properties.validity_day_of_week;
    if (days) problems.push(...checkAgainstSpec(spec().compile(days), values.validity_day_of_week, `${pointer}/validity_day_of_week`, root));
  }
  if (values.start_date && values.expiration_date && Date.parse(values.start_date) > Date.parse(values.expiration_date)) {
    problems.push({ pointer: `${pointer}/expiration_date`, message: `is before start_date ${values.start_date}` });
  }
  return problems;
}

/** Records which pointer first used each value, reporting the second use. */
class UniqueRegistry {
  private readonly seen = new Map<string, string>();
  constructor(
    private readonly what: string,
    private readonly problems: FixtureProblem[],
  ) {}

  claim(value: string, pointer: string, hint = ''): void {
    const first = this.seen.get(value);
    if (first !== undefined) {
      this.problems.push({ pointer, message: `${this.what} ${JSON.stringify(value)} is used twice (first at ${first})${hint}` });
      return;
    }
    this.seen.set(value, pointer);
  }
}

/** How many different codes a code_config can make: charset size to the number of random characters (1 for a pattern without `#`). */
function codeCapacity(config: CodeConfig): number {
  const charset = config.charset && config.charset.length > 0 ? config.charset : ALPHANUMERIC;
  const random = config.pattern !== undefined ? (config.pattern.match(/#/g) ?? []).length : (config.length ?? DEFAULT_CODE_LENGTH);
  return new Set(charset).size ** random;
}

/**
 * Reads, validates and converts a fixture file into the mock's starting world.
 * Throws FixtureFileError listing every problem found in one pass (the shape,
 * the API values, the cross-references), each with its line and column.
 */
export function loadFixtureFile(path: string): Fixtures {
  const source = readFixtureFile(path);
  const { data } = source;
  const located = (found: FoundProblem[]): FixtureProblem[] =>
    found.map(({ at, ...problem }) => {
      const position = source.locate(problem.pointer, at ?? 'value');
      return position ? { ...problem, line: position.line, column: position.column } : problem;
    });
  const problems: FoundProblem[] = describeErrors(validateFileShape(data), '', data);
  // The later checks read only what the shape check found sound, so one pass reports everything without tripping over a broken part.
  const shapePointers = problems.map((problem) => problem.pointer);
  const sound = (pointer: string): boolean => !shapePointers.some((q) => q === pointer || q.startsWith(`${pointer}/`) || pointer.startsWith(`${q}/`));
  /** Like `sound`, but problems inside (an unknown property, say) do not count: the container itself is right. */
  const soundItself = (pointer: string): boolean => !shapePointers.some((q) => q === pointer || pointer.startsWith(`${q}/`));
  const file = (isRecord(data) ? data : {}) as FixtureFile;
  const campaignsIn = listOf(file.campaigns);
  const vouchersIn = listOf(file.vouchers);
  const customersIn = listOf(file.customers);

  // The API values, by the spec's own schemas.
  campaignsIn.forEach((campaign, i) => problems.push(...checkApiValues(campaign, `/campaigns/${i}`, data, sound)));
  // What the schema cannot say of a code config (a charset's characters are distinct).
  campaignsIn.forEach((campaign, i) => {
    const problem = isRecord(campaign) && campaign.code_config && sound(`/campaigns/${i}/code_config`) ? codeConfigProblem(campaign.code_config) : undefined;
    if (problem) problems.push({ pointer: `/campaigns/${i}/code_config/${problem.field}`, message: problem.message });
  });
  vouchersIn.forEach((voucher, i) => problems.push(...checkApiValues(voucher, `/vouchers/${i}`, data, sound)));
  customersIn.forEach((customer, i) => {
    if (isRecord(customer) && customer.address && sound(`/customers/${i}/address`)) {
      problems.push(...checkAgainstSpec(spec().component('Address'), customer.address, `/customers/${i}/address`, data));
    }
  });

  // Names, codes and ids are unique; ids have the API's shapes.
  const names = new UniqueRegistry('campaign name', problems);
  const codes = new UniqueRegistry('code', problems);
  const ids = new UniqueRegistry('id', problems);
  const sourceIds = new UniqueRegistry('customer source_id', problems);
  const clientAppIds = new UniqueRegistry('client app_id', problems);
  listOf(file.client_keys).forEach((key, i) => {
    if (sound(`/client_keys/${i}/app_id`) && typeof key.app_id === 'string') clientAppIds.claim(key.app_id, `/client_keys/${i}/app_id`);
  });
  const text = (value: unknown, pointer: string): string | undefined => (typeof value === 'string' && sound(pointer) ? value : undefined);
  /** An explicit id must have the API's shape; explicit and derived ids alike must be unique (two customers known only by the same name would collide). */
  const claimId = (component: string, explicit: unknown, derive: (() => string) | undefined, pointer: string): string | undefined => {
    if (explicit === undefined) {
      if (derive === undefined) return undefined;
      const derived = derive();
      ids.claim(derived, pointer, ': derived ids come from the name, code or source_id, so give one of them an explicit id');
      return derived;
    }
    if (!sound(`${pointer}/id`) || typeof explicit !== 'string') return undefined;
    problems.push(...checkAgainstSpec(spec().component(component), explicit, `${pointer}/id`, data));
    ids.claim(explicit, `${pointer}/id`);
    return explicit;
  };
  const campaignIds = campaignsIn.map((campaign, i) => {
    if (!isRecord(campaign)) return undefined;
    const name = text(campaign.name, `/campaigns/${i}/name`);
    if (name !== undefined) names.claim(name, `/campaigns/${i}/name`);
    if (sound(`/campaigns/${i}/codes`)) listOf(campaign.codes).forEach((code, j) => typeof code === 'string' && codes.claim(code, `/campaigns/${i}/codes/${j}`));
    const generate = campaign.generate;
    if (typeof generate === 'number' && sound(`/campaigns/${i}/generate`) && sound(`/campaigns/${i}/code_config`)) {
      const capacity = codeCapacity(campaign.code_config ?? {});
      if (generate > capacity) {
        problems.push({ pointer: `/campaigns/${i}/generate`, message: `cannot make ${generate} unique codes from code_config ${JSON.stringify(campaign.code_config ?? {})}: it makes at most ${capacity}` });
      }
    }
    return claimId('CampaignId', campaign.id, name === undefined ? undefined : () => derivedId('camp_', 24, `campaign:${name}`), `/campaigns/${i}`);
  });
  const voucherIds = vouchersIn.map((voucher, i) => {
    if (!isRecord(voucher)) return undefined;
    const code = text(voucher.code, `/vouchers/${i}/code`);
    if (code !== undefined) codes.claim(code, `/vouchers/${i}/code`);
    return claimId('VoucherId', voucher.id, code === undefined ? undefined : () => derivedId('v_', 32, `voucher:${code}`), `/vouchers/${i}`);
  });
  const customerIds = customersIn.map((customer, i) => {
    if (!isRecord(customer) || !soundItself(`/customers/${i}`)) return undefined;
    const sourceId = text(customer.source_id, `/customers/${i}/source_id`);
    if (sourceId !== undefined) sourceIds.claim(sourceId, `/customers/${i}/source_id`);
    const key = customer.source_id ?? customer.email ?? customer.name ?? String(i);
    return claimId('CustomerId', customer.id, () => derivedId('cust_', 24, `customer:${key}`), `/customers/${i}`);
  });

  // Cross-references: a voucher's campaign and holder exist, its type and value agree with its campaign.
  const campaignIndex = (ref: string): number => {
    const byName = campaignsIn.findIndex((campaign) => isRecord(campaign) && campaign.name === ref);
    return byName >= 0 ? byName : campaignIds.indexOf(ref);
  };
  const customerIndex = (ref: string): number => {
    const bySource = customersIn.findIndex((customer) => isRecord(customer) && customer.source_id === ref);
    return bySource >= 0 ? bySource : customerIds.indexOf(ref);
  };
  vouchersIn.forEach((voucher, i) => {
    if (!isRecord(voucher)) return;
    const campaignRef = text(voucher.campaign, `/vouchers/${i}/campaign`);
    if (campaignRef !== undefined) {
      const index = campaignIndex(campaignRef);
      const campaign = campaignsIn[index];
      const campaignType = campaign && sound(`/campaigns/${index}/type`) ? campaign.type : undefined;
      if (!campaign) {
        const known = campaignsIn.filter(isRecord).map((c) => c.name);
        problems.push({
          pointer: `/vouchers/${i}/campaign`,
          message: `${JSON.stringify(campaignRef)} names no campaign of this file (by name or id)${known.length ? `; known: ${known.join(', ')}` : ''}`,
        });
      } else if (campaignType === undefined) {
        // Its campaign's type is wrong itself (reported there): nothing to compare with.
      } else if (voucher.type !== undefined && sound(`/vouchers/${i}/type`) && voucher.type !== campaignType) {
        problems.push({ pointer: `/vouchers/${i}/type`, message: `is ${voucher.type} but its campaign ${JSON.stringify(campaign.name)} is ${campaignType}` });
      } else if (voucher.type === undefined) {
        for (const key of ['discount', 'gift', 'loyalty_card'] as const) {
          if (voucher[key] !== undefined && key !== VALUE_KEY[campaignType]) {
            problems.push({ pointer: `/vouchers/${i}/${key}`, message: `is not allowed: its campaign ${JSON.stringify(campaign.name)} is ${campaignType} (its value goes in ${VALUE_KEY[campaignType]})` });
          }
        }
      }
    }
    const holder = text(voucher.holder, `/vouchers/${i}/holder`);
    if (holder !== undefined && customerIndex(holder) < 0) {
      problems.push({ pointer: `/vouchers/${i}/holder`, message: `${JSON.stringify(holder)} names no customer of this file (by source_id or id)` });
    }
  });
  if (problems.length > 0) throw new FixtureFileError(path, located(problems));

  // Build the records.
  // The same definitions as new Faker({ locale: [en, base] }), already merged in the `en` instance.
  const faker = new (englishFaker.constructor as new (options: { locale: Faker['rawDefinitions'] }) => Faker)({ locale: englishFaker.rawDefinitions });
  const usedCodes = new Set<string>([...campaignsIn.flatMap((c) => c.codes ?? []), ...vouchersIn.map((v) => v.code)]);
  const campaigns: CampaignRecord[] = [];
  const vouchers: VoucherRecord[] = [];
  const campaignVoucher = (campaign: CampaignRecord, source: FileCampaign, code: string): VoucherRecord =>
    voucherFromCampaign(campaign, {
      id: derivedId('v_', 32, `voucher:${code}`),
      code,
      created_at: campaign.created_at,
      validity_timeframe: (source.validity_timeframe as ValidityTimeframe | undefined) ?? null,
      validity_day_of_week: (source.validity_day_of_week as DayOfWeek[] | undefined) ?? null,
    });

  campaignsIn.forEach((source, i) => {
    const campaign: CampaignRecord = {
      id: campaignIds[i] ?? derivedId('camp_', 24, `campaign:${source.name}`),
      name: source.name,
      type: source.type,
      is_referral: source.is_referral ?? false,
      auto_update: source.auto_update ?? false,
      active: source.active ?? true,
      code_config: { ...(source.code_config ?? {}) },
      ...completeValue(source.type, source),
      start_date: optionalTime(source.start_date),
      expiration_date: optionalTime(source.expiration_date),
      redemption_quantity: source.redemption_quantity !== undefined ? source.redemption_quantity : source.type === 'DISCOUNT_VOUCHER' ? 1 : null,
      category: source.category ?? null,
      category_id: source.category_id ?? null,
      metadata: { ...(source.metadata ?? {}) },
      created_at: normalizeTime(source.created_at, DEFAULT_TIMESTAMP),
    };
    campaigns.push(campaign);
    for (const code of source.codes ?? []) vouchers.push(campaignVoucher(campaign, source, code));
    if (source.generate) {
      faker.seed(seedFrom(`codes:${source.name}`));
      const pick = (charset: string, length: number): string => faker.string.fromCharacters(charset, length);
      try {
        for (let n = 0; n < source.generate; n++) vouchers.push(campaignVoucher(campaign, source, makeUniqueCode(campaign.code_config, pick, usedCodes)));
      } catch {
        problems.push({ pointer: `/campaigns/${i}/generate`, message: `cannot make ${source.generate} unique codes from code_config ${JSON.stringify(campaign.code_config)}` });
      }
    }
  });

  const customers: CustomerRecord[] = customersIn.map((source, i) => ({
    id: customerIds[i] ?? derivedId('cust_', 24, `customer:${i}`),
    source_id: source.source_id ?? null,
    name: source.name ?? null,
    email: source.email ?? null,
    phone: source.phone ?? null,
    description: source.description ?? null,
    birthdate: source.birthdate ?? null,
    address: source.address ? { ...source.address } : null,
    metadata: { ...(source.metadata ?? {}) },
    created_at: normalizeTime(source.created_at, DEFAULT_TIMESTAMP),
    updated_at: null,
  }));

  vouchersIn.forEach((source, i) => {
    const campaign = source.campaign !== undefined ? campaigns[campaignIndex(source.campaign)] : undefined;
    const campaignSource = source.campaign !== undefined ? campaignsIn[campaignIndex(source.campaign)] : undefined;
    const type = source.type ?? campaign?.type ?? 'DISCOUNT_VOUCHER';
    const ownValue = source.discount ?? source.gift ?? source.loyalty_card;
    const value = ownValue ? completeValue(type, source) : { discount: campaign?.discount ?? null, gift: campaign?.gift ?? null, loyalty_card: campaign?.loyalty_card ?? null };
    const holder = source.holder !== undefined ? customers[customerIndex(source.holder)] : undefined;
    const created_at = normalizeTime(source.created_at, campaign?.created_at ?? DEFAULT_TIMESTAMP);
    const timeframe = source.validity_timeframe ?? campaignSource?.validity_timeframe;
    const days = source.validity_day_of_week ?? campaignSource?.validity_day_of_week;
    vouchers.push({
      id: voucherIds[i] ?? derivedId('v_', 32, `voucher:${source.code}`),
      code: source.code,
      campaign_id: campaign?.id ?? null,
      type,
      discount: value.discount ? { ...value.discount } : null,
      gift: value.gift ? { ...value.gift } : null,
      loyalty_card: value.loyalty_card ? { ...value.loyalty_card } : null,
      category: source.category ?? campaign?.category ?? null,
      category_id: source.category_id ?? campaign?.category_id ?? null,
      start_date: source.start_date !== undefined ? optionalTime(source.start_date) : (campaign?.start_date ?? null),
      expiration_date: source.expiration_date !== undefined ? optionalTime(source.expiration_date) : (campaign?.expiration_date ?? null),
      validity_timeframe: timeframe ? ({ ...timeframe } as ValidityTimeframe) : null,
      validity_day_of_week: days ? ([...days] as DayOfWeek[]) : null,
      active: source.active ?? true,
      additional_info: source.additional_info ?? null,
      metadata: { ...(source.metadata ?? {}) },
      is_referral_code: source.is_referral_code ?? campaign?.is_referral ?? false,
      holder_id: holder?.id ?? null,
      publish_count: holder ? 1 : 0,
      redemption_quantity:
        source.redemption_quantity !== undefined ? source.redemption_quantity : campaign ? campaign.redemption_quantity : type === 'DISCOUNT_VOUCHER' ? 1 : null,
      redeemed_quantity: source.redeemed_quantity ?? 0,
      created_at,
      updated_at: holder ? created_at : null,
    });
  });
  if (problems.length > 0) throw new FixtureFileError(path, located(problems));

  return {
    campaigns,
    vouchers,
    customers,
    publication_metadata: { ...(file.publication_metadata ?? {}) },
    integration_keys: (file.integration_keys ?? []).map((key) => ({ ...key })),
    client_keys: (file.client_keys ?? []).map((key) => ({ ...key, ...(key.allowed_origins ? { allowed_origins: [...key.allowed_origins] } : {}) })),
  };
}
