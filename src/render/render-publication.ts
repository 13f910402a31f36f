/**
 * Turns stored records into the spec's response objects: a created publication
 * (one voucher or a list of codes) and the items of a publication list.
 * Property order follows the documentation's example, so bodies read like it.
 */
import { createHash } from 'node:crypto';
import type { components } from '../spec/publications-api.generated';
import type { CampaignRecord, CustomerRecord, PublicationRecord, VoucherRecord } from '../domain/records';
import type { Store } from '../store/store';

type Schemas = components['schemas'];
export type PublicationCreated = Schemas['PublicationCreated'];
export type PublicationCreatedMany = Schemas['PublicationCreatedMany'];
export type ListedItem = Schemas['PublicationsList']['publications'][number];

/** The reads rendering needs: the store, or a page's memo in front of it. */
export type RecordLookup = Pick<Store, 'getCustomer' | 'getVoucher' | 'getCampaign'>;

export interface RenderContext {
  store: RecordLookup;
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

/** Asset ids already computed: two SHA-256 per rendered voucher were a tenth of a steady-state request. */
const assetIds = new Map<string, string>();
const ASSET_ID_MEMO_SIZE = 10_000;

/** A stable, opaque asset id shaped like the API's (which are encrypted blobs). */
function assetId(kind: string, code: string): string {
  const key = `${kind}:${code}`;
  let id = assetIds.get(key);
  if (id === undefined) {
    id = `U2FsdGVkX1${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
    // Bounded: a burst of creates makes new codes without end.
    if (assetIds.size >= ASSET_ID_MEMO_SIZE) assetIds.clear();
    assetIds.set(key, id);
  }
  return id;
}

export function renderVoucher(
  voucher: VoucherRecord,
  campaign: CampaignRecord | undefined,
  baseUrl: string,
): Schemas['Voucher'] {
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

/**
 * Records the caller already holds (the rules just read or wrote them), so the
 * answer need not read them back; any not given, or not the publication's, is
 * read from the store.
 */
export interface KnownRecords {
  customer?: CustomerRecord;
  campaign?: CampaignRecord;
  vouchers?: VoucherRecord[];
}

function customerOf(
  store: RecordLookup,
  publication: PublicationRecord,
  known: CustomerRecord | undefined,
): CustomerRecord {
  if (known?.id === publication.customer_id) return known;
  const customer = store.getCustomer(publication.customer_id);
  if (!customer) throw new Error(`Publication ${publication.id} names a missing customer ${publication.customer_id}`);
  return customer;
}

function vouchersOf(
  store: RecordLookup,
  publication: PublicationRecord,
  known: VoucherRecord[] | undefined,
): VoucherRecord[] {
  const ids = publication.voucher_ids;
  if (known && known.length === ids.length && known.every((v, i) => v.id === ids[i])) return known;
  return ids.map((id) => {
    const voucher = store.getVoucher(id);
    if (!voucher) throw new Error(`Publication ${publication.id} names a missing voucher ${id}`);
    return voucher;
  });
}

function campaignOf(
  store: RecordLookup,
  voucher: VoucherRecord,
  known: CampaignRecord | undefined,
): CampaignRecord | undefined {
  if (!voucher.campaign_id) return undefined;
  return known?.id === voucher.campaign_id ? known : store.getCampaign(voucher.campaign_id);
}

function header(publication: PublicationRecord) {
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
export function renderCreated(
  ctx: RenderContext,
  publication: PublicationRecord,
  known: KnownRecords = {},
): PublicationCreated | PublicationCreatedMany {
  const customer = customerOf(ctx.store, publication, known.customer);
  const vouchers = vouchersOf(ctx.store, publication, known.vouchers);
  const common = { ...header(publication), result: 'SUCCESS' as const, customer: renderCustomer(customer) };
  if (publication.multiple) {
    return { ...common, vouchers: vouchers.map((v) => v.code), vouchers_id: vouchers.map((v) => v.id) };
  }
  const voucher = vouchers[0]!;
  return {
    ...common,
    voucher: renderVoucher(voucher, campaignOf(ctx.store, voucher, known.campaign), ctx.baseUrl),
    vouchers_id: [voucher.id],
  };
}

/** The items of a list page. Customers and campaigns repeat across a page: each is read once. */
export function renderList(ctx: RenderContext, publications: PublicationRecord[]): ListedItem[] {
  const customers = new Map<string, CustomerRecord | undefined>();
  const campaigns = new Map<string, CampaignRecord | undefined>();
  const remember =
    <T>(memo: Map<string, T>, read: (id: string) => T) =>
    (id: string): T => {
      if (!memo.has(id)) memo.set(id, read(id));
      return memo.get(id) as T;
    };
  const pageCtx: RenderContext = {
    baseUrl: ctx.baseUrl,
    store: {
      getVoucher: (id) => ctx.store.getVoucher(id),
      getCustomer: remember(customers, (id) => ctx.store.getCustomer(id)),
      getCampaign: remember(campaigns, (id) => ctx.store.getCampaign(id)),
    },
  };
  return publications.map((publication) => renderListed(pageCtx, publication));
}

export function renderListed(ctx: RenderContext, publication: PublicationRecord): ListedItem {
  const customer = customerOf(ctx.store, publication, undefined);
  const vouchers = vouchersOf(ctx.store, publication, undefined);
  const head = header(publication);
  if (publication.result === 'FAILURE') {
    return {
      ...head,
      result: 'FAILURE',
      customer: renderCustomer(customer),
      // The vendor requires both lists on every item; a failure published nothing.
      vouchers: [],
      vouchers_id: [],
      failure_code: publication.failure_code ?? 'unknown',
      failure_message: publication.failure_message ?? '',
    };
  }
  const common = { ...head, result: 'SUCCESS' as const, customer: renderCustomer(customer) };
  if (publication.multiple) {
    return { ...common, vouchers: vouchers.map((v) => v.code), vouchers_id: vouchers.map((v) => v.id) };
  }
  const voucher = vouchers[0]!;
  const campaign = campaignOf(ctx.store, voucher, undefined);
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
