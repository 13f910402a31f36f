/**
 * A new voucher of a campaign, as the campaign makes it: its value template
 * copied; active, unpublished, not redeemed (the voucher's declared initial
 * values, src/store/record-tables.ts). One definition for the generated
 * world, the fixture-file loader and auto-update campaigns at run time.
 */
import { newRecord } from '../store/new-record';
import { VOUCHERS } from '../store/record-tables';
import type { CampaignRecord, DayOfWeek, ValidityTimeframe, VoucherRecord } from './records';

export interface NewVoucher {
  id: string;
  code: string;
  created_at: string;
  validity_timeframe?: ValidityTimeframe | null;
  validity_day_of_week?: DayOfWeek[] | null;
}

export function voucherFromCampaign(campaign: CampaignRecord, made: NewVoucher): VoucherRecord {
  return newRecord(VOUCHERS, {
    id: made.id,
    code: made.code,
    campaign_id: campaign.id,
    type: campaign.type,
    // Copies, so a voucher never shares a mutable object with its campaign.
    discount: campaign.discount ? { ...campaign.discount } : null,
    gift: campaign.gift ? { ...campaign.gift } : null,
    loyalty_card: campaign.loyalty_card ? { ...campaign.loyalty_card } : null,
    category: campaign.category,
    category_id: campaign.category_id,
    start_date: campaign.start_date,
    expiration_date: campaign.expiration_date,
    validity_timeframe: made.validity_timeframe ? { ...made.validity_timeframe } : null,
    validity_day_of_week: made.validity_day_of_week ? [...made.validity_day_of_week] : null,
    is_referral_code: campaign.is_referral,
    redemption_quantity: campaign.redemption_quantity,
    created_at: made.created_at,
  });
}
