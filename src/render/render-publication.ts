/**
 * Turns stored records into the spec's response objects: a created publication
 * (one voucher or a list of codes) and the items of a publication list.
 * Property order follows the documentation's example, so bodies read like it.
 */
import { createHash } from 'node:crypto';
import type { components } from '../generated/publications-api';
import type { CampaignRecord, CustomerRecord, PublicationRecord, VoucherRecord } from '../domain/records';
import type { Store } from '../store/store';

type Schemas = components['schemas'];
export type PublicationCreated = Schemas['PublicationCreated'];
export type PublicationCreatedMany = Schemas['PublicationCreatedMany'];
export type ListedItem = Schemas['PublicationsList']['publications'][number];

export interface RenderContext {
  store: Store;
  /** Where the mock is reached, e.g. `http://127.0.0.1:4010`: asset URLs point back at it. */
  baseUrl: string;
}

export function renderCustomer(customer: CustomerRecord): Schemas['PublicationCustomer'] {
  // Attributes the customer does not have are left out, not sent as null.
  return {
    id: customer.id,
    ...(customer.name !== null ? { name: customer.name } : {}),
    ...(customer.email !== null ? { email: customer.email } : {}),
    ...(customer.source_id !== null ? { source_id: customer.source_id } : {}),
    metadata: customer.metadata,
    object: 'customer',
  };
}

/** A stable, opaque asset id shaped like the API's (which are encrypted blobs). */
function assetId(kind: string, code: string): string {
  return `U2FsdGVkX1${createHash('sha256').update(`${kind}:${code}`).digest('base64').replace(/=+$/, '')}`;
}

export function renderVoucher(voucher: VoucherRecord, campaign: CampaignRecord | undefined, baseUrl: string): Schemas['Voucher'] {
  const code = encodeURIComponent(voucher.code);
  return {
    id: voucher.id,
    code: voucher.code,
    campaign: campaign?.name ?? null,
    campaign_id: campaign?.id ?? null,
    category: voucher.category,
    category_id: voucher.category_id,
    type: voucher.type,
    discount: voucher.discount,
    gift: voucher.gift,
    loyalty_card: voucher.loyalty_card,
    start_date: voucher.start_date,
    expiration_date: voucher.expiration_date,
    validity_timeframe: voucher.validity_timeframe,
    validity_day_of_week: voucher.validity_day_of_week,
    active: voucher.active,
    additional_info: voucher.additional_info,
    metadata: voucher.metadata,
    assets: {
      qr: { id: assetId('qr', voucher.code), url: `${baseUrl}/__mock/assets/qr/${code}.png` },
      barcode: { id: assetId('barcode', voucher.code), url: `${baseUrl}/__mock/assets/barcode/${code}.png` },
    },
    is_referral_code: voucher.is_referral_code,
    created_at: voucher.created_at,
    updated_at: voucher.updated_at,
    // Rendered only for published vouchers, which always have a holder.
    holder_id: voucher.holder_id ?? '',
    redemption: {
      quantity: voucher.redemption_quantity,
      redeemed_quantity: voucher.redeemed_quantity,
      object: 'list',
      url: `/v1/vouchers/${code}/redemptions?page=1&limit=10`,
    },
    publish: {
      object: 'list',
      count: voucher.publish_count,
      url: `/v1/vouchers/${code}/publications?page=1&limit=10`,
    },
    object: 'voucher',
  };
}

interface Parts {
  customer: CustomerRecord;
  vouchers: VoucherRecord[];
}

function loadParts(store: Store, publication: PublicationRecord): Parts {
  const customer = store.getCustomer(publication.customer_id);
  if (!customer) throw new Error(`Publication ${publication.id} names a missing customer ${publication.customer_id}`);
  const vouchers = publication.voucher_ids.map((id) => {
    const voucher = store.getVoucher(id);
    if (!voucher) throw new Error(`Publication ${publication.id} names a missing voucher ${id}`);
    return voucher;
  });
  return { customer, vouchers };
}

function header(publication: PublicationRecord, customer: CustomerRecord) {
  return {
    id: publication.id,
    object: 'publication' as const,
    created_at: publication.created_at,
    customer_id: publication.customer_id,
    ...(publication.tracking_id !== null ? { tracking_id: publication.tracking_id } : {}),
    metadata: publication.metadata,
    channel: publication.channel,
    source_id: publication.source_id,
  };
}

/** The answer of a create: one `voucher`, or `vouchers` (codes) when several were asked for. */
export function renderCreated(ctx: RenderContext, publication: PublicationRecord): PublicationCreated | PublicationCreatedMany {
  const { customer, vouchers } = loadParts(ctx.store, publication);
  const common = { ...header(publication, customer), result: 'SUCCESS' as const, customer: renderCustomer(customer) };
  if (publication.multiple) {
    return { ...common, vouchers: vouchers.map((v) => v.code), vouchers_id: vouchers.map((v) => v.id) };
  }
  const voucher = vouchers[0]!;
  const campaign = voucher.campaign_id ? ctx.store.getCampaign(voucher.campaign_id) : undefined;
  return { ...common, voucher: renderVoucher(voucher, campaign, ctx.baseUrl), vouchers_id: [voucher.id] };
}

export function renderListed(ctx: RenderContext, publication: PublicationRecord): ListedItem {
  const { customer, vouchers } = loadParts(ctx.store, publication);
  const head = header(publication, customer);
  if (publication.result === 'FAILURE') {
    return {
      ...head,
      result: 'FAILURE',
      customer: renderCustomer(customer),
      failure_code: publication.failure_code ?? 'unknown',
      failure_message: publication.failure_message ?? '',
    };
  }
  const common = { ...head, result: 'SUCCESS' as const, customer: renderCustomer(customer) };
  if (publication.multiple) {
    return { ...common, vouchers: vouchers.map((v) => v.code), vouchers_id: vouchers.map((v) => v.id) };
  }
  const voucher = vouchers[0]!;
  const campaign = voucher.campaign_id ? ctx.store.getCampaign(voucher.campaign_id) : undefined;
  return {
    ...common,
    vouchers_id: [voucher.id],
    voucher: {
      code: voucher.code,
      object: 'voucher',
      campaign: campaign?.name ?? null,
      ...(voucher.discount ? { discount: voucher.discount } : {}),
      ...(voucher.gift ? { gift: voucher.gift } : {}),
      ...(voucher.loyalty_card ? { loyalty_card: voucher.loyalty_card } : {}),
      is_referral_code: voucher.is_referral_code,
    },
  };
}
