/**
 * A publication list query (PublicationQuery) as SQL, for any dialect: which
 * column each filter and order field reads (the publication's own columns and its
 * listing copies; `voucher_code` and `related_object_id` over all its vouchers),
 * every value bound as a parameter. The operators' SQL is the dialect's.
 */
import { PUBLICATION_COPIES } from './record-tables';
import type { SqlDialect, SqlValue } from './sql-dialect';
import type { Condition, FilterField, OrderField, PublicationQuery } from './store';

/**
 * Columns a publication filter may name; `voucher_code` and `related_object_id` are matched over all of a
 * publication's vouchers instead.
 */
const FILTER_COLUMNS: Record<Exclude<FilterField, 'voucher_code' | 'related_object_id'>, string> = {
  campaign_name: 'p.campaign_name',
  customer_id: 'p.customer_id',
  voucher_type: 'p.voucher_type',
  result: 'p.result',
  source_id: 'p.source_id',
  channel: 'p.channel',
  failure_code: 'p.failure_code',
  is_referral_code: 'p.is_referral_code',
  parent_object_id: 'p.campaign_id',
};

const ORDER_COLUMNS: Record<OrderField, string> = {
  created_at: 'p.created_at',
  id: 'p.id',
  voucher_code: 'p.voucher_code',
  tracking_id: 'p.tracking_id',
  customer_id: 'p.customer_id',
  channel: 'p.channel',
};

const DIRECTIONS = { asc: 'ASC', desc: 'DESC' } as const;
const JUNCTIONS = { and: ' AND ', or: ' OR ' } as const;

/** The publications holding a voucher whose code satisfies the predicate on `v.code`. */
const PUBLICATIONS_BY_VOUCHER =
  'SELECT pv.publication_id FROM publication_vouchers pv JOIN vouchers v ON v.id = pv.voucher_id WHERE ';

const NEGATED: Partial<Record<Condition['op'], Condition['op']>> = {
  $is_not: '$is',
  $not_in: '$in',
  $is_unknown: '$has_value',
  $not_contain: '$contains',
};

/** Fields matched over every voucher of a publication, by the voucher column they compare. */
const VOUCHER_FIELDS: Partial<Record<FilterField, string>> = { voucher_code: 'v.code', related_object_id: 'v.id' };

const TEXT_OPERATORS: readonly string[] = ['$starts_with', '$ends_with', '$contains', '$not_contain'];

function hasKey<K extends string>(map: Record<K, unknown>, key: string): key is K {
  return Object.prototype.hasOwnProperty.call(map, key);
}

function describeCondition(condition: Condition): string {
  return `${condition.field} ${condition.op} ${JSON.stringify(condition.value)}`;
}

/**
 * The condition's value as bound: a string, or the stored boolean for `is_referral_code`; the operator's kind checked.
 */
function conditionValue(condition: Condition, dialect: SqlDialect): SqlValue | readonly string[] | undefined {
  const { op, value } = condition;
  if (op === '$has_value' || op === '$is_unknown') return undefined;
  if (op === '$in' || op === '$not_in') {
    const strings = Array.isArray(value) && value.every((item) => typeof item === 'string');
    if (condition.field === 'is_referral_code' || !strings) {
      throw new TypeError(`filter ${describeCondition(condition)}: ${op} takes an array of strings`);
    }
    return value;
  }
  if (op === '$is' || op === '$is_not') {
    if (condition.field === 'is_referral_code') {
      if (typeof value !== 'boolean')
        throw new TypeError(`filter ${describeCondition(condition)}: is_referral_code takes a boolean`);
      return dialect.encode(PUBLICATION_COPIES.is_referral_code, value);
    }
    if (typeof value !== 'string') throw new TypeError(`filter ${describeCondition(condition)}: ${op} takes a string`);
    return value;
  }
  if (!TEXT_OPERATORS.includes(op)) {
    throw new TypeError(`filter ${describeCondition(condition)}: unknown operator`);
  }
  if (condition.field === 'is_referral_code' || typeof value !== 'string') {
    throw new TypeError(`filter ${describeCondition(condition)}: ${op} takes a string`);
  }
  return value;
}

function compileCondition(condition: Condition, params: SqlValue[], dialect: SqlDialect): string {
  const voucherColumn = VOUCHER_FIELDS[condition.field];
  if (voucherColumn !== undefined) {
    // Matches when any of the publication's vouchers has a matching code (or id); a
    // negative operator matches when none has (so failures, without vouchers, match).
    const positive = NEGATED[condition.op];
    const op = positive ?? condition.op;
    const predicate = dialect.matchOperator(voucherColumn, op, conditionValue({ ...condition, op }, dialect), params);
    return `p.id ${positive === undefined ? 'IN' : 'NOT IN'} (${PUBLICATIONS_BY_VOUCHER}${predicate})`;
  }
  if (!hasKey(FILTER_COLUMNS, condition.field)) {
    throw new TypeError(`filter ${describeCondition(condition)}: unknown field`);
  }
  return dialect.matchOperator(
    FILTER_COLUMNS[condition.field],
    condition.op,
    conditionValue(condition, dialect),
    params,
  );
}

export function checkPaging(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}

export interface PublicationQuerySql {
  /** ` WHERE …`, or '' for none. */
  where: string;
  /** What the WHERE clause binds, in order. */
  params: SqlValue[];
  /** `ORDER BY …` (ties broken by insertion order, in the same direction). */
  orderBy: string;
  limit: number;
  offset: number;
}

/** The query's SQL parts; throws a TypeError or RangeError naming what it cannot compile. */
export function compilePublicationQuery(query: PublicationQuery, dialect: SqlDialect): PublicationQuerySql {
  if (!hasKey(ORDER_COLUMNS, query.order.field)) {
    throw new TypeError(`unknown order field ${JSON.stringify(query.order.field)}`);
  }
  if (!hasKey(DIRECTIONS, query.order.direction)) {
    throw new TypeError(`unknown order direction ${JSON.stringify(query.order.direction)}`);
  }
  const limit = checkPaging('limit', query.limit);
  const offset = checkPaging('offset', query.offset);
  const params: SqlValue[] = [];
  const parts = query.must.map((condition) => compileCondition(condition, params, dialect));
  if (query.filters.length > 0) {
    if (!hasKey(JUNCTIONS, query.junction)) throw new TypeError(`unknown junction ${JSON.stringify(query.junction)}`);
    const filters = query.filters.map((condition) => compileCondition(condition, params, dialect));
    parts.push(`(${filters.join(JUNCTIONS[query.junction])})`);
  }
  const direction = DIRECTIONS[query.order.direction];
  return {
    where: parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`,
    params,
    orderBy: `ORDER BY ${ORDER_COLUMNS[query.order.field]} ${direction}, p.seq ${direction}`,
    limit,
    offset,
  };
}
