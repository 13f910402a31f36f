/**
 * The Store on SQLite (better-sqlite3, synchronous), in a file or in memory.
 *
 * Records keep their shape: JSON-ish fields are stored as JSON text, booleans as
 * 0/1, and every table has an integer `seq` (its rowid) that records insertion
 * order. A publication row also carries copies of what listing filters and
 * orders on (its campaign's name; its first voucher's code, type and referral
 * flag), so a list page is one indexed query. Fixed statements are prepared once
 * at open; list queries are built from a whitelist of columns, with every value
 * bound as a parameter, and prepared once per query shape.
 */
import Database from 'better-sqlite3';
import type {
  CampaignRecord,
  CodeConfig,
  CustomerRecord,
  Discount,
  Gift,
  LoyaltyCard,
  Metadata,
  PublicationRecord,
  ValidityTimeframe,
  VoucherRecord,
  VoucherType,
} from '../domain/records';
import type { CampaignStock, Condition, FilterField, OrderField, PublicationQuery, Store, StoreExportView, StoreSnapshot } from './store';

/** Bumped when the schema changes; stored in `PRAGMA user_version`. */
const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE campaigns (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  is_referral INTEGER NOT NULL,
  auto_update INTEGER NOT NULL,
  active INTEGER NOT NULL,
  code_config TEXT NOT NULL,
  discount TEXT,
  gift TEXT,
  loyalty_card TEXT,
  start_date TEXT,
  expiration_date TEXT,
  redemption_quantity INTEGER,
  category TEXT,
  category_id TEXT,
  metadata TEXT NOT NULL,
  created_at TEXT NOT NULL
);
-- findCampaignByName.
CREATE INDEX campaigns_name ON campaigns (name);

CREATE TABLE vouchers (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  code TEXT NOT NULL,
  campaign_id TEXT,
  type TEXT NOT NULL,
  discount TEXT,
  gift TEXT,
  loyalty_card TEXT,
  category TEXT,
  category_id TEXT,
  start_date TEXT,
  expiration_date TEXT,
  validity_timeframe TEXT,
  validity_day_of_week TEXT,
  active INTEGER NOT NULL,
  additional_info TEXT,
  metadata TEXT NOT NULL,
  is_referral_code INTEGER NOT NULL,
  holder_id TEXT,
  publish_count INTEGER NOT NULL,
  redemption_quantity INTEGER,
  redeemed_quantity INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT
);
CREATE UNIQUE INDEX vouchers_code ON vouchers (code);
-- campaignStock's total.
CREATE INDEX vouchers_campaign ON vouchers (campaign_id);
-- findPublishableVoucher and campaignStock's publishable count: only the vouchers
-- still in the pool are in it, so a campaign with 1M published vouchers and a few
-- left costs a few entries, not a scan past the published ones.
CREATE INDEX vouchers_publishable ON vouchers (campaign_id, created_at, seq) WHERE active = 1 AND holder_id IS NULL;

CREATE TABLE customers (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  source_id TEXT,
  name TEXT,
  email TEXT,
  phone TEXT,
  description TEXT,
  birthdate TEXT,
  address TEXT,
  metadata TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT
);
CREATE UNIQUE INDEX customers_source_id ON customers (source_id) WHERE source_id IS NOT NULL;
-- listCustomers (newest first).
CREATE INDEX customers_created ON customers (created_at, seq);

CREATE TABLE publications (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  tracking_id TEXT,
  metadata TEXT NOT NULL,
  channel TEXT NOT NULL,
  source_id TEXT,
  result TEXT NOT NULL CHECK (result IN ('SUCCESS', 'FAILURE')),
  campaign_id TEXT,
  multiple INTEGER NOT NULL,
  failure_code TEXT,
  failure_message TEXT,
  -- Copies for listing: the campaign's name and the first voucher's code, type
  -- (discount | gift | loyalty) and referral flag; null without a campaign / voucher.
  campaign_name TEXT,
  voucher_code TEXT,
  voucher_type TEXT,
  is_referral_code INTEGER
);
-- A source_id is used once by a success; failures may repeat it.
CREATE UNIQUE INDEX publications_source_id ON publications (source_id) WHERE result = 'SUCCESS';
-- join_once: the customer's first success from the campaign.
CREATE INDEX publications_joined ON publications (customer_id, campaign_id, seq) WHERE result = 'SUCCESS';
-- Lists filtered by customer (or campaign), newest or oldest first; the default order.
CREATE INDEX publications_customer_created ON publications (customer_id, created_at, seq);
CREATE INDEX publications_campaign_created ON publications (campaign_name, created_at, seq);
CREATE INDEX publications_created ON publications (created_at, seq);

CREATE TABLE publication_vouchers (
  publication_id TEXT NOT NULL,
  voucher_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (publication_id, position)
) WITHOUT ROWID;
-- voucher_code filters: from the code's voucher to its publications.
CREATE INDEX publication_vouchers_voucher ON publication_vouchers (voucher_id);

CREATE TABLE sequences (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`;

/**
 * Added after schema version 1, so created with IF NOT EXISTS on every open (old
 * files get it too). listHeldLoyaltyCards: partial, so only loyalty cards with a
 * holder are in it and publishing other vouchers pays nothing for it.
 */
const HELD_LOYALTY_CARDS_INDEX =
  "CREATE INDEX IF NOT EXISTS vouchers_held_loyalty ON vouchers (holder_id, created_at, seq) WHERE type = 'LOYALTY_CARD' AND holder_id IS NOT NULL";

/** Tables emptied by `clear()`; sqlite_sequence restarts the publications' seq. */
const CLEARED_TABLES = [
  'campaigns',
  'vouchers',
  'customers',
  'publications',
  'publication_vouchers',
  'sequences',
  'meta',
  'sqlite_sequence',
] as const;

interface CampaignRow {
  id: string;
  name: string;
  type: string;
  is_referral: number;
  auto_update: number;
  active: number;
  code_config: string;
  discount: string | null;
  gift: string | null;
  loyalty_card: string | null;
  start_date: string | null;
  expiration_date: string | null;
  redemption_quantity: number | null;
  category: string | null;
  category_id: string | null;
  metadata: string;
  created_at: string;
}

interface VoucherRow {
  id: string;
  code: string;
  campaign_id: string | null;
  type: string;
  discount: string | null;
  gift: string | null;
  loyalty_card: string | null;
  category: string | null;
  category_id: string | null;
  start_date: string | null;
  expiration_date: string | null;
  validity_timeframe: string | null;
  validity_day_of_week: string | null;
  active: number;
  additional_info: string | null;
  metadata: string;
  is_referral_code: number;
  holder_id: string | null;
  publish_count: number;
  redemption_quantity: number | null;
  redeemed_quantity: number;
  created_at: string;
  updated_at: string | null;
}

interface CustomerRow {
  id: string;
  source_id: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  description: string | null;
  birthdate: string | null;
  address: string | null;
  metadata: string;
  created_at: string;
  updated_at: string | null;
}

/** A publication as inserted: the record's columns plus the listing copies. */
interface PublicationInsertRow {
  id: string;
  created_at: string;
  customer_id: string;
  tracking_id: string | null;
  metadata: string;
  channel: string;
  source_id: string | null;
  result: string;
  campaign_id: string | null;
  multiple: number;
  failure_code: string | null;
  failure_message: string | null;
  campaign_name: string | null;
  voucher_code: string | null;
  voucher_type: string | null;
  is_referral_code: number | null;
}

/** A publication as read back (the listing copies stay in the database). */
interface PublicationRow {
  seq: number;
  id: string;
  created_at: string;
  customer_id: string;
  tracking_id: string | null;
  metadata: string;
  channel: string;
  source_id: string | null;
  result: string;
  campaign_id: string | null;
  multiple: number;
  failure_code: string | null;
  failure_message: string | null;
}

interface PublicationVoucherRow {
  publication_id: string;
  voucher_id: string;
}

/** What a publication copies from its first voucher. */
interface VoucherSummaryRow {
  code: string;
  type: string;
  is_referral_code: number;
}

interface StockRow {
  total: number;
  publishable: number;
}

type SqlValue = string | number | null;

const CAMPAIGN_COLUMNS =
  'id, name, type, is_referral, auto_update, active, code_config, discount, gift, loyalty_card, start_date, ' +
  'expiration_date, redemption_quantity, category, category_id, metadata, created_at';
const VOUCHER_COLUMNS =
  'id, code, campaign_id, type, discount, gift, loyalty_card, category, category_id, start_date, expiration_date, ' +
  'validity_timeframe, validity_day_of_week, active, additional_info, metadata, is_referral_code, holder_id, ' +
  'publish_count, redemption_quantity, redeemed_quantity, created_at, updated_at';
const CUSTOMER_COLUMNS =
  'id, source_id, name, email, phone, description, birthdate, address, metadata, created_at, updated_at';
const PUBLICATION_INSERT_COLUMNS =
  'id, created_at, customer_id, tracking_id, metadata, channel, source_id, result, campaign_id, multiple, ' +
  'failure_code, failure_message, campaign_name, voucher_code, voucher_type, is_referral_code';
const PUBLICATION_COLUMNS =
  'p.seq, p.id, p.created_at, p.customer_id, p.tracking_id, p.metadata, p.channel, p.source_id, p.result, ' +
  'p.campaign_id, p.multiple, p.failure_code, p.failure_message';

/** `a, b` → `@a, @b` (named parameters bound from a row object). */
function namedParameters(columns: string): string {
  return columns
    .split(',')
    .map((column) => `@${column.trim()}`)
    .join(', ');
}

/** `a, b` → `a = @a, b = @b`, without `id`. */
function assignments(columns: string): string {
  return columns
    .split(',')
    .map((column) => column.trim())
    .filter((column) => column !== 'id')
    .map((column) => `${column} = @${column}`)
    .join(', ');
}

/** Columns a publication filter may name; `voucher_code` and `related_object_id` are matched over all of a publication's vouchers instead. */
const FILTER_COLUMNS: Record<Exclude<FilterField, 'voucher_code' | 'related_object_id'>, string> = {
  campaign_name: 'p.campaign_name',
  customer_id: 'p.customer_id',
  voucher_type: 'p.voucher_type',
  result: 'p.result',
  source_id: 'p.source_id',
  channel: 'p.channel',
  failure_code: 'p.failure_code',
  is_referral_code: 'p.is_referral_code',
  parent_object_id: 'p.campaign_id',
};

const ORDER_COLUMNS: Record<OrderField, string> = {
  created_at: 'p.created_at',
  id: 'p.id',
  voucher_code: 'p.voucher_code',
  tracking_id: 'p.tracking_id',
  customer_id: 'p.customer_id',
  channel: 'p.channel',
};

const DIRECTIONS = { asc: 'ASC', desc: 'DESC' } as const;
const JUNCTIONS = { and: ' AND ', or: ' OR ' } as const;

/** The publications holding a voucher whose code satisfies the predicate on `v.code`. */
const PUBLICATIONS_BY_VOUCHER_CODE =
  'SELECT pv.publication_id FROM publication_vouchers pv JOIN vouchers v ON v.id = pv.voucher_id WHERE ';

/** List statements kept per query shape; more shapes than this evict the oldest. */
const STATEMENT_CACHE_SIZE = 200;

const VOUCHER_TYPES: readonly VoucherType[] = ['DISCOUNT_VOUCHER', 'GIFT_VOUCHER', 'LOYALTY_CARD'];

/** The publication's `voucher_type` filter value for its first voucher's type. */
const LISTED_VOUCHER_TYPES: Record<VoucherType, string> = {
  DISCOUNT_VOUCHER: 'discount',
  GIFT_VOUCHER: 'gift',
  LOYALTY_CARD: 'loyalty',
};

function hasKey<K extends string>(map: Record<K, unknown>, key: string): key is K {
  return Object.prototype.hasOwnProperty.call(map, key);
}

function toVoucherType(value: string): VoucherType {
  const type = VOUCHER_TYPES.find((known) => known === value);
  if (type === undefined) {
    throw new Error(`sqlite store: unknown voucher type ${JSON.stringify(value)} in the database`);
  }
  return type;
}

function toResult(value: string): PublicationRecord['result'] {
  if (value === 'SUCCESS' || value === 'FAILURE') return value;
  throw new Error(`sqlite store: unknown publication result ${JSON.stringify(value)} in the database`);
}

function toJson(value: unknown): string {
  return JSON.stringify(value);
}

function toNullableJson(value: unknown): string | null {
  return value === null ? null : JSON.stringify(value);
}

/** Reads back JSON text this store wrote from a typed record field, so it has that field's type. */
function fromJson<T>(text: string): T {
  const value: unknown = JSON.parse(text);
  return value as T;
}

function fromNullableJson<T>(text: string | null): T | null {
  return text === null ? null : fromJson<T>(text);
}

function bit(value: boolean): number {
  return value ? 1 : 0;
}

function campaignToRow(campaign: CampaignRecord): CampaignRow {
  return {
    id: campaign.id,
    name: campaign.name,
    type: campaign.type,
    is_referral: bit(campaign.is_referral),
    auto_update: bit(campaign.auto_update),
    active: bit(campaign.active),
    code_config: toJson(campaign.code_config),
    discount: toNullableJson(campaign.discount),
    gift: toNullableJson(campaign.gift),
    loyalty_card: toNullableJson(campaign.loyalty_card),
    start_date: campaign.start_date,
    expiration_date: campaign.expiration_date,
    redemption_quantity: campaign.redemption_quantity,
    category: campaign.category,
    category_id: campaign.category_id,
    metadata: toJson(campaign.metadata),
    created_at: campaign.created_at,
  };
}

function rowToCampaign(row: CampaignRow): CampaignRecord {
  return {
    id: row.id,
    name: row.name,
    type: toVoucherType(row.type),
    is_referral: row.is_referral === 1,
    auto_update: row.auto_update === 1,
    active: row.active === 1,
    code_config: fromJson<CodeConfig>(row.code_config),
    discount: fromNullableJson<Discount>(row.discount),
    gift: fromNullableJson<Gift>(row.gift),
    loyalty_card: fromNullableJson<LoyaltyCard>(row.loyalty_card),
    start_date: row.start_date,
    expiration_date: row.expiration_date,
    redemption_quantity: row.redemption_quantity,
    category: row.category,
    category_id: row.category_id,
    metadata: fromJson<Metadata>(row.metadata),
    created_at: row.created_at,
  };
}

function voucherToRow(voucher: VoucherRecord): VoucherRow {
  return {
    id: voucher.id,
    code: voucher.code,
    campaign_id: voucher.campaign_id,
    type: voucher.type,
    discount: toNullableJson(voucher.discount),
    gift: toNullableJson(voucher.gift),
    loyalty_card: toNullableJson(voucher.loyalty_card),
    category: voucher.category,
    category_id: voucher.category_id,
    start_date: voucher.start_date,
    expiration_date: voucher.expiration_date,
    validity_timeframe: toNullableJson(voucher.validity_timeframe),
    validity_day_of_week: toNullableJson(voucher.validity_day_of_week),
    active: bit(voucher.active),
    additional_info: voucher.additional_info,
    metadata: toJson(voucher.metadata),
    is_referral_code: bit(voucher.is_referral_code),
    holder_id: voucher.holder_id,
    publish_count: voucher.publish_count,
    redemption_quantity: voucher.redemption_quantity,
    redeemed_quantity: voucher.redeemed_quantity,
    created_at: voucher.created_at,
    updated_at: voucher.updated_at,
  };
}

function rowToVoucher(row: VoucherRow): VoucherRecord {
  return {
    id: row.id,
    code: row.code,
    campaign_id: row.campaign_id,
    type: toVoucherType(row.type),
    discount: fromNullableJson<Discount>(row.discount),
    gift: fromNullableJson<Gift>(row.gift),
    loyalty_card: fromNullableJson<LoyaltyCard>(row.loyalty_card),
    category: row.category,
    category_id: row.category_id,
    start_date: row.start_date,
    expiration_date: row.expiration_date,
    validity_timeframe: fromNullableJson<ValidityTimeframe>(row.validity_timeframe),
    validity_day_of_week: fromNullableJson<VoucherRecord['validity_day_of_week'] & object>(row.validity_day_of_week),
    active: row.active === 1,
    additional_info: row.additional_info,
    metadata: fromJson<Metadata>(row.metadata),
    is_referral_code: row.is_referral_code === 1,
    holder_id: row.holder_id,
    publish_count: row.publish_count,
    redemption_quantity: row.redemption_quantity,
    redeemed_quantity: row.redeemed_quantity,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function customerToRow(customer: CustomerRecord): CustomerRow {
  return {
    id: customer.id,
    source_id: customer.source_id,
    name: customer.name,
    email: customer.email,
    phone: customer.phone,
    description: customer.description,
    birthdate: customer.birthdate,
    address: toNullableJson(customer.address),
    metadata: toJson(customer.metadata),
    created_at: customer.created_at,
    updated_at: customer.updated_at,
  };
}

function rowToCustomer(row: CustomerRow): CustomerRecord {
  return {
    id: row.id,
    source_id: row.source_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    description: row.description,
    birthdate: row.birthdate,
    address: fromNullableJson<Record<string, string | null>>(row.address),
    metadata: fromJson<Metadata>(row.metadata),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function rowToPublication(row: PublicationRow, voucherIds: string[]): PublicationRecord {
  return {
    id: row.id,
    created_at: row.created_at,
    customer_id: row.customer_id,
    tracking_id: row.tracking_id,
    metadata: fromJson<Metadata>(row.metadata),
    channel: row.channel,
    source_id: row.source_id,
    result: toResult(row.result),
    campaign_id: row.campaign_id,
    voucher_ids: voucherIds,
    multiple: row.multiple === 1,
    failure_code: row.failure_code,
    failure_message: row.failure_message,
    seq: row.seq,
  };
}

function describeCondition(condition: Condition): string {
  return `${condition.field} ${condition.op} ${JSON.stringify(condition.value)}`;
}

/** The condition's value as SQL: a string, or 0/1 for `is_referral_code`. */
function scalarValue(condition: Condition): SqlValue {
  const { value } = condition;
  if (condition.field === 'is_referral_code') {
    if (typeof value !== 'boolean') {
      throw new TypeError(`filter ${describeCondition(condition)}: is_referral_code takes a boolean`);
    }
    return bit(value);
  }
  if (typeof value !== 'string') {
    throw new TypeError(`filter ${describeCondition(condition)}: ${condition.op} takes a string`);
  }
  return value;
}

function listValue(condition: Condition): string {
  const { value } = condition;
  const strings = Array.isArray(value) && value.every((item) => typeof item === 'string');
  if (condition.field === 'is_referral_code' || !strings) {
    throw new TypeError(`filter ${describeCondition(condition)}: ${condition.op} takes an array of strings`);
  }
  return JSON.stringify(value);
}

function textValue(condition: Condition): string {
  const { value } = condition;
  if (condition.field === 'is_referral_code' || typeof value !== 'string') {
    throw new TypeError(`filter ${describeCondition(condition)}: ${condition.op} takes a string`);
  }
  return value;
}

/**
 * SQL that is true where the condition holds on `column`, pushing its values onto
 * `params` in the order they appear. Nothing wraps it in NOT, so a NULL result
 * simply does not match; the negative operators are written as the exact
 * complements of the positive ones (`$is_not` and `$not_in` match NULL).
 */
function compileOperator(column: string, condition: Condition, params: SqlValue[]): string {
  switch (condition.op) {
    case '$is':
      params.push(scalarValue(condition));
      return `${column} = ?`;
    case '$is_not':
      params.push(scalarValue(condition));
      return `${column} IS NOT ?`;
    case '$in':
      params.push(listValue(condition));
      return `${column} IN (SELECT value FROM json_each(?))`;
    case '$not_in':
      params.push(listValue(condition));
      return `(${column} IS NULL OR ${column} NOT IN (SELECT value FROM json_each(?)))`;
    case '$has_value':
      return `(${column} IS NOT NULL AND ${column} <> '')`;
    case '$is_unknown':
      return `(${column} IS NULL OR ${column} = '')`;
    case '$starts_with':
      // instr, not LIKE: `%` and `_` in the value are literal, and the match is case-sensitive like `$is`.
      params.push(textValue(condition));
      return `instr(${column}, ?) = 1`;
    case '$ends_with': {
      const suffix = textValue(condition);
      params.push(suffix, suffix);
      return `substr(${column}, length(${column}) - length(?) + 1) = ?`;
    }
    case '$contains':
      params.push(textValue(condition));
      return `instr(${column}, ?) > 0`;
    case '$not_contain':
      params.push(textValue(condition));
      return `(${column} IS NULL OR instr(${column}, ?) = 0)`;
    default:
      throw new TypeError(`filter ${describeCondition(condition)}: unknown operator`);
  }
}

const NEGATED: Partial<Record<Condition['op'], Condition['op']>> = {
  $is_not: '$is',
  $not_in: '$in',
  $is_unknown: '$has_value',
  $not_contain: '$contains',
};

/** Fields matched over every voucher of a publication, by the voucher column they compare. */
const VOUCHER_FIELDS: Partial<Record<FilterField, string>> = { voucher_code: 'v.code', related_object_id: 'v.id' };

function compileCondition(condition: Condition, params: SqlValue[]): string {
  const voucherColumn = VOUCHER_FIELDS[condition.field];
  if (voucherColumn !== undefined) {
    // Matches when any of the publication's vouchers has a matching code (or id); a
    // negative operator matches when none has (so failures, without vouchers, match).
    const positive = NEGATED[condition.op];
    const op = positive ?? condition.op;
    const predicate = compileOperator(voucherColumn, { ...condition, op }, params);
    return `p.id ${positive === undefined ? 'IN' : 'NOT IN'} (${PUBLICATIONS_BY_VOUCHER_CODE}${predicate})`;
  }
  if (!hasKey(FILTER_COLUMNS, condition.field)) {
    throw new TypeError(`filter ${describeCondition(condition)}: unknown field`);
  }
  return compileOperator(FILTER_COLUMNS[condition.field], condition, params);
}

/** The WHERE clause (without the keyword; '' for none) of a publication query. */
function compileWhere(query: PublicationQuery, params: SqlValue[]): string {
  const parts = query.must.map((condition) => compileCondition(condition, params));
  if (query.filters.length > 0) {
    if (!hasKey(JUNCTIONS, query.junction)) throw new TypeError(`unknown junction ${JSON.stringify(query.junction)}`);
    const filters = query.filters.map((condition) => compileCondition(condition, params));
    parts.push(`(${filters.join(JUNCTIONS[query.junction])})`);
  }
  return parts.join(' AND ');
}

function checkPaging(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}

/**
 * How long a statement waits for another process's write lock before giving
 * up with "database is locked". Several processes may share one data file; a
 * create holds the lock for well under a millisecond, a restore of a large
 * snapshot for seconds.
 */
export const BUSY_TIMEOUT_MS = 30_000;

export function openSqliteStore(options: { file?: string }): Store {
  const db = new Database(options.file ?? ':memory:', { timeout: BUSY_TIMEOUT_MS });
  try {
    // A file of another schema version, or not a store at all, is refused before anything (WAL mode included) changes it.
    // One read transaction: the version and the tables are seen at one moment (another process may be creating them).
    db.transaction(() => checkSchemaVersion(db)).deferred();
    enterWalMode(db);
    // With WAL, synchronous=NORMAL makes a commit durable against a process crash or kill -9 (not against power loss).
    db.pragma('synchronous = NORMAL');
    // Checkpoint every ~40 MB of WAL instead of ~4 MB: each checkpoint costs two fsyncs, and a create dirties dozens of pages.
    db.pragma('wal_autocheckpoint = 10000');
    // A 64 MiB page cache (the default is 2 MiB) keeps the indexes of a million publications warm.
    db.pragma('cache_size = -65536');
    // Checked and created under the write lock: processes starting at once on a new file create the schema once, the others wait and find it.
    db.transaction(() => {
      if (checkSchemaVersion(db)) {
        db.exec(SCHEMA);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }
    }).immediate();
  } catch (error) {
    db.close();
    throw error;
  }

  const campaignById = db.prepare<[string], CampaignRow>(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE id = ?`);
  const campaignByName = db.prepare<[string], CampaignRow>(
    `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE name = ? ORDER BY seq LIMIT 1`,
  );
  const campaignNameById = db.prepare<[string], { name: string }>('SELECT name FROM campaigns WHERE id = ?');
  const allCampaigns = db.prepare<[], CampaignRow>(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns ORDER BY seq`);
  const stockOfCampaign = db.prepare<[string, string], StockRow>(
    'SELECT (SELECT count(*) FROM vouchers WHERE campaign_id = ?) AS total, ' +
      '(SELECT count(*) FROM vouchers WHERE campaign_id = ? AND active = 1 AND holder_id IS NULL) AS publishable',
  );
  const insertCampaignRow = db.prepare<CampaignRow>(
    `INSERT INTO campaigns (${CAMPAIGN_COLUMNS}) VALUES (${namedParameters(CAMPAIGN_COLUMNS)})`,
  );

  const voucherById = db.prepare<[string], VoucherRow>(`SELECT ${VOUCHER_COLUMNS} FROM vouchers WHERE id = ?`);
  const voucherByCode = db.prepare<[string], VoucherRow>(`SELECT ${VOUCHER_COLUMNS} FROM vouchers WHERE code = ?`);
  const publishableVoucher = db.prepare<[string], VoucherRow>(
    `SELECT ${VOUCHER_COLUMNS} FROM vouchers WHERE campaign_id = ? AND active = 1 AND holder_id IS NULL ` +
      'ORDER BY created_at, seq LIMIT 1',
  );
  db.exec(HELD_LOYALTY_CARDS_INDEX);
  const heldLoyaltyCards = db.prepare<[string], VoucherRow>(
    `SELECT ${VOUCHER_COLUMNS} FROM vouchers WHERE type = 'LOYALTY_CARD' AND holder_id IS NOT NULL AND holder_id = ? ` +
      'ORDER BY created_at, seq',
  );
  const voucherSummary = db.prepare<[string], VoucherSummaryRow>(
    'SELECT code, type, is_referral_code FROM vouchers WHERE id = ?',
  );
  const insertVoucherRow = db.prepare<VoucherRow>(
    `INSERT INTO vouchers (${VOUCHER_COLUMNS}) VALUES (${namedParameters(VOUCHER_COLUMNS)})`,
  );
  const updateVoucherRow = db.prepare<VoucherRow>(`UPDATE vouchers SET ${assignments(VOUCHER_COLUMNS)} WHERE id = @id`);

  const customerById = db.prepare<[string], CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = ?`);
  const customerBySourceId = db.prepare<[string], CustomerRow>(
    `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE source_id = ?`,
  );
  const newestCustomers = db.prepare<[number], CustomerRow>(
    `SELECT ${CUSTOMER_COLUMNS} FROM customers ORDER BY created_at DESC, seq DESC LIMIT ?`,
  );
  const insertCustomerRow = db.prepare<CustomerRow>(
    `INSERT INTO customers (${CUSTOMER_COLUMNS}) VALUES (${namedParameters(CUSTOMER_COLUMNS)})`,
  );
  const updateCustomerRow = db.prepare<CustomerRow>(
    `UPDATE customers SET ${assignments(CUSTOMER_COLUMNS)} WHERE id = @id`,
  );

  const publicationById = db.prepare<[string], PublicationRow>(
    `SELECT ${PUBLICATION_COLUMNS} FROM publications p WHERE p.id = ?`,
  );
  const publicationBySourceId = db.prepare<[string], PublicationRow>(
    `SELECT ${PUBLICATION_COLUMNS} FROM publications p WHERE p.source_id = ? AND p.result = 'SUCCESS'`,
  );
  const joinedPublication = db.prepare<[string, string], PublicationRow>(
    `SELECT ${PUBLICATION_COLUMNS} FROM publications p ` +
      "WHERE p.customer_id = ? AND p.campaign_id = ? AND p.result = 'SUCCESS' ORDER BY p.seq LIMIT 1",
  );
  const insertPublicationRow = db.prepare<PublicationInsertRow>(
    `INSERT INTO publications (${PUBLICATION_INSERT_COLUMNS}) VALUES (${namedParameters(PUBLICATION_INSERT_COLUMNS)})`,
  );
  /** importState keeps each publication's seq (null lets SQLite pick the next one). */
  const insertPublicationRowAt = db.prepare<PublicationInsertRow & { seq: number | null }>(
    `INSERT INTO publications (seq, ${PUBLICATION_INSERT_COLUMNS}) VALUES (@seq, ${namedParameters(PUBLICATION_INSERT_COLUMNS)})`,
  );
  const insertPublicationVoucher = db.prepare<[string, string, number]>(
    'INSERT INTO publication_vouchers (publication_id, voucher_id, position) VALUES (?, ?, ?)',
  );
  const voucherIdsOfPublication = db.prepare<[string], { voucher_id: string }>(
    'SELECT voucher_id FROM publication_vouchers WHERE publication_id = ? ORDER BY position',
  );
  /** The voucher ids of several publications (a JSON array of their ids), in order. */
  const voucherIdsOfPublications = db.prepare<[string], PublicationVoucherRow>(
    'SELECT publication_id, voucher_id FROM publication_vouchers ' +
      'WHERE publication_id IN (SELECT value FROM json_each(?)) ORDER BY publication_id, position',
  );

  const nextSequenceValue = db.prepare<[string], { value: number }>(
    'INSERT INTO sequences (name, value) VALUES (?, 1) ' +
      'ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value',
  );
  const metaByKey = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const upsertMeta = db.prepare<[string, string]>(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const deleteAll = CLEARED_TABLES.map((table) => db.prepare(`DELETE FROM ${table}`));

  // exportState: every table in insertion order.
  const allVouchers = db.prepare<[], VoucherRow>(`SELECT ${VOUCHER_COLUMNS} FROM vouchers ORDER BY seq`);
  const allCustomers = db.prepare<[], CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers ORDER BY seq`);
  const allPublications = db.prepare<[], PublicationRow>(`SELECT ${PUBLICATION_COLUMNS} FROM publications p ORDER BY p.seq`);
  const allPublicationVouchers = db.prepare<[], PublicationVoucherRow>(
    'SELECT publication_id, voucher_id FROM publication_vouchers ORDER BY publication_id, position',
  );
  const allSequences = db.prepare<[], { name: string; value: number }>('SELECT name, value FROM sequences ORDER BY name');
  const allMeta = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM meta ORDER BY key');
  const insertSequence = db.prepare<[string, number]>('INSERT INTO sequences (name, value) VALUES (?, ?)');

  const countStatements = new Map<string, Database.Statement<SqlValue[], { total: number }>>();
  const pageStatements = new Map<string, Database.Statement<SqlValue[], PublicationRow>>();

  function cachedStatement<R>(cache: Map<string, Database.Statement<SqlValue[], R>>, sql: string) {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = db.prepare<SqlValue[], R>(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) {
        const oldest = cache.keys().next();
        if (oldest.done !== true) cache.delete(oldest.value);
      }
      cache.set(sql, statement);
    }
    return statement;
  }

  // One wrapper, made once: db.transaction(fn) builds five wrapper functions per call (~9 µs), and a create runs three.
  const runInTransaction = db.transaction((fn: () => unknown): unknown => fn());
  /**
   * A write transaction takes the write lock up front (BEGIN IMMEDIATE): with
   * several processes on one file, a deferred one that read first could not
   * upgrade to writing ("database is locked", without waiting). Nested calls
   * are savepoints of the outer one.
   */
  function inTransaction<T>(fn: () => T): T {
    return runInTransaction.immediate(fn) as T;
  }
  /** A read transaction: one consistent view, and no write lock (writers in other processes go on). */
  function inReadTransaction<T>(fn: () => T): T {
    return runInTransaction.deferred(fn) as T;
  }

  function loadPublication(row: PublicationRow | undefined): PublicationRecord | undefined {
    if (row === undefined) return undefined;
    return rowToPublication(
      row,
      voucherIdsOfPublication.all(row.id).map((link) => link.voucher_id),
    );
  }

  function listingCopies(publication: PublicationRecord): Pick<
    PublicationInsertRow,
    'campaign_name' | 'voucher_code' | 'voucher_type' | 'is_referral_code'
  > {
    let campaignName: string | null = null;
    if (publication.campaign_id !== null) {
      const campaign = campaignNameById.get(publication.campaign_id);
      if (campaign === undefined) {
        throw new Error(`insertPublication ${publication.id}: unknown campaign ${publication.campaign_id}`);
      }
      campaignName = campaign.name;
    }
    let first: VoucherSummaryRow | undefined;
    for (const voucherId of publication.voucher_ids) {
      const voucher = voucherSummary.get(voucherId);
      if (voucher === undefined) throw new Error(`insertPublication ${publication.id}: unknown voucher ${voucherId}`);
      first ??= voucher;
    }
    return {
      campaign_name: campaignName,
      voucher_code: first?.code ?? null,
      voucher_type: first === undefined ? null : LISTED_VOUCHER_TYPES[toVoucherType(first.type)],
      is_referral_code: first?.is_referral_code ?? null,
    };
  }

  function publicationRow(publication: PublicationRecord): PublicationInsertRow {
    return {
      id: publication.id,
      created_at: publication.created_at,
      customer_id: publication.customer_id,
      tracking_id: publication.tracking_id,
      metadata: toJson(publication.metadata),
      channel: publication.channel,
      source_id: publication.source_id,
      result: publication.result,
      campaign_id: publication.campaign_id,
      multiple: bit(publication.multiple),
      failure_code: publication.failure_code,
      failure_message: publication.failure_message,
      ...listingCopies(publication),
    };
  }

  function linkVouchers(publication: PublicationRecord): void {
    publication.voucher_ids.forEach((voucherId, position) => {
      insertPublicationVoucher.run(publication.id, voucherId, position);
    });
  }

  return {
    transaction: inTransaction,

    getCampaign(id: string): CampaignRecord | undefined {
      const row = campaignById.get(id);
      return row === undefined ? undefined : rowToCampaign(row);
    },

    findCampaignByName(name: string): CampaignRecord | undefined {
      const row = campaignByName.get(name);
      return row === undefined ? undefined : rowToCampaign(row);
    },

    listCampaigns(): CampaignRecord[] {
      return allCampaigns.all().map(rowToCampaign);
    },

    campaignStock(campaignId: string): CampaignStock {
      const row = stockOfCampaign.get(campaignId, campaignId);
      return { total: row?.total ?? 0, publishable: row?.publishable ?? 0 };
    },

    insertCampaign(campaign: CampaignRecord): void {
      insertCampaignRow.run(campaignToRow(campaign));
    },

    getVoucher(id: string): VoucherRecord | undefined {
      const row = voucherById.get(id);
      return row === undefined ? undefined : rowToVoucher(row);
    },

    findVoucherByCode(code: string): VoucherRecord | undefined {
      const row = voucherByCode.get(code);
      return row === undefined ? undefined : rowToVoucher(row);
    },

    findPublishableVoucher(campaignId: string): VoucherRecord | undefined {
      const row = publishableVoucher.get(campaignId);
      return row === undefined ? undefined : rowToVoucher(row);
    },

    listHeldLoyaltyCards(customerId: string): VoucherRecord[] {
      return heldLoyaltyCards.all(customerId).map(rowToVoucher);
    },

    insertVoucher(voucher: VoucherRecord): void {
      insertVoucherRow.run(voucherToRow(voucher));
    },

    updateVoucher(voucher: VoucherRecord): void {
      const { changes } = updateVoucherRow.run(voucherToRow(voucher));
      if (changes !== 1) throw new Error(`updateVoucher: no voucher ${voucher.id}`);
    },

    getCustomer(id: string): CustomerRecord | undefined {
      const row = customerById.get(id);
      return row === undefined ? undefined : rowToCustomer(row);
    },

    findCustomerBySourceId(sourceId: string): CustomerRecord | undefined {
      const row = customerBySourceId.get(sourceId);
      return row === undefined ? undefined : rowToCustomer(row);
    },

    insertCustomer(customer: CustomerRecord): void {
      insertCustomerRow.run(customerToRow(customer));
    },

    updateCustomer(customer: CustomerRecord): void {
      const { changes } = updateCustomerRow.run(customerToRow(customer));
      if (changes !== 1) throw new Error(`updateCustomer: no customer ${customer.id}`);
    },

    listCustomers(limit: number): CustomerRecord[] {
      return newestCustomers.all(checkPaging('limit', limit)).map(rowToCustomer);
    },

    getPublication(id: string): PublicationRecord | undefined {
      return loadPublication(publicationById.get(id));
    },

    findPublicationBySourceId(sourceId: string): PublicationRecord | undefined {
      return loadPublication(publicationBySourceId.get(sourceId));
    },

    findJoinedPublication(customerId: string, campaignId: string): PublicationRecord | undefined {
      return loadPublication(joinedPublication.get(customerId, campaignId));
    },

    insertPublication(publication: PublicationRecord): PublicationRecord {
      return inTransaction(() => {
        const seq = Number(insertPublicationRow.run(publicationRow(publication)).lastInsertRowid);
        linkVouchers(publication);
        return { ...publication, voucher_ids: [...publication.voucher_ids], seq };
      });
    },

    listPublications(query: PublicationQuery): { publications: PublicationRecord[]; total: number } {
      if (!hasKey(ORDER_COLUMNS, query.order.field)) {
        throw new TypeError(`unknown order field ${JSON.stringify(query.order.field)}`);
      }
      if (!hasKey(DIRECTIONS, query.order.direction)) {
        throw new TypeError(`unknown order direction ${JSON.stringify(query.order.direction)}`);
      }
      const limit = checkPaging('limit', query.limit);
      const offset = checkPaging('offset', query.offset);
      const params: SqlValue[] = [];
      const where = compileWhere(query, params);
      const whereSql = where === '' ? '' : ` WHERE ${where}`;
      const direction = DIRECTIONS[query.order.direction];
      const orderBy = `${ORDER_COLUMNS[query.order.field]} ${direction}, p.seq ${direction}`;

      return inReadTransaction(() => {
        const total = cachedStatement(countStatements, `SELECT count(*) AS total FROM publications p${whereSql}`).get(
          ...params,
        );
        const rows = cachedStatement(
          pageStatements,
          `SELECT ${PUBLICATION_COLUMNS} FROM publications p${whereSql} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
        ).all(...params, limit, offset);
        const voucherIds = new Map<string, string[]>(rows.map((row) => [row.id, []]));
        if (rows.length > 0) {
          for (const link of voucherIdsOfPublications.all(JSON.stringify(rows.map((row) => row.id)))) {
            voucherIds.get(link.publication_id)?.push(link.voucher_id);
          }
        }
        return {
          publications: rows.map((row) => rowToPublication(row, voucherIds.get(row.id) ?? [])),
          total: total?.total ?? 0,
        };
      });
    },

    nextSequence(name: string): number {
      const row = nextSequenceValue.get(name);
      if (row === undefined) throw new Error(`nextSequence ${name}: no value returned`);
      return row.value;
    },

    getMeta(key: string): string | undefined {
      return metaByKey.get(key)?.value;
    },

    setMeta(key: string, value: string): void {
      upsertMeta.run(key, value);
    },

    clear(): void {
      inTransaction(() => {
        for (const statement of deleteAll) statement.run();
      });
    },

    exportState(): StoreSnapshot {
      return inReadTransaction(() => {
        const voucherIds = new Map<string, string[]>();
        for (const link of allPublicationVouchers.all()) {
          const ids = voucherIds.get(link.publication_id);
          if (ids === undefined) voucherIds.set(link.publication_id, [link.voucher_id]);
          else ids.push(link.voucher_id);
        }
        return {
          campaigns: allCampaigns.all().map(rowToCampaign),
          vouchers: allVouchers.all().map(rowToVoucher),
          customers: allCustomers.all().map(rowToCustomer),
          publications: allPublications.all().map((row) => rowToPublication(row, voucherIds.get(row.id) ?? [])),
          sequences: Object.fromEntries(allSequences.all().map((row) => [row.name, row.value])),
          meta: Object.fromEntries(allMeta.all().map((row) => [row.key, row.value])),
        };
      });
    },

    importState(snapshot: StoreSnapshot): void {
      // One transaction: a UNIQUE violation or a dangling reference half-way rolls back the clear too.
      inTransaction(() => {
        for (const statement of deleteAll) statement.run();
        for (const campaign of snapshot.campaigns) insertCampaignRow.run(campaignToRow(campaign));
        for (const voucher of snapshot.vouchers) insertVoucherRow.run(voucherToRow(voucher));
        for (const customer of snapshot.customers) insertCustomerRow.run(customerToRow(customer));
        for (const publication of snapshot.publications) {
          insertPublicationRowAt.run({ seq: publication.seq ?? null, ...publicationRow(publication) });
          linkVouchers(publication);
        }
        for (const [name, value] of Object.entries(snapshot.sequences)) insertSequence.run(name, value);
        for (const [key, value] of Object.entries(snapshot.meta)) upsertMeta.run(key, value);
      });
    },

    openExportView(): StoreExportView {
      return openExportView(db, options.file);
    },

    close(): void {
      db.close();
    },
  };
}

/**
 * A private connection on what `db` holds now, for a read that spans many
 * turns of the event loop while `db` goes on writing: on a file, a read-only
 * connection in a read transaction (WAL keeps its snapshot); in memory, a
 * copy of the database (one memcpy), since no other connection can see it.
 */
function openExportView(db: Database.Database, file: string | undefined): StoreExportView {
  const view = file === undefined ? new Database(db.serialize()) : new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    if (file !== undefined) {
      view.exec('BEGIN');
      // The read transaction starts at its first read: from here on, this connection sees this moment.
      view.prepare('SELECT count(*) FROM meta').get();
    }
  } catch (error) {
    view.close();
    throw error;
  }
  function* rows<R, T>(sql: string, convert: (row: R) => T): Generator<T> {
    for (const row of view.prepare<[], R>(sql).iterate()) yield convert(row);
  }
  return {
    campaigns: () => rows<CampaignRow, CampaignRecord>(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns ORDER BY seq`, rowToCampaign),
    vouchers: () => rows<VoucherRow, VoucherRecord>(`SELECT ${VOUCHER_COLUMNS} FROM vouchers ORDER BY seq`, rowToVoucher),
    customers: () => rows<CustomerRow, CustomerRecord>(`SELECT ${CUSTOMER_COLUMNS} FROM customers ORDER BY seq`, rowToCustomer),
    publications: () =>
      rows<PublicationRow & { voucher_ids: string }, PublicationRecord>(
        `SELECT ${PUBLICATION_COLUMNS}, (SELECT json_group_array(voucher_id) FROM ` +
          '(SELECT voucher_id FROM publication_vouchers WHERE publication_id = p.id ORDER BY position)) AS voucher_ids ' +
          'FROM publications p ORDER BY p.seq',
        (row) => rowToPublication(row, fromJson<string[]>(row.voucher_ids)),
      ),
    sequences: () => Object.fromEntries(view.prepare<[], { name: string; value: number }>('SELECT name, value FROM sequences ORDER BY name').all().map((row) => [row.name, row.value])),
    meta: () => Object.fromEntries(view.prepare<[], { key: string; value: string }>('SELECT key, value FROM meta ORDER BY key').all().map((row) => [row.key, row.value])),
    close: () => {
      if (view.open) view.close();
    },
  };
}

/**
 * Switches a new file to WAL. Two processes switching one file at the same
 * moment deadlock in SQLite's rollback-journal locks, and one is told "database
 * is locked" at once, without waiting (the busy timeout cannot help): it tries
 * again, a few times, briefly. Done once per open.
 */
function enterWalMode(db: Database.Database): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; ; attempt++) {
    let busy: unknown;
    try {
      // In memory, the mode stays 'memory': nothing to switch.
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode === 'wal' || mode === 'memory') return;
      busy = new Error(`${db.name}: cannot switch to WAL (journal_mode stays ${String(mode)})`);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error;
      busy = error;
    }
    if (attempt >= 50) throw busy;
    // A synchronous pause (opening is synchronous): 10-29 ms, varied so that the two do not meet again.
    Atomics.wait(pause, 0, 0, 10 + ((attempt * 7) % 20));
  }
}

/** True for an empty database (the schema is to be created); an existing store must be of this schema version. */
function checkSchemaVersion(db: Database.Database): boolean {
  const version = db.pragma('user_version', { simple: true });
  if (version === SCHEMA_VERSION) return false;
  if (version !== 0) {
    throw new Error(`${db.name}: store schema version ${String(version)}, this build reads version ${SCHEMA_VERSION}`);
  }
  const tables = db
    .prepare<[], { count: number }>("SELECT count(*) AS count FROM sqlite_schema WHERE type = 'table'")
    .get();
  if ((tables?.count ?? 0) > 0) {
    throw new Error(`${db.name}: not a store database (it has tables but no schema version)`);
  }
  return true;
}
