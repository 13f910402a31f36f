/**
 * Listing publications: turns the validated query of `GET /v1/publications`
 * into a store query. The simple parameters all must hold; `filters[...]`
 * conditions are combined by their `junction`.
 */
import type { components, operations } from '../generated/publications-api';
import type { PublicationRecord } from '../domain/records';
import { ApiError } from '../errors/api-error';
import type { Condition, FilterField, FilterOperator, OrderField, PublicationQuery, Store } from '../store/store';

export type ListQuery = NonNullable<operations['listPublications']['parameters']['query']>;
type Filters = components['schemas']['PublicationFilters'];

/** Pages above this are refused; the documentation points to the Exports API instead. */
const MAX_PAGE = 1000;

export function listPublications(store: Store, query: ListQuery): { publications: PublicationRecord[]; total: number } {
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
  is('voucher_type', query.voucher_type);
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

function filterConditions(filters: Filters | undefined): Condition[] {
  if (!filters) return [];
  const out: Condition[] = [];
  for (const [field, filter] of Object.entries(filters)) {
    if (field === 'junction' || typeof filter !== 'object' || filter === null) continue;
    const conditions = (filter as { conditions: Record<string, unknown> }).conditions;
    for (const [op, value] of Object.entries(conditions)) {
      // $has_value and $is_unknown take no value: whatever was sent is ignored.
      const takesValue = op !== '$has_value' && op !== '$is_unknown';
      out.push({ field: field as FilterField, op: op as FilterOperator, ...(takesValue ? { value: value as Condition['value'] } : {}) });
    }
  }
  return out;
}
