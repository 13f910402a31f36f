/**
 * A voucher as `GET /v1/vouchers/{code}` answers it: the voucher a create
 * renders, plus its `categories` and `validation_rules_assignments`, in the
 * property order of the vendor's example (categories after category_id; the
 * assignments between holder_id and redemption).
 */
import { createHash } from 'node:crypto';
import type { CampaignRecord, VoucherRecord } from '../domain/records';
import type { components } from '../spec/publications-api.generated';
import { renderVoucher } from './render-publication';

type Schemas = components['schemas'];

/** How deep the category sits; the mock's categories are flat, as in the vendor's examples (1). */
const CATEGORY_HIERARCHY = 1;

export function renderVoucherDetails(
  voucher: VoucherRecord,
  campaign: CampaignRecord | undefined,
  baseUrl: string,
): Schemas['Voucher'] {
  const {
    id,
    code,
    campaign: campaignName,
    campaign_id,
    category,
    category_id,
    holder_id,
    redemption,
    publish,
    object,
    ...middle
  } = renderVoucher(voucher, campaign, baseUrl);
  return {
    id,
    code,
    campaign: campaignName,
    campaign_id,
    category,
    category_id,
    categories: categoriesOf(voucher, campaign),
    ...middle,
    // renderVoucher sends '' for a voucher without a holder (a create always has one); a read leaves it out.
    ...(voucher.holder_id !== null ? { holder_id } : {}),
    validation_rules_assignments: { object: 'list', data_ref: 'data', data: [], total: 0 },
    redemption,
    publish,
    object,
  };
}

/** The voucher's category as a Category object; none when it has no category. */
function categoriesOf(voucher: VoucherRecord, campaign: CampaignRecord | undefined): Schemas['Category'][] {
  if (voucher.category === null && voucher.category_id === null) return [];
  const name = voucher.category ?? voucher.category_id!;
  return [
    {
      // A category named without an id gets a stable one derived from its name.
      id: voucher.category_id ?? `cat_${createHash('sha256').update(name).digest('hex').slice(0, 18)}`,
      name,
      hierarchy: CATEGORY_HIERARCHY,
      // The mock keeps no category records: a category exists at least since its campaign (or voucher) does.
      created_at: campaign?.created_at ?? voucher.created_at,
      object: 'category',
    },
  ];
}
