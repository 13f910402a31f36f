/**
 * Errors are values with a key. One table maps each Voucherify error key to
 * its status and message (the API's own strings, see the facts document); one
 * middleware writes the body.
 */
import type { components } from '../spec/publications-api.generated';

export const ERROR_KEYS = {
  invalid_query_params: { status: 400, message: 'Invalid query params' },
  invalid_payload: { status: 400, message: 'Invalid payload' },
  missing_vouchers: { status: 400, message: 'Missing vouchers' },
  voucher_cannot_be_published: { status: 400, message: 'Voucher cannot be published' },
  voucher_already_published: { status: 400, message: 'Voucher already published' },
  duplicate_source_id: { status: 400, message: 'Duplicate source_id' },
  too_many_vouchers_requested: { status: 400, message: 'Too many vouchers requested' },
  metadata_validation_failed: { status: 400, message: 'Metadata validation failed' },
  page_over_limit: { status: 400, message: 'Listing resource above 1000 page is not supported' },
  no_voucher_suitable_for_publication: { status: 400, message: 'No voucher suitable for publication' },
  unauthorized: { status: 401, message: 'Unauthorized' },
  integration_api_key_required: { status: 403, message: 'Forbidden' },
  not_found: { status: 404, message: 'Resource not found' },
  // Not in the spec: the mock's own answers for requests outside the API's paths.
  method_not_allowed: { status: 405, message: 'Method not allowed' },
  query_too_large: { status: 413, message: 'Request too large' },
  // A /__mock/ tool's body over its limit (the API's 413 keeps the spec's one key, query_too_large, for body and query
  // alike).
  body_too_large: { status: 413, message: 'Request body too large' },
  unsupported_media_type: { status: 415, message: 'Unsupported media type' },
  too_many_requests: { status: 429, message: 'API limit reached' },
  mock_response_invalid: { status: 500, message: 'The mock produced a response that breaks the spec' },
  internal_error: { status: 500, message: 'Internal error' },
  // The mock's shared database (PostgreSQL) is unreachable or keeps aborting the transaction: retry.
  service_unavailable: { status: 503, message: 'Service unavailable' },
  // The mock's QA tools (/__mock/ and the Prefer header): never sent by the real API.
  invalid_prefer_header: { status: 400, message: 'Invalid Prefer header' },
  invalid_scenario: { status: 400, message: 'Invalid scenario' },
  invalid_snapshot: { status: 400, message: 'Invalid state snapshot' },
  invalid_fixtures: { status: 400, message: 'Invalid fixture file' },
  admin_token_required: { status: 401, message: 'Admin token required' },
  host_not_allowed: { status: 403, message: 'Host not allowed' },
  origin_not_allowed: { status: 403, message: 'Origin not allowed' },
  scenario_queue_full: { status: 409, message: 'Scenario queue full' },
} as const;

export type ErrorKey = keyof typeof ERROR_KEYS;

export interface MissingResource {
  id: string;
  type: 'customer' | 'campaign' | 'voucher' | 'route';
}

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly key: ErrorKey,
    /** `details` of the body; left out when undefined (the 403 of integration keys has none). */
    readonly details?: string,
    readonly resource?: MissingResource,
  ) {
    super(ERROR_KEYS[key].message);
    this.status = ERROR_KEYS[key].status;
  }

  static notFound(type: MissingResource['type'], id: string): ApiError {
    return new ApiError('not_found', `Cannot find ${type} with id ${id}`, { id, type });
  }
}

/** The spec's Error schema, as generated: the body shape is not restated here. */
export type ErrorBody = components['schemas']['Error'];

/** The JSON body of an error, in the API's shape and property order. */
export function errorBody(error: ApiError, requestId: string | undefined): ErrorBody {
  const body: ErrorBody = { code: error.status, key: error.key, message: error.message };
  if (error.details !== undefined) body.details = error.details;
  if (requestId !== undefined) body.request_id = requestId;
  if (error.resource) {
    body.resource_id = error.resource.id;
    body.resource_type = error.resource.type;
  }
  return body;
}
