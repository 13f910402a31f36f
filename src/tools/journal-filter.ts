/**
 * The query of `GET /__mock/requests`: `path` (a prefix), `status` (`404`,
 * `4xx` or `dropped`), `customer` (an id or source_id), `method`, `after` (an
 * entry id, for polling) and `limit` (default 100). Anything else, or a value
 * of the wrong form, is a 400 naming it.
 */
import { ApiError } from '../domain/api-error';
import type { JournalFilter } from './request-journal';

export const DEFAULT_JOURNAL_LIMIT = 100;

const PATTERNS: Record<keyof JournalFilter, { pattern: RegExp; expected: string }> = {
  path: { pattern: /^\/\S{0,300}$/, expected: 'a path starting with /' },
  status: { pattern: /^([1-5]\d\d|[1-5]xx|dropped)$/i, expected: 'a status (404), a class (4xx) or dropped' },
  customer: { pattern: /^.{1,200}$/, expected: 'a customer id or source_id' },
  method: { pattern: /^[A-Za-z]{3,7}$/, expected: 'an HTTP method' },
  after: { pattern: /^\d{1,15}$/, expected: 'an entry id' },
  limit: { pattern: /^\d{1,6}$/, expected: 'a whole number' },
};

function isFilterName(name: string): name is keyof JournalFilter {
  return Object.prototype.hasOwnProperty.call(PATTERNS, name);
}

export function parseJournalFilter(query: Record<string, unknown>, capacity: number): JournalFilter {
  const filter: JournalFilter = { limit: Math.min(DEFAULT_JOURNAL_LIMIT, Math.max(capacity, 1)) };
  for (const [name, value] of Object.entries(query)) {
    if (!isFilterName(name))
      throw new ApiError(
        'invalid_query_params',
        `Query should NOT have additional property '${name}'; filters: ${Object.keys(PATTERNS).join(', ')}`,
      );
    const { pattern, expected } = PATTERNS[name];
    if (typeof value !== 'string' || !pattern.test(value))
      throw new ApiError('invalid_query_params', `Query property '${name}' should be ${expected}`);
    if (name === 'limit') {
      const limit = Number(value);
      if (limit < 1 || limit > Math.max(capacity, 1))
        throw new ApiError(
          'invalid_query_params',
          `Query property 'limit' should be from 1 to ${Math.max(capacity, 1)}`,
        );
      filter.limit = limit;
    } else if (name === 'after') {
      filter.after = Number(value);
    } else if (name === 'status') {
      filter.status = value.toLowerCase();
    } else {
      filter[name] = value;
    }
  }
  return filter;
}
