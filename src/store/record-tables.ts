/**
 * Every record the mock keeps, declared once: each table's columns (logical types
 * from src/store/columns.ts), keys and indexes. The record types (src/domain/records.ts),
 * each engine's DDL and row conversion (a dialect plus src/store/table-codec.ts) and
 * the snapshot's record schemas (src/store/snapshot-schemas.ts) all follow from these
 * declarations; adding a field to a record is an edit here. Nothing here is SQL.
 */
import type {
  CodeConfig,
  DayOfWeek,
  Discount,
  Gift,
  LoyaltyCard,
  Metadata,
  ValidityTimeframe,
  VoucherType,
} from '../domain/records';
import type { JsonSchema } from '../spec/spec-document';
import {
  type Columns,
  boolean,
  count,
  id,
  initially,
  integer,
  json,
  nullable,
  oneOf,
  sharedText,
  text,
  timestamp,
} from './columns';

/** A condition on one column (partial indexes): null, not null, or equal to a value. */
export type ColumnPredicate =
  { column: string; is: 'null' | 'not-null' } | { column: string; equals: string | number | boolean };

export interface IndexDeclaration {
  name: string;
  columns: readonly string[];
  unique?: boolean;
  /** A partial index: only rows where every predicate holds are in it. */
  where?: readonly ColumnPredicate[];
  /** Added after schema version 1: created, when missing, on every open, so that older files get it too. */
  addedLater?: boolean;
}

export interface TableDeclaration<C extends Columns = Columns> {
  name: string;
  /**
   * `seq`: an integer key recording insertion order; `autoincrement` never reuses
   * one (a publication's seq is part of its identity in a snapshot). Otherwise the
   * table is keyed by `primaryKey` and has no seq.
   */
  key: { seq: 'rowid' | 'autoincrement' } | { primaryKey: readonly string[] };
  /** The record's fields, in order. */
  columns: C;
  /**
   * Stored beside the record so that a query reads one table (copies of other records' fields); not part of the record.
   */
  copies?: Columns;
  /** Columns unique across the table, declared with the column. */
  unique?: readonly string[];
  indexes?: readonly IndexDeclaration[];
  /** Snapshot fields that are not columns of this table (kept in another one, or the seq). */
  snapshotExtras?: { properties: Record<string, JsonSchema>; optional: readonly string[] };
}

const VOUCHER_TYPES: readonly VoucherType[] = ['DISCOUNT_VOUCHER', 'GIFT_VOUCHER', 'LOYALTY_CARD'];

function declareTable<C extends Columns>(table: TableDeclaration<C>): TableDeclaration<C> {
  return table;
}

export const CAMPAIGNS = declareTable({
  name: 'campaigns',
  key: { seq: 'rowid' },
  unique: ['id'],
  columns: {
    id: id(),
    name: text(),
    type: oneOf(VOUCHER_TYPES),
    /** Referral campaigns publish referral codes (`is_referral_code: true`). */
    is_referral: boolean(),
    /** When true, a dry pool generates a new code instead of failing. */
    auto_update: boolean(),
    active: boolean(),
    code_config: json<CodeConfig>(undefined, 'codeConfig'),
    /** The value templates copied into generated vouchers. */
    discount: nullable(json<Discount>()),
    gift: nullable(json<Gift>()),
    loyalty_card: nullable(json<LoyaltyCard>()),
    start_date: nullable(timestamp()),
    expiration_date: nullable(timestamp()),
    /** Redemptions allowed per voucher; null = unlimited. */
    redemption_quantity: nullable(count()),
    category: nullable(text()),
    category_id: nullable(text()),
    metadata: json<Metadata>(),
    created_at: timestamp(),
  },
  indexes: [{ name: 'campaigns_name', columns: ['name'] }],
});

export const VOUCHERS = declareTable({
  name: 'vouchers',
  key: { seq: 'rowid' },
  unique: ['id'],
  columns: {
    id: id(),
    code: sharedText('code'),
    campaign_id: nullable(text()),
    type: oneOf(VOUCHER_TYPES),
    discount: nullable(json<Discount>()),
    gift: nullable(json<Gift>()),
    loyalty_card: nullable(json<LoyaltyCard>()),
    category: nullable(text()),
    category_id: nullable(text()),
    start_date: nullable(timestamp()),
    expiration_date: nullable(timestamp()),
    validity_timeframe: nullable(json<ValidityTimeframe>()),
    validity_day_of_week: nullable(
      json<DayOfWeek[]>({ type: 'array', maxItems: 7, items: { type: 'integer', minimum: 0, maximum: 6 } }),
    ),
    active: initially(boolean(), true),
    additional_info: initially(nullable(text()), null),
    metadata: initially(json<Metadata>(), {}),
    is_referral_code: boolean(),
    /** The customer the voucher was published to; null while unpublished. */
    holder_id: initially(nullable(text()), null),
    publish_count: initially(count(), 0),
    redemption_quantity: nullable(count()),
    redeemed_quantity: initially(count(), 0),
    created_at: timestamp(),
    updated_at: initially(nullable(timestamp()), null),
  },
  indexes: [
    { name: 'vouchers_code', columns: ['code'], unique: true },
    // campaignStock's total.
    { name: 'vouchers_campaign', columns: ['campaign_id'] },
    // findPublishableVoucher and campaignStock's publishable count: only the vouchers still in the pool are in it,
    // so a campaign with 1M published vouchers and a few left costs a few entries, not a scan past the published ones.
    {
      name: 'vouchers_publishable',
      columns: ['campaign_id', 'created_at', 'seq'],
      where: [
        { column: 'active', equals: true },
        { column: 'holder_id', is: 'null' },
      ],
    },
    // listHeldLoyaltyCards: partial, so only loyalty cards with a holder are in it and publishing other vouchers pays
    // nothing for it.
    {
      name: 'vouchers_held_loyalty',
      columns: ['holder_id', 'created_at', 'seq'],
      where: [
        { column: 'type', equals: 'LOYALTY_CARD' },
        { column: 'holder_id', is: 'not-null' },
      ],
      addedLater: true,
    },
  ],
});

export const CUSTOMERS = declareTable({
  name: 'customers',
  key: { seq: 'rowid' },
  unique: ['id'],
  columns: {
    id: id(),
    source_id: nullable(text()),
    name: nullable(text()),
    email: nullable(text()),
    phone: nullable(text()),
    description: nullable(text()),
    birthdate: nullable(text()),
    address: nullable(
      json<Record<string, string | null>>({ type: 'object', additionalProperties: { type: ['string', 'null'] } }),
    ),
    metadata: json<Metadata>(),
    created_at: timestamp(),
    updated_at: nullable(timestamp()),
  },
  indexes: [
    {
      name: 'customers_source_id',
      columns: ['source_id'],
      unique: true,
      where: [{ column: 'source_id', is: 'not-null' }],
    },
    // listCustomers (newest first).
    { name: 'customers_created', columns: ['created_at', 'seq'] },
  ],
});

/**
 * Copies a publication row keeps for listing, so a list page is one indexed query: the campaign's name and the first
 * voucher's code, type (discount | gift | loyalty) and referral flag; null without a campaign / voucher.
 */
export const PUBLICATION_COPIES = {
  campaign_name: nullable(text()),
  voucher_code: nullable(text()),
  voucher_type: nullable(text()),
  is_referral_code: nullable(boolean()),
};

export const PUBLICATIONS = declareTable({
  name: 'publications',
  key: { seq: 'autoincrement' },
  unique: ['id'],
  columns: {
    id: id(),
    created_at: timestamp(),
    customer_id: id(),
    /** The customer's source_id at the time of publishing. */
    tracking_id: nullable(text()),
    metadata: json<Metadata>(),
    channel: text(),
    source_id: nullable(text()),
    result: oneOf(['SUCCESS', 'FAILURE'] as const, { checked: true }),
    /** The campaign the codes came from (null for a standalone voucher or a failure before one was found). */
    campaign_id: nullable(text()),
    /** True when the answer listed `vouchers` (campaign.count above 1) rather than one `voucher`. */
    multiple: boolean(),
    failure_code: nullable(text()),
    failure_message: nullable(text()),
  },
  copies: PUBLICATION_COPIES,
  indexes: [
    // A source_id is used once by a success; failures may repeat it.
    {
      name: 'publications_source_id',
      columns: ['source_id'],
      unique: true,
      where: [{ column: 'result', equals: 'SUCCESS' }],
    },
    // join_once: the customer's first success from the campaign.
    {
      name: 'publications_joined',
      columns: ['customer_id', 'campaign_id', 'seq'],
      where: [{ column: 'result', equals: 'SUCCESS' }],
    },
    // Lists filtered by customer (or campaign), newest or oldest first; the default order.
    { name: 'publications_customer_created', columns: ['customer_id', 'created_at', 'seq'] },
    { name: 'publications_campaign_created', columns: ['campaign_name', 'created_at', 'seq'] },
    { name: 'publications_created', columns: ['created_at', 'seq'] },
    // A `source_id` filter in `filters[...]` (any result): the unique index above holds successes only, so without this
    // one the condition scans the table (~0.8 s at 1M rows). Partial: publications without a source_id (most) pay
    // nothing for it on insert. Schema version 2.
    {
      name: 'publications_source_id_any',
      columns: ['source_id'],
      where: [{ column: 'source_id', is: 'not-null' }],
      addedLater: true,
    },
    // `filters[parent_object_id]` (the campaign's id), newest or oldest first. Schema version 2.
    { name: 'publications_campaign_id_created', columns: ['campaign_id', 'created_at', 'seq'], addedLater: true },
    // `filters[failure_code]`, in the list's order (without it the matches are sorted): failures only (partial), so
    // successful creates pay nothing for it. Schema version 2.
    {
      name: 'publications_failure_code',
      columns: ['failure_code', 'created_at', 'seq'],
      where: [{ column: 'failure_code', is: 'not-null' }],
      addedLater: true,
    },
  ],
  snapshotExtras: {
    properties: {
      /** Voucher ids, in publishing order (kept in publication_vouchers); empty for a failure. */
      voucher_ids: { type: 'array', items: { type: 'string', minLength: 1 } },
      /** Insertion order, to break ties between equal timestamps (a frozen clock). */
      seq: { type: 'integer', minimum: 1 },
    },
    optional: ['seq'],
  },
});

/** A publication's vouchers, in publishing order. */
export const PUBLICATION_VOUCHERS = declareTable({
  name: 'publication_vouchers',
  key: { primaryKey: ['publication_id', 'position'] },
  columns: {
    publication_id: text(),
    voucher_id: text(),
    position: integer(),
  },
  // voucher_code filters: from the code's voucher to its publications.
  indexes: [{ name: 'publication_vouchers_voucher', columns: ['voucher_id'] }],
});

/** Persistent counters (deterministic ids survive a restart). */
export const SEQUENCES = declareTable({
  name: 'sequences',
  key: { primaryKey: ['name'] },
  columns: { name: text(), value: integer() },
});

export const META = declareTable({
  name: 'meta',
  key: { primaryKey: ['key'] },
  columns: { key: text(), value: text() },
});

/** Every table, in the order they are created (and emptied by a reset). */
export const TABLES: readonly TableDeclaration[] = [
  CAMPAIGNS,
  VOUCHERS,
  CUSTOMERS,
  PUBLICATIONS,
  PUBLICATION_VOUCHERS,
  SEQUENCES,
  META,
];
