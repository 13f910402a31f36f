/**
 * What the mock keeps: campaigns, vouchers, customers and publications, as
 * stored records. These are internal shapes; `src/render/` turns them into the
 * spec's response objects. Timestamps are ISO 8601 strings with milliseconds.
 */
import type { components } from '../spec/publications-api.generated';

type Schemas = components['schemas'];
export type Discount = Schemas['Discount'];
export type Gift = Schemas['Gift'];
export type LoyaltyCard = Schemas['LoyaltyCard'];
export type ValidityTimeframe = Schemas['ValidityTimeframe'];
export type VoucherType = Schemas['VoucherType'];
export type DayOfWeek = Schemas['DayOfWeek'];
export type Metadata = Record<string, unknown>;

/** How a campaign makes new codes (auto-update campaigns make one per publication when the pool is dry). */
export interface CodeConfig {
  prefix?: string;
  postfix?: string;
  /** Number of random characters, when there is no pattern. Default 8. */
  length?: number;
  /** Characters to draw from. Default: letters and digits. */
  charset?: string;
  /** `#` is replaced by a random character, e.g. `PROMO-####`. Wins over length. */
  pattern?: string;
}

export interface CampaignRecord {
  id: string;
  name: string;
  type: VoucherType;
  /** Referral campaigns publish referral codes (`is_referral_code: true`). */
  is_referral: boolean;
  /** When true, a dry pool generates a new code instead of failing. */
  auto_update: boolean;
  active: boolean;
  code_config: CodeConfig;
  /** The value template copied into generated vouchers. */
  discount: Discount | null;
  gift: Gift | null;
  loyalty_card: LoyaltyCard | null;
  start_date: string | null;
  expiration_date: string | null;
  /** Redemptions allowed per voucher; null = unlimited. */
  redemption_quantity: number | null;
  category: string | null;
  category_id: string | null;
  metadata: Metadata;
  created_at: string;
}

export interface VoucherRecord {
  id: string;
  code: string;
  campaign_id: string | null;
  type: VoucherType;
  discount: Discount | null;
  gift: Gift | null;
  loyalty_card: LoyaltyCard | null;
  category: string | null;
  category_id: string | null;
  start_date: string | null;
  expiration_date: string | null;
  validity_timeframe: ValidityTimeframe | null;
  validity_day_of_week: DayOfWeek[] | null;
  active: boolean;
  additional_info: string | null;
  metadata: Metadata;
  is_referral_code: boolean;
  /** The customer the voucher was published to; null while unpublished. */
  holder_id: string | null;
  publish_count: number;
  redemption_quantity: number | null;
  redeemed_quantity: number;
  created_at: string;
  updated_at: string | null;
}

export interface CustomerRecord {
  id: string;
  source_id: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  description: string | null;
  birthdate: string | null;
  address: Record<string, string | null> | null;
  metadata: Metadata;
  created_at: string;
  updated_at: string | null;
}

export interface PublicationRecord {
  id: string;
  created_at: string;
  customer_id: string;
  /** The customer's source_id at the time of publishing. */
  tracking_id: string | null;
  metadata: Metadata;
  channel: string;
  source_id: string | null;
  result: 'SUCCESS' | 'FAILURE';
  /** The campaign the codes came from (null for a standalone voucher or a failure before one was found). */
  campaign_id: string | null;
  /** Voucher ids, in publishing order; empty for a failure. */
  voucher_ids: string[];
  /** True when the answer listed `vouchers` (campaign.count above 1) rather than one `voucher`. */
  multiple: boolean;
  failure_code: string | null;
  failure_message: string | null;
  /** Insertion order, to break ties between equal timestamps (a frozen clock). */
  seq?: number;
}
