/**
 * Records to fill a store with in tests: each builder gives a valid record of
 * its table with plain values, the fields a test cares about overridden.
 */
import type { CampaignRecord, CustomerRecord, PublicationRecord, VoucherRecord } from '../../src/domain/records';
import type { PublicationQuery } from '../../src/store/store';

export const T0 = '2024-05-01T10:00:00.000Z';

/** T0 plus `seconds`, as a record's timestamp. */
export function at(seconds: number): string {
  return new Date(Date.parse(T0) + seconds * 1000).toISOString();
}

export function campaign(id: string, overrides: Partial<CampaignRecord> = {}): CampaignRecord {
  return {
    id,
    name: `Campaign ${id}`,
    type: 'DISCOUNT_VOUCHER',
    is_referral: false,
    auto_update: false,
    active: true,
    code_config: {},
    discount: null,
    gift: null,
    loyalty_card: null,
    start_date: null,
    expiration_date: null,
    redemption_quantity: null,
    category: null,
    category_id: null,
    metadata: {},
    created_at: T0,
    ...overrides,
  };
}

export function voucher(id: string, overrides: Partial<VoucherRecord> = {}): VoucherRecord {
  return {
    id,
    code: `CODE-${id}`,
    campaign_id: null,
    type: 'DISCOUNT_VOUCHER',
    discount: null,
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
    redemption_quantity: null,
    redeemed_quantity: 0,
    created_at: T0,
    updated_at: null,
    ...overrides,
  };
}

export function customer(id: string, overrides: Partial<CustomerRecord> = {}): CustomerRecord {
  return {
    id,
    source_id: null,
    name: null,
    email: null,
    phone: null,
    description: null,
    birthdate: null,
    address: null,
    metadata: {},
    created_at: T0,
    updated_at: null,
    ...overrides,
  };
}

export function publication(id: string, overrides: Partial<PublicationRecord> = {}): PublicationRecord {
  return {
    id,
    created_at: T0,
    customer_id: 'cust_a',
    tracking_id: null,
    metadata: {},
    channel: 'API',
    source_id: null,
    result: 'SUCCESS',
    campaign_id: null,
    voucher_ids: [],
    multiple: false,
    failure_code: null,
    failure_message: null,
    ...overrides,
  };
}

export function query(overrides: Partial<PublicationQuery> = {}): PublicationQuery {
  return {
    must: [],
    filters: [],
    junction: 'and',
    order: { field: 'created_at', direction: 'asc' },
    limit: 100,
    offset: 0,
    ...overrides,
  };
}
