/**
 * A configured value the target does not know, told apart from drift: a
 * `404 not_found` whose `resource_type` is a campaign, customer or voucher, to
 * a request that named the value the run was configured with. Such an answer
 * says the configuration is wrong for this target (a typo in --customer-id, a
 * campaign that exists only on another project), not that the API drifted, so
 * the run ends with exit 2 and one line naming the setting.
 */
import { readCreateRequest } from './create-request';
import { type Exchange, bodyObject, displayPath } from './exchange';
import { type DataOrigin, type TargetData, describeBadSetting } from './target-data';

const SETTING_OF_RESOURCE: Readonly<Record<string, keyof TargetData>> = {
  campaign: 'campaign',
  customer: 'customerId',
  voucher: 'voucher',
};

/** The reads that address one configured value by their path's last segment. */
const SETTING_OF_READ: Readonly<Record<string, keyof TargetData>> = {
  getVoucher: 'voucher',
  getCustomer: 'customerId',
};

/** The value the request sent for a setting, if it sent one. */
function valueSent(exchange: Exchange, key: keyof TargetData): string | undefined {
  const create = readCreateRequest(exchange);
  if (create) return key === 'campaign' ? create.campaign : key === 'voucher' ? create.voucher : create.customerId;
  if (SETTING_OF_READ[exchange.operationId] !== key) return undefined;
  const segment = new URL(exchange.request.url).pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The setting this answer says the target lacks, or undefined when it says nothing of the kind. */
export function missingConfiguredResource(exchange: Exchange, data: TargetData): keyof TargetData | undefined {
  if (exchange.response?.status !== 404) return undefined;
  const body = bodyObject(exchange);
  if (body?.key !== 'not_found' || typeof body.resource_type !== 'string') return undefined;
  const key = SETTING_OF_RESOURCE[body.resource_type];
  if (key === undefined) return undefined;
  return valueSent(exchange, key) === data[key] ? key : undefined;
}

/** The request's path, decoded unless that would put a control character (a line break) into the one-line reason. */
function readablePath(exchange: Exchange): string {
  const path = new URL(exchange.request.url).pathname;
  const decoded = displayPath(path);
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  return /[\u0000-\u001f\u007f]/.test(decoded) ? path : decoded;
}

/** One line naming every configured value the exchanges say the target lacks, or undefined when there is none. */
export function describeConfigMistakes(
  exchanges: readonly Exchange[],
  data: TargetData,
  originOf: (key: keyof TargetData) => DataOrigin,
): string | undefined {
  const missing = new Map<keyof TargetData, Exchange>();
  for (const exchange of exchanges) {
    const key = missingConfiguredResource(exchange, data);
    if (key !== undefined && !missing.has(key)) missing.set(key, exchange);
  }
  if (missing.size === 0) return undefined;
  const nouns: Record<keyof TargetData, string> = { campaign: 'campaign', customerId: 'customer', voucher: 'voucher' };
  return [...missing]
    .map(([key, exchange]) =>
      describeBadSetting(
        key,
        data[key],
        originOf(key),
        `the target has no such ${nouns[key]} (404 not_found, ${exchange.request.method} ${readablePath(exchange)})`,
      ),
    )
    .join('; ');
}
