/**
 * The rules of publishing, and nothing of HTTP: given the state and a validated
 * request, publish and return the publication, or throw an ApiError with the
 * documented key. Runs inside one store transaction (`tx`, on SQLite or
 * PostgreSQL), so it is atomic and concurrent requests — on one process or
 * several — are serialised (join_once, pools running dry). The transaction may
 * run more than once (a PostgreSQL conflict): it changes nothing but the store.
 * See ../shared/docs/publications-api-facts.md, "Semantics".
 */
import type { components } from '../spec/publications-api.generated';
import type { CampaignRecord, CustomerRecord, Metadata, PublicationRecord, VoucherRecord } from '../domain/records';
import { voucherFromCampaign } from '../domain/voucher-from-campaign';
import type { WithoutNulls } from '../domain/without-nulls';
import { ApiError } from '../domain/api-error';
import type { Clock } from '../runtime/clock';
import type { IdSource } from '../runtime/id-source';
import type { StoreTransaction } from '../store/async-store';
import type { MetadataPropertyType } from '../domain/fixtures';

// The spec's "id or source_id" (anyOf of required lists) generates one-property alternatives; keep the full object.
type CustomerInput = WithoutNulls<
  Exclude<components['schemas']['CustomerInput'], { id: string } | { source_id: string }>
>;

export interface PublishRequest {
  /** `query` for GET …/create (one voucher at most, metadata arrives as text), `body` for POST. */
  via: 'query' | 'body';
  customer: CustomerInput;
  /** A voucher code, or a voucher id (`v_…`). */
  voucher?: string;
  campaign?: string | { name?: string; count?: number };
  source_id?: string;
  channel?: string;
  metadata?: Metadata;
  /** True when the query or the body asked for it. */
  join_once?: boolean;
}

export interface RulesContext {
  store: StoreTransaction;
  clock: Clock;
  ids: IdSource;
  publicationMetadata: Record<string, MetadataPropertyType>;
}

/** What the request asks to publish from: one specific voucher, or N codes of a campaign. */
type Source =
  | { kind: 'voucher'; voucher: VoucherRecord }
  | { kind: 'campaign'; campaign: CampaignRecord; count: number; countGiven: boolean };

/** Publishing failures that the API records as a FAILURE publication, as its `result` filter shows. */
const RECORDED_FAILURES = new Set([
  'voucher_already_published',
  'voucher_cannot_be_published',
  'no_voucher_suitable_for_publication',
]);

/**
 * A publication and the records it names, as the rules last saw them (the
 * current state, since the rules just read or wrote them): the answer renders
 * from these instead of reading them back. `campaign` and `vouchers` are
 * absent when the rules did not load them.
 */
export interface Published {
  publication: PublicationRecord;
  customer: CustomerRecord;
  campaign?: CampaignRecord;
  vouchers?: VoucherRecord[];
}

/** The checks that need no state: they change nothing, so they run before any transaction. */
export interface CheckedRequest {
  request: PublishRequest;
  campaignRef: ReturnType<typeof campaignReference>;
  count: number;
  metadata: Metadata;
}

export function checkPublishRequest(
  publicationMetadata: Record<string, MetadataPropertyType>,
  request: PublishRequest,
): CheckedRequest {
  const campaignRef = campaignReference(request.campaign);
  if (request.voucher === undefined && campaignRef === undefined) {
    throw new ApiError('missing_vouchers', 'Either Campaign or Voucher is required');
  }
  const count = request.voucher === undefined ? (campaignRef?.count ?? 1) : 1;
  if (count > 1 && (request.via === 'query' || request.source_id !== undefined)) {
    throw new ApiError('too_many_vouchers_requested', 'Only up to 1 can be published');
  }
  const metadata = checkMetadata(publicationMetadata, request.metadata ?? {}, request.via === 'query');
  return { request, campaignRef, count, metadata };
}

/**
 * A publishing failure the API records (a FAILURE publication): thrown out of the transaction that took vouchers, so
 * that everything it did is undone, and recorded by a second one (`recordFailure`).
 */
export class RecordedFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

/**
 * Publishes inside `ctx.store`'s transaction. With `recordFailure`, the vouchers are not taken: the failure a previous
 * run of this request met is recorded instead (with the customer upsert), and returned.
 */
export async function publish(
  ctx: RulesContext,
  checked: CheckedRequest,
  recordFailure?: ApiError,
): Promise<Published | ApiError> {
  const { store } = ctx;
  const { request, campaignRef, count, metadata } = checked;
  const source = await findSource(store, request.voucher, campaignRef, count);
  const customer = await findOrCreateCustomer(ctx, request.customer);
  const campaignId = source.kind === 'voucher' ? source.voucher.campaign_id : source.campaign.id;
  const campaign = source.kind === 'campaign' ? source.campaign : undefined;

  // A retry with the same source_id gets the first answer; another use of it is a duplicate.
  if (request.source_id !== undefined) {
    const earlier = await store.findPublicationBySourceId(request.source_id);
    if (earlier) {
      if (await isSamePublication(store, earlier, customer, source))
        return { publication: earlier, customer, campaign };
      throw new ApiError('duplicate_source_id', `Publication with source_id: '${request.source_id}' already exists`);
    }
  }

  if (request.join_once && campaignId !== null) {
    const joined = await store.findJoinedPublication(customer.id, campaignId);
    // GET …/create answers one voucher: a joined publication of several codes (campaign.count by POST) cannot be its
    // answer.
    if (joined && source.kind === 'campaign' && !(request.via === 'query' && joined.voucher_ids.length > 1))
      return { publication: joined, customer, campaign };
    if (joined)
      throw new ApiError(
        'voucher_cannot_be_published',
        'Voucher cannot be published. Customer already joined program.',
      );
  }

  const base = {
    customer_id: customer.id,
    tracking_id: customer.source_id,
    metadata,
    channel: request.channel ?? 'API',
    source_id: request.source_id ?? null,
    campaign_id: campaignId,
  };
  if (recordFailure !== undefined) {
    await store.insertPublication({
      ...base,
      id: await ctx.ids.publicationId(store),
      created_at: ctx.clock.nowIso(),
      result: 'FAILURE',
      voucher_ids: [],
      multiple: false,
      failure_code: recordFailure.key,
      failure_message: recordFailure.details ?? recordFailure.message,
    });
    // Returned, not thrown, so the transaction commits the failure record and the customer.
    return recordFailure;
  }
  let vouchers: VoucherRecord[];
  try {
    vouchers = await takeVouchers(ctx, source, customer);
  } catch (error) {
    // The vouchers taken before the failure are undone with the whole transaction; the caller records it in another.
    if (error instanceof ApiError && RECORDED_FAILURES.has(error.key)) throw new RecordedFailure(error);
    throw error;
  }
  const publication = await store.insertPublication({
    ...base,
    id: await ctx.ids.publicationId(store),
    created_at: ctx.clock.nowIso(),
    result: 'SUCCESS',
    voucher_ids: vouchers.map((v) => v.id),
    multiple: source.kind === 'campaign' && source.countGiven && source.count > 1,
    failure_code: null,
    failure_message: null,
  });
  return { publication, customer, campaign, vouchers };
}

function campaignReference(
  campaign: PublishRequest['campaign'],
): { name: string; count: number; countGiven: boolean } | undefined {
  if (typeof campaign === 'string') return { name: campaign, count: 1, countGiven: false };
  // A campaign object without a name names no campaign (see QueryCampaign in the spec).
  if (campaign?.name === undefined) return undefined;
  return { name: campaign.name, count: campaign.count ?? 1, countGiven: campaign.count !== undefined };
}

async function findSource(
  store: StoreTransaction,
  voucherRef: string | undefined,
  campaignRef: ReturnType<typeof campaignReference>,
  count: number,
): Promise<Source> {
  // With both, the voucher wins and the campaign is ignored (documented).
  if (voucherRef !== undefined) {
    // A code first, then a voucher id (the vendor's Java SDK publishes by id).
    const voucher = (await store.findVoucherByCode(voucherRef)) ?? (await store.getVoucher(voucherRef));
    if (!voucher) throw ApiError.notFound('voucher', voucherRef);
    return { kind: 'voucher', voucher };
  }
  const ref = campaignRef!;
  // campaign.name holds a name or an id.
  const campaign = ref.name.startsWith('camp_')
    ? ((await store.getCampaign(ref.name)) ?? (await store.findCampaignByName(ref.name)))
    : ((await store.findCampaignByName(ref.name)) ?? (await store.getCampaign(ref.name)));
  if (!campaign) throw ApiError.notFound('campaign', ref.name);
  return { kind: 'campaign', campaign, count, countGiven: ref.countGiven };
}

async function findOrCreateCustomer(ctx: RulesContext, input: CustomerInput): Promise<CustomerRecord> {
  const { store } = ctx;
  // With both, the id wins and the source_id is ignored.
  if (input.id !== undefined) {
    const customer = await store.getCustomer(input.id);
    if (!customer) throw ApiError.notFound('customer', input.id);
    return customer;
  }
  const sourceId = input.source_id!;
  const existing = await store.findCustomerBySourceId(sourceId);
  const attributes = {
    name: input.name,
    email: input.email,
    phone: input.phone,
    description: input.description,
    birthdate: input.birthdate ?? input.birthday,
    address: input.address,
  };
  if (existing) {
    // An upsert: attributes given update the customer, metadata is merged key by key.
    const given = Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined));
    if (Object.keys(given).length === 0 && input.metadata === undefined) return existing;
    const updated: CustomerRecord = {
      ...existing,
      ...given,
      metadata: { ...existing.metadata, ...(input.metadata ?? {}) },
      updated_at: ctx.clock.nowIso(),
    };
    await store.updateCustomer(updated);
    return updated;
  }
  const created: CustomerRecord = {
    id: await ctx.ids.customerId(store),
    source_id: sourceId,
    name: attributes.name ?? null,
    email: attributes.email ?? null,
    phone: attributes.phone ?? null,
    description: attributes.description ?? null,
    birthdate: attributes.birthdate ?? null,
    address: attributes.address ?? null,
    metadata: input.metadata ?? {},
    created_at: ctx.clock.nowIso(),
    updated_at: null,
  };
  await store.insertCustomer(created);
  return created;
}

/**
 * A source_id retry is the same customer asking for the same thing: the same voucher, or a code of the same campaign.
 */
async function isSamePublication(
  store: StoreTransaction,
  earlier: PublicationRecord,
  customer: CustomerRecord,
  source: Source,
): Promise<boolean> {
  if (earlier.customer_id !== customer.id) return false;
  if (source.kind === 'campaign') return earlier.campaign_id === source.campaign.id;
  const firstId = earlier.voucher_ids[0];
  return firstId !== undefined && (await store.getVoucher(firstId))?.code === source.voucher.code;
}

async function takeVouchers(ctx: RulesContext, source: Source, customer: CustomerRecord): Promise<VoucherRecord[]> {
  const now = ctx.clock.nowIso();
  const publishTo = async (voucher: VoucherRecord): Promise<VoucherRecord> => {
    const updated = { ...voucher, holder_id: customer.id, publish_count: voucher.publish_count + 1, updated_at: now };
    await ctx.store.updateVoucher(updated);
    return updated;
  };
  if (source.kind === 'voucher') {
    const { voucher } = source;
    if (!voucher.active) throw new ApiError('voucher_cannot_be_published', `Voucher '${voucher.code}' is not active`);
    // A unique code is published to one customer only.
    if (voucher.holder_id !== null)
      throw new ApiError('voucher_already_published', `Voucher '${voucher.id}' has already been published`);
    return [await publishTo(voucher)];
  }
  const { campaign } = source;
  const taken: VoucherRecord[] = [];
  for (let i = 0; i < source.count; i++) {
    const pooled = campaign.active ? await ctx.store.findPublishableVoucher(campaign.id) : undefined;
    if (pooled) {
      taken.push(await publishTo(pooled));
      continue;
    }
    const made = campaign.active && campaign.auto_update ? await makeVoucher(ctx, campaign) : undefined;
    if (!made) {
      throw new ApiError(
        'no_voucher_suitable_for_publication',
        `Campaign '${campaign.name}' has no active, unpublished voucher left`,
      );
    }
    // A new code is stored already published: one insert instead of an insert and an update (the same record in the
    // end).
    const published = { ...made, holder_id: customer.id, publish_count: made.publish_count + 1, updated_at: now };
    await ctx.store.insertVoucher(published);
    taken.push(published);
  }
  return taken;
}

/** Draws before an auto-update campaign's code space counts as used up. */
const CODE_ATTEMPTS = 50;

/**
 * An auto-update campaign makes a new code when its pool is dry (not yet stored); undefined when its code config can
 * make no new one.
 */
async function makeVoucher(ctx: RulesContext, campaign: CampaignRecord): Promise<VoucherRecord | undefined> {
  // Codes are unique; a collision simply draws again (the next draw has another counter).
  let code: string | undefined;
  for (let attempt = 0; attempt < CODE_ATTEMPTS && code === undefined; attempt++) {
    const candidate = await ctx.ids.code(ctx.store, campaign.code_config);
    if (!(await ctx.store.findVoucherByCode(candidate))) code = candidate;
  }
  if (code === undefined) return undefined;
  return voucherFromCampaign(campaign, {
    id: await ctx.ids.voucherId(ctx.store),
    code,
    created_at: ctx.clock.nowIso(),
  });
}

/**
 * Publication metadata with known property types (the project's metadata
 * schema): values of the wrong type are refused; query-string text is converted
 * first, as the documentation's example shows (`metadata[year]=2022` → 2022).
 */
function checkMetadata(types: Record<string, MetadataPropertyType>, metadata: Metadata, fromQuery: boolean): Metadata {
  const out: Metadata = { ...metadata };
  for (const [name, type] of Object.entries(types)) {
    if (!Object.prototype.hasOwnProperty.call(metadata, name)) continue;
    let value = metadata[name];
    if (fromQuery && typeof value === 'string') value = convertText(value, type);
    if (!hasType(value, type)) {
      throw new ApiError(
        'metadata_validation_failed',
        `Publication metadata property '${name}' must be ${type === 'array' || type === 'object' ? 'an' : 'a'} ${type}`,
      );
    }
    out[name] = value;
  }
  return out;
}

function convertText(value: string, type: MetadataPropertyType): unknown {
  if (type === 'number' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function hasType(value: unknown, type: MetadataPropertyType): boolean {
  switch (type) {
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}
