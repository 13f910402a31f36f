/**
 * Listing publications: turns the validated query of `GET /v1/publications`
 * into a store query. The simple parameters all must hold; `filters[...]`
 * conditions are combined by their `junction`.
 */
import type { components, operations } from '../spec/publications-api.generated';
import type { PublicationRecord } from '../domain/records';
import { ApiError } from '../domain/api-error';
import type { StoreTransaction } from '../store/async-store';
import type { Condition, FilterField, FilterOperator, OrderField, PublicationQuery } from '../store/store';

export type ListQuery = NonNullable<operations['listPublications']['parameters']['query']>;
type Filters = components['schemas']['PublicationFilters'];

/** Pages above this are refused; the documentation points to the Exports API instead. */
const MAX_PAGE = 1000;

export async function listPublications(
  store: Pick<StoreTransaction, 'listPublications'>,
  query: ListQuery,
): Promise<{ publications: PublicationRecord[]; total: number }> {
  const page = query.page ?? 1;
  if (page > MAX_PAGE) throw new ApiError('page_over_limit', 'Property .page cannot be higher than 1000');
  const limit = query.limit ?? 10;
  return store.listPublications(toStoreQuery(query, limit, page));
}

export function toStoreQuery(query: ListQuery, limit: number, page: number): PublicationQuery {
  const must: Condition[] = [];
  const is = (field: FilterField, value: string | boolean | undefined): void => {
    if (value !== undefined) must.push({ field, op: '$is', value });
  };
  is('campaign_name', query.campaign);
  is('customer_id', query.customer);
  is('voucher_code', query.voucher);
  is('result', query.result);
  is('voucher_type', query.voucher_type === undefined ? undefined : listedType(query.voucher_type));
  is('source_id', query.source_id);
  // Documented: "This filter works only for the true option."
  if (query.is_referral_code === true) is('is_referral_code', true);

  const order = query.order ?? '-created_at';
  const direction = order.startsWith('-') ? 'desc' : 'asc';
  return {
    must,
    filters: filterConditions(query.filters),
    junction: query.filters?.junction?.toLowerCase() === 'or' ? 'or' : 'and',
    order: { field: order.replace(/^-/, '') as OrderField, direction },
    limit,
    offset: (page - 1) * limit,
  };
}

/**
 * The store keeps a publication's voucher type as `discount`, `gift` or `loyalty`.
 * The vendor documents `discount` and `loyalty`, the SDK `DISCOUNT`, `GIFT`,
 * `LOYALTY_CARD` and `LUCKY_DRAW` (a type the mock has none of, so it matches nothing).
 */
const LISTED_TYPES: Record<string, string> = {
  discount: 'discount',
  loyalty: 'loyalty',
  // Free text inside filters: the lower-case name of the third kind is taken too.
  gift: 'gift',
  DISCOUNT: 'discount',
  GIFT: 'gift',
  LOYALTY_CARD: 'loyalty',
  LUCKY_DRAW: 'lucky_draw',
};

function listedType(value: string): string {
  // A value neither documents (possible only inside filters, whose values are free text) matches nothing.
  // An own property only: `toString` is free text too, not Object.prototype's function (a 500 found by --fuzz).
  return Object.hasOwn(LISTED_TYPES, value) ? (LISTED_TYPES[value] as string) : `unknown:${value}`;
}

/** A condition's value as the store compares it: voucher types translated, referral flags as booleans. */
function storeValue(field: FilterField, value: unknown): Condition['value'] {
  const each = (item: string): string | boolean => {
    if (field === 'voucher_type') return listedType(item);
    if (field === 'is_referral_code') return item === 'true';
    return item;
  };
  if (Array.isArray(value)) {
    // is_referral_code lists: `$in: [true]` is `$is: true` for the store; keep strings elsewhere.
    return value.map((item) => String(each(String(item))));
  }
  return each(String(value));
}

function filterConditions(filters: Filters | undefined): Condition[] {
  if (!filters) return [];
  const out: Condition[] = [];
  for (const [field, filter] of Object.entries(filters)) {
    if (field === 'junction' || typeof filter !== 'object' || filter === null) continue;
    const conditions = filter.conditions ?? {};
    for (const [op, value] of Object.entries(conditions)) {
      const name = field as FilterField;
      // $has_value and $is_unknown take no value: whatever was sent is ignored.
      if (op === '$has_value' || op === '$is_unknown') out.push({ field: name, op: op });
      else out.push(...referralAware(name, op as FilterOperator, storeValue(name, value)));
    }
  }
  return out;
}

/** The store compares is_referral_code as a boolean with $is/$is_not only; lists become one of those. */
function referralAware(field: FilterField, op: FilterOperator, value: Condition['value']): Condition[] {
  if (field !== 'is_referral_code') return [{ field, op, value }];
  const flags = Array.isArray(value) ? value.map((item) => item === 'true') : [value === true];
  const wanted =
    op === '$in' || op === '$is' ? flags : op === '$not_in' || op === '$is_not' ? flags.map((f) => !f) : [];
  // Both wanted: a condition every publication meets; neither (an empty $in, a text operator): one none meets.
  if (wanted.includes(true) && wanted.includes(false))
    return [{ field: 'result', op: '$in', value: ['SUCCESS', 'FAILURE'] }];
  if (wanted.length === 0) return [{ field: 'result', op: '$in', value: [] }];
  return [{ field, op: '$is', value: wanted[0]! }];
}
