/**
 * Concurrency over real sockets: the mock as the CLI starts it (startMock on
 * port 0), hit by hundreds of simultaneous connections. Larger than the
 * in-process tests in test/mock-state.test.ts and through the real server:
 * join_once gives one code per customer, a pool of N codes gives exactly N
 * successes and never a code twice, a source_id is used once.
 */
import { Agent } from 'node:http';
import { POOL_SIZE, WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { type RunningMock, startMock } from '../../src/app/server';
import { type Answer, jsonRequest } from '../support/json-request';
import { queryString } from '../support/test-mock';

let mock: RunningMock;
// One connection per request, all opened at once.
const agent = new Agent({ keepAlive: false, maxSockets: 1000 });

beforeEach(async () => {
  mock = await startMock({ port: 0, now: '2026-11-26T12:00:00.000Z' });
});
afterEach(() => mock.close());
afterAll(() => agent.destroy());

function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
  return jsonRequest(agent, mock.url, method, path, body);
}

const codeOf = (answer: Answer): string => (answer.body.voucher as { code: string }).code;

describe('simultaneous requests over real connections', () => {
  it('200 simultaneous join_once GET …/create for one customer: all 200, one code, one publication', async () => {
    const path = `/v1/publications/create?${queryString({
      customer: { source_id: 'http-crowd' },
      campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
      join_once: true,
    })}`;
    const answers = await Promise.all(Array.from({ length: 200 }, () => call('GET', path)));
    expect(answers.map((a) => a.status)).toEqual(Array(200).fill(200));
    expect(new Set(answers.map(codeOf)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const listed = await call('GET', `/v1/publications?customer=${String(answers[0]!.body.customer_id)}`);
    expect(listed.body.total).toBe(1);
  });

  it(
    `a pool of ${POOL_SIZE} codes hit by ${POOL_SIZE * 3} simultaneous ` +
      `POSTs: exactly ${POOL_SIZE} successes, no code twice, the rest ` +
      `no_voucher_suitable_for_publication`,
    async () => {
      const answers = await Promise.all(
        Array.from({ length: POOL_SIZE * 3 }, (_, i) =>
          call('POST', '/v1/publications', {
            customer: { source_id: `pool-${i}` },
            campaign: WELL_KNOWN.percentCampaignName,
          }),
        ),
      );
      const ok = answers.filter((a) => a.status === 200);
      expect(ok).toHaveLength(POOL_SIZE);
      expect(new Set(ok.map(codeOf)).size).toBe(POOL_SIZE);
      expect(answers.filter((a) => a.status !== 200).map((a) => a.body.key)).toEqual(
        Array(POOL_SIZE * 2).fill('no_voucher_suitable_for_publication'),
      );
      const campaign = mock.state.store.findCampaignByName(WELL_KNOWN.percentCampaignName)!;
      expect(mock.state.store.campaignStock(campaign.id).publishable).toBe(0);
    },
  );

  it(
    '100 customers joining an auto-update campaign twice each, all at ' + 'once: one code per customer, no code shared',
    async () => {
      const path = (i: number): string =>
        `/v1/publications/create?${queryString({
          customer: { source_id: `joiner-${i}` },
          campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
          join_once: true,
        })}`;
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, n) => call('GET', path(n % 100)).then((a) => ({ customer: n % 100, a }))),
      );
      expect(answers.every(({ a }) => a.status === 200)).toBe(true);
      const byCustomer = new Map<number, Set<string>>();
      for (const { customer, a } of answers)
        byCustomer.set(customer, (byCustomer.get(customer) ?? new Set()).add(codeOf(a)));
      expect([...byCustomer.values()].every((codes) => codes.size === 1)).toBe(true);
      expect(new Set([...byCustomer.values()].map((codes) => [...codes][0])).size).toBe(100);
    },
  );

  it(
    'one source_id sent 100 times at once by 51 customers: one ' +
      'publication; every other answer is that one or duplicate_source_id',
    async () => {
      const same = Array.from({ length: 50 }, () =>
        call('POST', '/v1/publications', {
          customer: { source_id: 'order-owner' },
          campaign: WELL_KNOWN.autoUpdateCampaignName,
          source_id: 'order-1',
        }),
      );
      const others = Array.from({ length: 50 }, (_, i) =>
        call('POST', '/v1/publications', {
          customer: { source_id: `order-other-${i}` },
          campaign: WELL_KNOWN.autoUpdateCampaignName,
          source_id: 'order-1',
        }),
      );
      const [mine, theirs] = await Promise.all([Promise.all(same), Promise.all(others)]);
      const owners = [...mine, ...theirs].filter((a) => a.status === 200);
      // Whoever came first owns the source_id; every answer that is a success names that one publication.
      expect(new Set(owners.map((a) => a.body.id)).size).toBe(1);
      expect(
        [...mine, ...theirs].filter((a) => a.status !== 200).every((a) => a.body.key === 'duplicate_source_id'),
      ).toBe(true);
      const listed = await call('GET', '/v1/publications?source_id=order-1');
      expect(listed.body.total).toBe(1);
    },
  );
});
