/**
 * The mixed workload of `npm run bench`: a seeded list of requests, the same
 * for every server compared. 60 % `GET /v1/publications/create` with
 * join_once over a pool of customers (by source_id, so the request itself
 * creates the customer), 20 % POST creates on the auto-update campaign, 20 %
 * filtered lists (by customer, by campaign, with `filters[...]`).
 *
 * The list is drawn in two steps: `drawMixedPlan` picks kinds and customers
 * from the seed alone; `resolveMixedPlan` turns the plan into HTTP requests
 * once the customers' ids are known (the list filters take `cust_…` ids, which
 * the mock assigns when it first sees a customer).
 */
import { WELL_KNOWN } from '../src/fixtures/generate-fixtures';

export const MIXED_CUSTOMERS = 1000;
export const MIXED_REQUESTS = 2000;
export const MIXED_SEED = 15;

export type ListVariant = 'customer' | 'campaign' | 'filters';

export type MixedStep =
  | { kind: 'join'; customer: number }
  | { kind: 'create'; customer: number }
  | { kind: 'list'; variant: ListVariant; customer: number };

export interface HttpRequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export const CREDENTIALS: Readonly<Record<string, string>> = { 'X-App-Id': 'bench-app', 'X-App-Token': 'bench-secret' };

/** mulberry32: a small seeded generator, so the list is the same on every run and machine. */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Exactly 60 / 20 / 20 % of `count` (rounded down for creates and lists, the
 * rest joins), shuffled by the seed; list variants take turns so each third of
 * the lists is one variant.
 */
export function drawMixedPlan(options: { seed: number; count: number; customers: number }): MixedStep[] {
  const random = createSeededRandom(options.seed);
  const pick = (): number => Math.floor(random() * options.customers);
  const creates = Math.floor(options.count * 0.2);
  const lists = Math.floor(options.count * 0.2);
  const joins = options.count - creates - lists;
  const variants: readonly ListVariant[] = ['customer', 'campaign', 'filters'];
  const steps: MixedStep[] = [];
  for (let i = 0; i < joins; i++) steps.push({ kind: 'join', customer: pick() });
  for (let i = 0; i < creates; i++) steps.push({ kind: 'create', customer: pick() });
  for (let i = 0; i < lists; i++)
    steps.push({ kind: 'list', variant: variants[i % variants.length]!, customer: pick() });
  // Fisher-Yates with the same generator: the order is part of the seeded list.
  for (let i = steps.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [steps[i], steps[j]] = [steps[j]!, steps[i]!];
  }
  return steps;
}

export function mixedCustomerSourceId(customer: number): string {
  return `bench-mixed-customer-${String(customer).padStart(4, '0')}`;
}

/** The join_once request for one customer of the pool; also how the bench first creates the customer. */
export function joinRequest(customer: number): HttpRequestSpec {
  const query = new URLSearchParams({
    'customer[source_id]': mixedCustomerSourceId(customer),
    'campaign[name]': WELL_KNOWN.exampleCampaignName,
    join_once: 'true',
  });
  return { method: 'GET', path: `/v1/publications/create?${query.toString()}`, headers: { ...CREDENTIALS } };
}

function listRequest(variant: ListVariant, customerId: string): HttpRequestSpec {
  const query = new URLSearchParams();
  if (variant === 'customer') query.set('customer', customerId);
  if (variant === 'campaign') query.set('campaign', WELL_KNOWN.exampleCampaignName);
  if (variant === 'filters') {
    query.set('filters[customer_id][conditions][$is]', customerId);
    query.set('filters[result][conditions][$in][0]', 'SUCCESS');
  }
  return { method: 'GET', path: `/v1/publications?${query.toString()}`, headers: { ...CREDENTIALS } };
}

/** The plan as HTTP requests; `customerIds[i]` is the `cust_…` id of pool customer i. */
export function resolveMixedPlan(plan: readonly MixedStep[], customerIds: readonly string[]): HttpRequestSpec[] {
  return plan.map((step) => {
    if (step.kind === 'join') return joinRequest(step.customer);
    if (step.kind === 'create') {
      return {
        method: 'POST',
        path: '/v1/publications',
        headers: { ...CREDENTIALS, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          customer: { source_id: mixedCustomerSourceId(step.customer) },
          campaign: WELL_KNOWN.autoUpdateCampaignName,
        }),
      };
    }
    const id = customerIds[step.customer];
    if (id === undefined) throw new Error(`no customer id for pool customer ${step.customer}`);
    return listRequest(step.variant, id);
  });
}
