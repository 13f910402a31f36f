/**
 * The preflight: before any check, one request per operation the suite calls,
 * none of which changes the target, to find out whether a failure could be
 * blamed on the API at all. The target must answer, accept the credentials for
 * every operation (401: wrong credentials; 403 integration_api_key_required on
 * `GET …/create`: a key pair that is not an integration key pair), and know
 * the configured voucher and customer. Otherwise the run ends with exit 2 and
 * one line naming the bad setting, never exit 1 with a page of FAILs.
 *
 * The configured campaign cannot be looked up without publishing from it: the
 * runner's first publishing scenario runs alone right after the preflight, and
 * any `404 not_found` for the configured campaign ends the run the same way.
 */
import { describeConfigMistakes } from './config-mistake';
import type { Credentials } from './credentials';
import { type Exchange, bodyObject } from './exchange';
import type { RequestSpec } from './http-client';
import { getOperation } from '../src/spec/operations';
import { type DataOrigin, type TargetData, describeBadSetting } from './target-data';

export const PREFLIGHT_SCENARIO = 'preflight';

export interface PreflightRequest {
  label: string;
  request: RequestSpec;
}

function pathOf(operationId: string, params: Record<string, string> = {}): string {
  return getOperation(operationId).path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(params[name] ?? ''),
  );
}

/**
 * The preflight's requests, in order; the first one alone tells whether the
 * target can be reached. The creates name no customer: nothing can be published
 * or recorded, so a target that accepts the credentials answers 400.
 */
export function buildPreflight(data: TargetData): PreflightRequest[] {
  return [
    {
      label: 'list',
      request: {
        operationId: 'listPublications',
        method: 'GET',
        path: pathOf('listPublications'),
        query: { limit: '1' },
        idempotent: true,
      },
    },
    {
      label: 'create_from_query',
      request: {
        operationId: 'createPublicationFromQuery',
        method: 'GET',
        path: pathOf('createPublicationFromQuery'),
        query: { 'campaign[name]': data.campaign },
        idempotent: true,
      },
    },
    {
      label: 'create',
      request: {
        operationId: 'createPublication',
        method: 'POST',
        path: pathOf('createPublication'),
        body: { campaign: data.campaign },
        idempotent: true,
      },
    },
    {
      label: 'voucher',
      request: {
        operationId: 'getVoucher',
        method: 'GET',
        path: pathOf('getVoucher', { code: data.voucher }),
        idempotent: true,
      },
    },
    {
      label: 'customer',
      request: {
        operationId: 'getCustomer',
        method: 'GET',
        path: pathOf('getCustomer', { customerId: data.customerId }),
        idempotent: true,
      },
    },
  ];
}

function credentialVariables(credentials: Credentials): string {
  return credentials.kind === 'pair' ? 'VOUCHERIFY_APP_ID and VOUCHERIFY_APP_TOKEN' : 'VOUCHERIFY_BEARER';
}

/** Why the credentials cannot be used for this answer's operation, or undefined when they were accepted. */
function refusedCredentials(exchange: Exchange, credentials: Credentials): string | undefined {
  const status = exchange.response?.status;
  if (status !== 401 && status !== 403) return undefined;
  const key = bodyObject(exchange)?.key;
  const request = `${exchange.request.method} ${exchange.request.path.split('?')[0]}`;
  if (status === 403 && key === 'integration_api_key_required') {
    const what =
      credentials.kind === 'pair'
        ? 'the key pair in VOUCHERIFY_APP_ID and VOUCHERIFY_APP_TOKEN is not an integration key pair'
        : 'a bearer token (VOUCHERIFY_BEARER) is not an integration key pair';
    return (
      `${what}: ${request} answered 403 integration_api_key_required. ` +
      ('Set up an integration key pair in the Voucherify dashboard (Project ' +
        'Settings → General → Integration Keys) and put it in ' +
        'VOUCHERIFY_APP_ID and VOUCHERIFY_APP_TOKEN')
    );
  }
  return (
    `the target refused the credentials: ${request} answered ` +
    `${status}${typeof key === 'string' ? ` (${key})` : ''}; check ` +
    `${credentialVariables(credentials)}`
  );
}

/**
 * What the preflight's answers say is wrong with the run's configuration, in one
 * line, or undefined when the checks can go ahead. Anything else they show
 * (a 500, a body off the schema) is for the conformance checks to judge.
 */
export function judgePreflight(
  exchanges: readonly Exchange[],
  credentials: Credentials,
  data: TargetData,
  originOf: (key: keyof TargetData) => DataOrigin,
): string | undefined {
  for (const exchange of exchanges) {
    if (!exchange.response)
      return `target unreachable: ${exchange.request.method} ${exchange.request.url}: ${exchange.error ?? 'no answer'}`;
    if (exchange.error) return `${exchange.request.method} ${exchange.request.url}: ${exchange.error}`;
  }
  for (const exchange of exchanges) {
    const refused = refusedCredentials(exchange, credentials);
    if (refused) return refused;
  }
  return describeConfigMistakes(exchanges, data, originOf) ?? customerIdIsNoId(exchanges, data, originOf);
}

/**
 * `GET /v1/customers/{customerId}` finds a customer by its source_id too, but a
 * create's `customer[id]` takes only the id: a configured source_id passes the
 * lookup and then fails every create that names the customer.
 */
function customerIdIsNoId(
  exchanges: readonly Exchange[],
  data: TargetData,
  originOf: (key: keyof TargetData) => DataOrigin,
): string | undefined {
  const read = exchanges.find((e) => e.operationId === 'getCustomer' && e.response?.status === 200);
  const id = read ? bodyObject(read)?.id : undefined;
  if (typeof id !== 'string' || id === data.customerId) return undefined;
  return describeBadSetting(
    'customerId',
    data.customerId,
    originOf('customerId'),
    `that is not a customer id: the target finds it as the source_id of ` +
      `the customer ${id}, and a create needs the id (set ${id})`,
  );
}
