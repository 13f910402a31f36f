/**
 * The records an answer renders from, read ahead inside the request's
 * transaction: the renderers stay synchronous (they read a lookup), while the
 * store is asynchronous (PostgreSQL). Only what the rules did not already hold
 * is read, each record once.
 */
import type { CampaignRecord, CustomerRecord, PublicationRecord, VoucherRecord } from '../domain/records';
import type { StoreTransaction } from '../store/async-store';
import type { CustomerDetailsLookup } from './render-customer-details';
import type { KnownRecords, RecordLookup } from './render-publication';

type Reads = Pick<StoreTransaction, 'getCustomer' | 'getVoucher' | 'getCampaign'>;

/** A lookup holding every record `publications` render from (with `known` first). */
export async function prefetchRecords(
  tx: Reads,
  publications: readonly PublicationRecord[],
  known: KnownRecords = {},
): Promise<RecordLookup> {
  const customers = new Map<string, CustomerRecord | undefined>();
  const vouchers = new Map<string, VoucherRecord | undefined>();
  const campaigns = new Map<string, CampaignRecord | undefined>();
  if (known.customer) customers.set(known.customer.id, known.customer);
  for (const voucher of known.vouchers ?? []) vouchers.set(voucher.id, voucher);
  if (known.campaign) campaigns.set(known.campaign.id, known.campaign);
  for (const publication of publications) {
    if (!customers.has(publication.customer_id))
      customers.set(publication.customer_id, await tx.getCustomer(publication.customer_id));
    for (const id of publication.voucher_ids) {
      let voucher = vouchers.get(id);
      if (!vouchers.has(id)) {
        voucher = await tx.getVoucher(id);
        vouchers.set(id, voucher);
      }
      const campaignId = voucher?.campaign_id;
      if (campaignId && !campaigns.has(campaignId)) campaigns.set(campaignId, await tx.getCampaign(campaignId));
    }
  }
  return {
    getCustomer: (id) => customers.get(id),
    getVoucher: (id) => vouchers.get(id),
    getCampaign: (id) => campaigns.get(id),
  };
}

/** A lookup holding what a customer's details render from: the loyalty cards held and their campaigns. */
export async function prefetchCustomerDetails(
  tx: Pick<StoreTransaction, 'listHeldLoyaltyCards' | 'getCampaign'>,
  customerId: string,
): Promise<CustomerDetailsLookup> {
  const cards = await tx.listHeldLoyaltyCards(customerId);
  const campaigns = new Map<string, CampaignRecord | undefined>();
  for (const card of cards) {
    if (card.campaign_id && !campaigns.has(card.campaign_id))
      campaigns.set(card.campaign_id, await tx.getCampaign(card.campaign_id));
  }
  return {
    listHeldLoyaltyCards: (id) => (id === customerId ? cards : []),
    getCampaign: (id) => campaigns.get(id),
  };
}
