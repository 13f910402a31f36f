/**
 * The bench's pure helpers: the seeded mixed request list (bench/mixed-requests.ts)
 * and the WireMock stubs made from the mock's answers (bench/support/wiremock-stubs.ts).
 * Speed is measured by `npm run bench`, never here; these pin what is sent and served.
 */
import {
  MIXED_CUSTOMERS,
  MIXED_REQUESTS,
  MIXED_SEED,
  type MixedStep,
  drawMixedPlan,
  mixedCustomerSourceId,
  resolveMixedPlan,
} from '../bench/mixed-requests';
import { type RecordedAnswer, buildWiremockMappings } from '../bench/support/wiremock-stubs';

const plan = drawMixedPlan({ seed: MIXED_SEED, count: MIXED_REQUESTS, customers: MIXED_CUSTOMERS });
const ids = Array.from({ length: MIXED_CUSTOMERS }, (_, i) => `cust_${i}`);
const requests = resolveMixedPlan(plan, ids);
const share = (predicate: (step: MixedStep) => boolean): number => plan.filter(predicate).length / plan.length;

describe('the mixed workload list', () => {
  test.each([
    ['60 % are join_once GETs', (s: MixedStep) => s.kind === 'join', 0.6],
    ['20 % are POST creates', (s: MixedStep) => s.kind === 'create', 0.2],
    ['20 % are lists', (s: MixedStep) => s.kind === 'list', 0.2],
  ])('%s', (_name, predicate, expected) => {
    expect(share(predicate)).toBeCloseTo(expected, 5);
  });

  test.each([
    ['by customer', 'customer'],
    ['by campaign', 'campaign'],
    ['with filters[...]', 'filters'],
  ])('lists %s make a third of the lists', (_name, variant) => {
    expect(share((s) => s.kind === 'list' && s.variant === variant) / 0.2).toBeCloseTo(1 / 3, 1);
  });

  test.each([
    [
      'the same seed draws the same list',
      () => drawMixedPlan({ seed: MIXED_SEED, count: MIXED_REQUESTS, customers: MIXED_CUSTOMERS }),
      true,
    ],
    [
      'another seed draws another list',
      () => drawMixedPlan({ seed: MIXED_SEED + 1, count: MIXED_REQUESTS, customers: MIXED_CUSTOMERS }),
      false,
    ],
  ])('%s', (_name, draw, same) => {
    expect(JSON.stringify(draw()) === JSON.stringify(plan)).toBe(same);
  });

  test('the kinds are shuffled, not in blocks (a block of 400 creates would be a creates run)', () => {
    const firstHundred = plan.slice(0, 100).map((s) => s.kind);
    expect(new Set(firstHundred)).toEqual(new Set(['join', 'create', 'list']));
  });

  test('customers are drawn from the whole pool of 1,000 and only from it', () => {
    const customers = new Set(plan.map((s) => s.customer));
    expect(Math.min(...customers)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...customers)).toBeLessThan(MIXED_CUSTOMERS);
    expect(customers.size).toBeGreaterThan(0.8 * MIXED_CUSTOMERS);
  });

  test.each([
    [
      'a join names its customer by source_id with join_once',
      0,
      (p: string) =>
        p.startsWith('/v1/publications/create?') &&
        p.includes(encodeURIComponent(mixedCustomerSourceId(0))) &&
        p.includes('join_once=true'),
    ],
  ])('%s', (_name, customer, check) => {
    const index = plan.findIndex((s) => s.kind === 'join' && s.customer === customer);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(check(requests[index]!.path)).toBe(true);
  });

  test.each([
    [
      'a list by customer filters on the customer id',
      'customer',
      (path: string, id: string) => path === `/v1/publications?customer=${id}`,
    ],
    [
      'a list by campaign names the campaign',
      'campaign',
      (path: string) => path.startsWith('/v1/publications?campaign='),
    ],
    [
      'a list with filters[...] puts the customer id in a filters condition',
      'filters',
      (path: string, id: string) =>
        new URLSearchParams(path.split('?')[1]).get('filters[customer_id][conditions][$is]') === id,
    ],
  ])('%s', (_name, variant, check) => {
    const index = plan.findIndex((s) => s.kind === 'list' && s.variant === variant);
    const step = plan[index]!;
    expect(check(requests[index]!.path, ids[step.customer]!)).toBe(true);
  });

  test('a create POSTs JSON naming a pool customer by source_id', () => {
    const index = plan.findIndex((s) => s.kind === 'create');
    const request = requests[index]!;
    expect(request.method).toBe('POST');
    expect(request.headers['Content-Type']).toBe('application/json');
    expect((JSON.parse(request.body!) as { customer: { source_id: string } }).customer.source_id).toBe(
      mixedCustomerSourceId(plan[index]!.customer),
    );
  });

  test('a list for a customer without a known id is refused, not sent with "undefined"', () => {
    expect(() => resolveMixedPlan([{ kind: 'list', variant: 'customer', customer: 5 }], ['cust_0'])).toThrow(
      /pool customer 5/,
    );
  });
});

describe('WireMock stubs from the mock answers', () => {
  const answer = (method: 'GET' | 'POST', path: string, body: string): RecordedAnswer => ({
    method,
    path,
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body,
  });
  const { mappings } = buildWiremockMappings([
    answer('GET', '/v1/publications?customer=a', 'A'),
    answer('GET', '/v1/publications?customer=b', 'B'),
    answer('GET', '/v1/publications?customer=a', 'A again'),
    answer('POST', '/v1/publications', 'first create'),
    answer('POST', '/v1/publications', 'second create'),
  ]);

  test.each([
    [
      'one stub per distinct GET URL, matched exactly with its query',
      0,
      { method: 'GET', url: '/v1/publications?customer=a' },
      'A',
    ],
    ['another GET URL gets a stub of its own', 1, { method: 'GET', url: '/v1/publications?customer=b' }, 'B'],
    [
      'a POST is matched by method and path, answered with the first create',
      2,
      { method: 'POST', urlPath: '/v1/publications' },
      'first create',
    ],
  ])('%s', (_name, index, request, body) => {
    expect(mappings[index]!.request).toEqual(request);
    expect(mappings[index]!.response.body).toBe(body);
  });

  test('an answer given a priority keeps it, so WireMock tries it before the others', () => {
    const { mappings: withPriority } = buildWiremockMappings([
      { ...answer('GET', '/v1/x', 'X'), priority: 1 },
      answer('GET', '/v1/y', 'Y'),
    ]);
    expect(withPriority.map((m) => m.priority)).toEqual([1, undefined]);
  });

  test('repeated requests add no stub', () => {
    expect(mappings).toHaveLength(3);
  });

  test("the stub answers with the mock's status and Content-Type", () => {
    expect(mappings[0]!.response).toMatchObject({
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
  });
});
