/**
 * The API's paths with a parameter (`/v1/vouchers/{code}`,
 * `/v1/customers/{customerId}`): matching a request's raw path to one, and
 * reading the parameter, the same way for the Express app and the fast path.
 *
 * The parameter is decoded here, not by Express: Express's router answers a
 * malformed escape (`%E0%A4%A`) with an error of its own, which would reach the
 * client as a 500. Here it is a code or id that cannot exist: 404 not_found.
 */
import { ApiError, type MissingResource } from '../domain/api-error';

export interface ParameterPath {
  /** As the spec writes it. */
  template: string;
  /** The path up to the parameter. */
  prefix: string;
  /** What a missing one is called in a 404. */
  resourceType: MissingResource['type'];
}

export const VOUCHER_PATH: ParameterPath = { template: '/v1/vouchers/{code}', prefix: '/v1/vouchers/', resourceType: 'voucher' };
export const CUSTOMER_PATH: ParameterPath = { template: '/v1/customers/{customerId}', prefix: '/v1/customers/', resourceType: 'customer' };

const PARAMETER_PATHS = [VOUCHER_PATH, CUSTOMER_PATH];

/** The raw parameter segment of `path` (one non-empty segment, a trailing slash allowed), or undefined when the path is not this one. */
function segmentOf(template: ParameterPath, path: string): string | undefined {
  if (!path.startsWith(template.prefix)) return undefined;
  const rest = path.endsWith('/') ? path.slice(template.prefix.length, -1) : path.slice(template.prefix.length);
  return rest.length > 0 && !rest.includes('/') ? rest : undefined;
}

/** The parameterised path a raw request path belongs to. */
export function matchParameterPath(path: string): ParameterPath | undefined {
  return PARAMETER_PATHS.find((template) => segmentOf(template, path) !== undefined);
}

/** A pattern for Express's router that matches the same paths (no capture group: Express would decode it itself). */
export function routePattern(template: ParameterPath): RegExp {
  return new RegExp(`^${template.prefix.replace(/[/.]/g, '\\$&')}[^/]+\\/?$`);
}

/** The decoded parameter of a raw path of this template; a malformed escape is a resource that does not exist. */
export function readPathParameter(template: ParameterPath, path: string): string {
  const raw = segmentOf(template, path);
  if (raw === undefined) throw new Error(`${path} is not ${template.template}`);
  try {
    return decodeURIComponent(raw);
  } catch {
    throw ApiError.notFound(template.resourceType, raw);
  }
}
