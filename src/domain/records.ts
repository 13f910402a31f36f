/**
 * What the mock keeps: campaigns, vouchers, customers and publications, as
 * stored records. These are internal shapes; `src/render/` turns them into the
 * spec's response objects. Timestamps are ISO 8601 strings with milliseconds.
 * The records' fields are declared once, with their storage, in
 * src/store/record-tables.ts; the types here follow from those declarations.
 */
import type { components } from '../spec/publications-api.generated';
import type { RecordOf } from '../store/columns';
import type { CAMPAIGNS, CUSTOMERS, PUBLICATIONS, VOUCHERS } from '../store/record-tables';

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

/** A campaign (src/store/record-tables.ts declares its fields). */
export type CampaignRecord = RecordOf<typeof CAMPAIGNS.columns>;

/** A voucher (src/store/record-tables.ts declares its fields). */
export type VoucherRecord = RecordOf<typeof VOUCHERS.columns>;

/** A customer (src/store/record-tables.ts declares its fields). */
export type CustomerRecord = RecordOf<typeof CUSTOMERS.columns>;

/** A publication (src/store/record-tables.ts declares its fields), with its vouchers and insertion order. */
export type PublicationRecord = RecordOf<typeof PUBLICATIONS.columns> & {
  /** Voucher ids, in publishing order; empty for a failure. */
  voucher_ids: string[];
  /** Insertion order, to break ties between equal timestamps (a frozen clock). */
  seq?: number;
};
