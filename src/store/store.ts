/**
 * The narrow interface between the publication rules and whatever keeps the
 * state. Synchronous on purpose: the rules run inside one `transaction`, so a
 * request's reads and writes are atomic and concurrent requests never see each
 * other half-done (join_once, pools running dry). SQLite implements it today;
 * another database only has to implement these verbs.
 */
import type { CampaignRecord, CustomerRecord, PublicationRecord, VoucherRecord } from '../domain/records';

export type FilterField =
  | 'campaign_name'
  | 'customer_id'
  | 'voucher_code'
  | 'voucher_type'
  | 'result'
  | 'source_id'
  | 'channel'
  | 'failure_code'
  | 'is_referral_code'
  | 'parent_object_id'
  | 'related_object_id';

export type FilterOperator =
  | '$is'
  | '$is_not'
  | '$in'
  | '$not_in'
  | '$has_value'
  | '$is_unknown'
  | '$starts_with'
  | '$ends_with'
  | '$contains'
  | '$not_contain';

/**
 * One condition on a publication. Derived fields: `campaign_name` is the name of
 * the publication's campaign; `voucher_code` matches when any of its vouchers has
 * that code; `voucher_type` is `discount`, `gift` or `loyalty` (from the first
 * voucher's type); `is_referral_code` from the first voucher; `parent_object_id` is
 * the publication's campaign id; `related_object_id` matches when any of its
 * vouchers has that id.
 */
export interface Condition {
  field: FilterField;
  op: FilterOperator;
  /**
   * string for $is/$is_not/$starts_with/$ends_with, string[] for $in/$not_in, boolean for is_referral_code, absent for
   * $has_value/$is_unknown.
   */
  value?: string | string[] | boolean;
}

export type OrderField = 'created_at' | 'id' | 'voucher_code' | 'tracking_id' | 'customer_id' | 'channel';

export interface PublicationQuery {
  /** Always all required (the simple query parameters). */
  must: Condition[];
  /** The `filters[...]` conditions, combined by `junction`. */
  filters: Condition[];
  junction: 'and' | 'or';
  /** Ties (equal values) are broken by insertion order, in the same direction. */
  order: { field: OrderField; direction: 'asc' | 'desc' };
  limit: number;
  offset: number;
}

export interface CampaignStock {
  /** Vouchers of the campaign that exist now. */
  total: number;
  /** Active vouchers not yet published. */
  publishable: number;
}

/**
 * Everything a store holds, as plain records: what `GET /__mock/state` exports
 * and `PUT /__mock/state` restores. Rows are in insertion order; publications
 * carry their `seq`; counters and meta are included so ids continue exactly
 * where they stopped.
 */
export interface StoreSnapshot {
  campaigns: CampaignRecord[];
  vouchers: VoucherRecord[];
  customers: CustomerRecord[];
  publications: PublicationRecord[];
  sequences: Record<string, number>;
  meta: Record<string, string>;
}

/**
 * One consistent, read-only view of everything a store holds, read record by
 * record (the streamed `GET /__mock/state`): the store goes on serving reads
 * and writes while it is read. Records come in insertion order, as in
 * StoreSnapshot. Each list is read once; `close` frees the view.
 */
export interface StoreExportView {
  campaigns(): Iterable<CampaignRecord>;
  vouchers(): Iterable<VoucherRecord>;
  customers(): Iterable<CustomerRecord>;
  publications(): Iterable<PublicationRecord>;
  sequences(): Record<string, number>;
  meta(): Record<string, string>;
  close(): void;
}

export interface Store {
  /**
   * Runs `fn` atomically and durably (committed before it returns); a throw rolls everything back. Nested calls join
   * the outer one.
   */
  transaction<T>(fn: () => T): T;

  getCampaign(id: string): CampaignRecord | undefined;
  findCampaignByName(name: string): CampaignRecord | undefined;
  listCampaigns(): CampaignRecord[];
  campaignStock(campaignId: string): CampaignStock;
  insertCampaign(campaign: CampaignRecord): void;

  getVoucher(id: string): VoucherRecord | undefined;
  findVoucherByCode(code: string): VoucherRecord | undefined;
  /** The first active, unpublished voucher of the campaign, in creation order. */
  findPublishableVoucher(campaignId: string): VoucherRecord | undefined;
  /** The loyalty cards the customer holds (published to them), in creation order: their points are the customer's. */
  listHeldLoyaltyCards(customerId: string): VoucherRecord[];
  insertVoucher(voucher: VoucherRecord): void;
  updateVoucher(voucher: VoucherRecord): void;

  getCustomer(id: string): CustomerRecord | undefined;
  findCustomerBySourceId(sourceId: string): CustomerRecord | undefined;
  insertCustomer(customer: CustomerRecord): void;
  updateCustomer(customer: CustomerRecord): void;
  /** Newest first. */
  listCustomers(limit: number): CustomerRecord[];

  getPublication(id: string): PublicationRecord | undefined;
  /** The successful publication made with this source_id, if any. */
  findPublicationBySourceId(sourceId: string): PublicationRecord | undefined;
  /** The customer's first successful publication from the campaign (join_once). */
  findJoinedPublication(customerId: string, campaignId: string): PublicationRecord | undefined;
  /** Stores the publication and returns it with its `seq`. */
  insertPublication(publication: PublicationRecord): PublicationRecord;
  listPublications(query: PublicationQuery): { publications: PublicationRecord[]; total: number };

  /** A persistent counter per name, from 1: deterministic ids survive a restart. */
  nextSequence(name: string): number;
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;

  /** Deletes every record, counter and meta value (reset). */
  clear(): void;
  /** All records, counters and meta, read in one transaction. */
  exportState(): StoreSnapshot;
  /**
   * The same as a view to read record by record, without holding it all in memory; stores without one are exported
   * with `exportState`.
   */
  openExportView?(): StoreExportView;
  /**
   * Replaces everything with the snapshot in one transaction: on any error (a duplicate id, a dangling reference)
   * nothing changes.
   */
  importState(snapshot: StoreSnapshot): void;
  close(): void;
}
