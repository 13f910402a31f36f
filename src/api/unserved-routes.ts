/**
 * The list URLs every voucher carries (`publish.url`, `redemption.url`:
 * `/v1/vouchers/{code}/publications?…`, `/v1/vouchers/{code}/redemptions?…`).
 * The mock serves neither list; a client that follows one gets a
 * Voucherify-shaped 404 (`not_found`, resource_type `route`) that says so and
 * names the call the mock does serve for the same information, instead of a
 * bare "Cannot find route".
 */
import { ApiError } from '../domain/api-error';

/** The two lists, under any voucher code (no capture group: Express would decode it itself). */
export const UNSERVED_VOUCHER_LISTS = /^\/v1\/vouchers\/[^/]+\/(?:publications|redemptions)\/?$/;

/** The 404 of a GET on UNSERVED_VOUCHER_LISTS (`requestPath` raw, without the query). */
export function unservedVoucherListError(requestPath: string): ApiError {
  const path = requestPath.endsWith('/') ? requestPath.slice(0, -1) : requestPath;
  const [, , , code = '', list] = path.split('/');
  const served =
    list === 'publications'
      ? `the voucher's publications are listed by GET /v1/publications?voucher=${code}`
      : `it records no redemptions; the voucher's redemption counts are in GET /v1/vouchers/${code}`;
  return new ApiError(
    'not_found',
    `The mock does not serve GET ${path} (the voucher's ` +
      `${list === 'publications' ? 'publish' : 'redemption'}.url): ${served}`,
    {
      id: path,
      type: 'route',
    },
  );
}
