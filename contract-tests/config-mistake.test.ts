/**
 * Telling a configuration mistake from drift: a 404 not_found is the
 * configuration's fault only when its resource_type names a kind of configured
 * value and the request sent exactly that configured value.
 */
import { describeConfigMistakes, missingConfiguredResource } from './config-mistake';
import type { Exchange } from './exchange';
import type { TargetData } from './target-data';

const data: TargetData = { campaign: 'Spring Sale', voucher: 'SPRING 1', customerId: 'cust_Configured' };

function exchange(operationId: string, url: string, status: number, body: unknown, requestBody?: unknown): Exchange {
  const parsed = new URL(url);
  return {
    id: 1,
    scenario: 's',
    label: 'ask',
    operationId,
    request: {
      method: requestBody === undefined ? 'GET' : 'POST',
      url,
      path: `${parsed.pathname}${parsed.search}`,
      headers: {},
      ...(requestBody === undefined ? {} : { body: requestBody }),
    },
    response: { status, headers: { 'content-type': 'application/json' }, body: { kind: 'json', value: body } },
    attempts: 1,
    durationMs: 1,
  };
}

const notFound = (type: string): Record<string, unknown> => ({
  code: 404,
  key: 'not_found',
  message: 'Resource not found',
  resource_id: 'x',
  resource_type: type,
});
const createUrl = (query: string): string => `http://t.invalid/v1/publications/create?${query}`;

describe('missingConfiguredResource', () => {
  it.each<[name: string, exchange: Exchange, expected: keyof TargetData | undefined]>([
    [
      '404 customer, the configured customer[id] in the query',
      exchange(
        'createPublicationFromQuery',
        createUrl('customer%5Bid%5D=cust_Configured&campaign%5Bname%5D=Spring+Sale'),
        404,
        notFound('customer'),
      ),
      'customerId',
    ],
    [
      '404 customer, a made-up customer[id]',
      exchange(
        'createPublicationFromQuery',
        createUrl('customer%5Bid%5D=cust_MadeUp&campaign%5Bname%5D=Spring+Sale'),
        404,
        notFound('customer'),
      ),
      undefined,
    ],
    [
      '404 customer, a customer by source_id',
      exchange(
        'createPublicationFromQuery',
        createUrl('customer%5Bsource_id%5D=cust_Configured&campaign%5Bname%5D=Spring+Sale'),
        404,
        notFound('customer'),
      ),
      undefined,
    ],
    [
      '404 campaign, the configured campaign[name] in the query',
      exchange(
        'createPublicationFromQuery',
        createUrl('campaign%5Bname%5D=Spring+Sale&customer%5Bid%5D=cust_MadeUp'),
        404,
        notFound('campaign'),
      ),
      'campaign',
    ],
    [
      '404 campaign, the configured campaign as a plain name in the body',
      exchange('createPublication', 'http://t.invalid/v1/publications', 404, notFound('campaign'), {
        campaign: 'Spring Sale',
        customer: { id: 'cust_MadeUp' },
      }),
      'campaign',
    ],
    [
      '404 campaign, the configured campaign as {name} in the body',
      exchange('createPublication', 'http://t.invalid/v1/publications', 404, notFound('campaign'), {
        campaign: { name: 'Spring Sale' },
        customer: { source_id: 'x' },
      }),
      'campaign',
    ],
    [
      '404 campaign, a made-up campaign',
      exchange('createPublication', 'http://t.invalid/v1/publications', 404, notFound('campaign'), {
        campaign: { name: 'No Such' },
        customer: { id: 'cust_Configured' },
      }),
      undefined,
    ],
    [
      '404 voucher, the configured code in the body',
      exchange('createPublication', 'http://t.invalid/v1/publications', 404, notFound('voucher'), {
        voucher: 'SPRING 1',
        customer: { id: 'cust_Configured' },
      }),
      'voucher',
    ],
    [
      '404 voucher, GET /v1/vouchers/{code} for the configured code (encoded)',
      exchange('getVoucher', 'http://t.invalid/v1/vouchers/SPRING%201', 404, notFound('voucher')),
      'voucher',
    ],
    [
      '404 customer, GET /v1/customers/{id} for the configured id',
      exchange('getCustomer', 'http://t.invalid/v1/customers/cust_Configured', 404, notFound('customer')),
      'customerId',
    ],
    [
      '404 customer, GET /v1/customers/{id} for a made-up id',
      exchange('getCustomer', 'http://t.invalid/v1/customers/cust_MadeUp', 404, notFound('customer')),
      undefined,
    ],
    [
      '404 voucher to a customer read (the answer names a kind the request did not read)',
      exchange('getCustomer', 'http://t.invalid/v1/customers/SPRING%201', 404, notFound('voucher')),
      undefined,
    ],
    [
      '404 without resource_type (a route the target does not serve)',
      exchange('getVoucher', 'http://t.invalid/v1/vouchers/SPRING%201', 404, {
        code: 404,
        key: 'not_found',
        message: 'No such route',
      }),
      undefined,
    ],
    [
      '404 with a resource_type of no configured kind',
      exchange('getVoucher', 'http://t.invalid/v1/vouchers/SPRING%201', 404, notFound('route')),
      undefined,
    ],
    [
      '400 for the configured customer',
      exchange('createPublicationFromQuery', createUrl('customer%5Bid%5D=cust_Configured'), 400, {
        code: 400,
        key: 'missing_vouchers',
      }),
      undefined,
    ],
    [
      '404 with another key',
      exchange('getCustomer', 'http://t.invalid/v1/customers/cust_Configured', 404, {
        code: 404,
        key: 'gone',
        resource_type: 'customer',
      }),
      undefined,
    ],
  ])('%s', (_name, answer, expected) => {
    expect(missingConfiguredResource(answer, data)).toBe(expected);
  });
});

describe('describeConfigMistakes', () => {
  const customerRead = exchange(
    'getCustomer',
    'http://t.invalid/v1/customers/cust_Configured',
    404,
    notFound('customer'),
  );
  const voucherRead = exchange('getVoucher', 'http://t.invalid/v1/vouchers/SPRING%201', 404, notFound('voucher'));

  it.each<
    [
      name: string,
      exchanges: Exchange[],
      origin: Parameters<typeof describeConfigMistakes>[2],
      line: string | undefined,
    ]
  >([
    ['nothing missing', [], () => ({ kind: 'flag' }), undefined],
    [
      'a flag',
      [customerRead],
      () => ({ kind: 'flag' }),
      '--customer-id cust_Configured: the target has no such customer (404 ' +
        'not_found, GET /v1/customers/cust_Configured)',
    ],
    [
      'a --config file',
      [customerRead],
      () => ({ kind: 'file', file: 'staging.yaml' }),
      'customerId cust_Configured (from --config staging.yaml): the target ' +
        'has no such customer (404 not_found, GET ' +
        '/v1/customers/cust_Configured)',
    ],
    [
      'the default',
      [customerRead],
      () => ({ kind: 'default' }),
      "--customer-id cust_Configured (not set, so the mock's default): the " +
        'target has no such customer (404 not_found, GET ' +
        '/v1/customers/cust_Configured); set --customer-id or customerId in ' +
        '--config',
    ],
    [
      'two settings, each once, in the order seen',
      [voucherRead, customerRead, voucherRead],
      () => ({ kind: 'flag' }),
      '--voucher SPRING 1: the target has no such voucher (404 not_found, ' +
        'GET /v1/vouchers/SPRING 1); --customer-id cust_Configured: the target ' +
        'has no such customer (404 not_found, GET ' +
        '/v1/customers/cust_Configured)',
    ],
  ])('%s', (_name, exchanges, origin, line) => {
    expect(describeConfigMistakes(exchanges, data, origin)).toBe(line);
  });

  it('a configured value with a line break is quoted, so the reason stays one line', () => {
    const odd: TargetData = { ...data, customerId: 'cust_\nInjected' };
    const read = exchange('getCustomer', 'http://t.invalid/v1/customers/cust_%0AInjected', 404, notFound('customer'));
    const line = describeConfigMistakes([read], odd, () => ({ kind: 'flag' }));
    expect(line).toMatch(/^--customer-id "cust_\\nInjected": the target has no such customer/);
    expect(line).not.toContain('\n');
  });
});
