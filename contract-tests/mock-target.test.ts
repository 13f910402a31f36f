/**
 * The contract suite against this repository's own mock, in-process on a real
 * port: green with `--checks all`, and green again on the same instance, so a
 * persistent target that earlier runs have published from is no obstacle. A run
 * configured wrongly for the mock (a key pair that is not an integration key
 * pair, a campaign or customer it does not have) could not run: exit 2.
 */
import { join } from 'node:path';
import type { Credentials } from './credentials';
import { type ContractOptions, runContract } from './runner';
import { DEFAULT_TARGET_DATA, MOCK_WORLD } from './target-data';
import { WELL_KNOWN } from '../src/fixtures/generate-fixtures';
import { type RunningMock, startMock } from '../src/app/server';

let mock: RunningMock;
/** The example world of mocks/example-fixtures.yaml: GET …/create takes only its integration key pair (qa-app). */
let exampleWorld: RunningMock;

beforeAll(async () => {
  mock = await startMock({ port: 0 });
  exampleWorld = await startMock({ port: 0, fixtures: join(__dirname, '..', 'mocks', 'example-fixtures.yaml') });
});

afterAll(async () => {
  await mock?.close();
  await exampleWorld?.close();
});

const credentials = { kind: 'pair', appId: 'mock-app', appToken: 'mock-token-6d02' } as const;

describe('the contract suite against the mock', () => {
  it.each([
    ['--checks all, first run', 'all'],
    ['--checks all, again on the same instance', 'all'],
    ['--checks schema', 'schema'],
  ] as const)('%s → every check passes, exit 0', async (_name, checks) => {
    const report = await runContract({ target: mock.url, credentials, checks });
    expect(
      report.results
        .filter((r) => r.status !== 'passed')
        .map((r) => ({ check: r.check, operationId: r.operationId, failures: r.failures, reasons: r.reasons })),
    ).toEqual([]);
    expect(report.exitCode).toBe(0);
  });

  it.each([
    ['--checks all --fuzz 100: generated valid and invalid cases and sequences', 'all', 100, 21],
    ['--checks schema --fuzz 100: generated valid cases', 'schema', 100, 22],
  ] as const)('%s → every check passes, exit 0', async (_name, checks, cases, seed) => {
    const report = await runContract({ target: mock.url, credentials, checks, fuzz: { cases, seed } });
    expect(
      report.results
        .filter((r) => r.status !== 'passed' && r.status !== 'not_applicable')
        .map((r) => ({ check: r.check, operationId: r.operationId, failures: r.failures, reasons: r.reasons })),
    ).toEqual([]);
    expect(report.generated?.positive).toBe(checks === 'all' ? 5 * Math.ceil(cases / 2) : 5 * cases);
    expect(report.exitCode).toBe(0);
  });

  it("the default target data is the mock's default world (WELL_KNOWN)", () => {
    expect(DEFAULT_TARGET_DATA).toEqual({
      campaign: WELL_KNOWN.exampleCampaignName,
      voucher: WELL_KNOWN.exampleVoucherCode,
      customerId: WELL_KNOWN.exampleCustomerId,
    });
    expect(MOCK_WORLD).toMatchObject({
      customerSourceId: WELL_KNOWN.exampleCustomerSourceId,
      fixedCampaign: WELL_KNOWN.fixedCampaignName,
      alreadyPublishedCode: WELL_KNOWN.alreadyPublishedCode,
    });
  });
});

/**
 * The data a run against the example world needs: a campaign that never runs dry, a standalone voucher, Alice (by
 * source_id; her id is made at start).
 */
const EXAMPLE_WORLD_DATA = { campaign: 'Newsletter Codes', voucher: 'WELCOME-5', customerSourceId: 'alice' } as const;

describe('the contract suite against the example world, configured for it', () => {
  const integrationPair: Credentials = { kind: 'pair', appId: 'qa-app', appToken: 'qa-secret' };
  /** Alice's id, made when the world starts. */
  const aliceId = async (): Promise<string> => {
    const answer = await fetch(`${exampleWorld.url}/v1/customers/${EXAMPLE_WORLD_DATA.customerSourceId}`, {
      headers: { 'X-App-Id': 'qa-app', 'X-App-Token': 'qa-secret' },
    });
    return ((await answer.json()) as { id: string }).id;
  };

  it(
    '--checks all with its integration key pair, its campaign, voucher and ' + 'customer → every check passes, exit 0',
    async () => {
      const data = {
        campaign: EXAMPLE_WORLD_DATA.campaign,
        voucher: EXAMPLE_WORLD_DATA.voucher,
        customerId: await aliceId(),
      };
      const report = await runContract({ target: exampleWorld.url, credentials: integrationPair, data });
      expect(
        report.results
          .filter((r) => r.status !== 'passed')
          .map((r) => ({ check: r.check, operationId: r.operationId, failures: r.failures, reasons: r.reasons })),
      ).toEqual([]);
      expect(report.exitCode).toBe(0);
    },
  );

  it(
    'its voucher and customer, but the default campaign, which it does not ' +
      'have → exit 2 naming --campaign, after the first publishing request',
    async () => {
      const report = await runContract({
        target: exampleWorld.url,
        credentials: integrationPair,
        data: { voucher: EXAMPLE_WORLD_DATA.voucher, customerId: await aliceId() },
      });
      expect(report).toMatchObject({ exitCode: 2, results: [] });
      expect(report.reason).toBe(
        'could not run: --campaign Test - Discount Effect - Amount - Items ' +
          "(not set, so the mock's default): the target has no such campaign " +
          '(404 not_found, GET /v1/publications/create); set --campaign or ' +
          'campaign in --config',
      );
      expect(report.exchanges.map((e) => e.scenario)).toEqual([
        ...Array<string>(5).fill('preflight'),
        'publish_from_campaign_query',
      ]);
    },
  );
});

describe('a run configured wrongly for the mock → could not run, exit 2, one line naming the setting', () => {
  const integrationPair: Credentials = { kind: 'pair', appId: 'qa-app', appToken: 'qa-secret' };
  it.each<[name: string, target: () => RunningMock, options: Partial<ContractOptions>, reason: RegExp]>([
    [
      'a key pair that is not one of the integration keys',
      () => exampleWorld,
      {},
      /^could not run: the key pair in VOUCHERIFY_APP_ID and VOUCHERIFY_APP_TOKEN is not an integration key pair: GET \/v1\/publications\/create answered 403 integration_api_key_required\./,
    ],
    [
      'the integration key pair, and the default voucher and customer, which this world does not have',
      () => exampleWorld,
      { credentials: integrationPair },
      /^could not run: --voucher cEsMn0uA \(not set, so the mock's default\): the target has no such voucher \(404 not_found, GET \/v1\/vouchers\/cEsMn0uA\); set --voucher or voucher in --config; --customer-id cust_BB6F97yf0XqCe7hxVUV7M4sS \(not set, so the mock's default\): the target has no such customer \(404 not_found, GET \/v1\/customers\/cust_BB6F97yf0XqCe7hxVUV7M4sS\); set --customer-id or customerId in --config$/,
    ],
    [
      "this world's voucher, and its customer by source_id where the id is needed",
      () => exampleWorld,
      { credentials: integrationPair, data: { voucher: 'WELCOME-5', customerId: EXAMPLE_WORLD_DATA.customerSourceId } },
      /^could not run: --customer-id alice: that is not a customer id: the target finds it as the source_id of the customer cust_\w+, and a create needs the id \(set cust_\w+\)$/,
    ],
    [
      'a campaign of another world',
      () => mock,
      { data: { campaign: 'Summer Sale' } },
      /^could not run: --campaign Summer Sale: the target has no such campaign \(404 not_found, GET \/v1\/publications\/create\)$/,
    ],
    [
      'a customer id with a typo',
      () => mock,
      { data: { customerId: 'cust_BB6F97yf0XqCe7hxVUV7M4sT' } },
      /^could not run: --customer-id cust_BB6F97yf0XqCe7hxVUV7M4sT: the target has no such customer \(404 not_found, GET \/v1\/customers\/cust_BB6F97yf0XqCe7hxVUV7M4sT\)$/,
    ],
    [
      'a voucher code with a typo',
      () => mock,
      { data: { voucher: 'cEsMn0uB' } },
      /^could not run: --voucher cEsMn0uB: the target has no such voucher \(404 not_found, GET \/v1\/vouchers\/cEsMn0uB\)$/,
    ],
  ])('%s', async (_name, target, options, reason) => {
    const report = await runContract({ target: target().url, credentials, ...options });
    expect(report.reason).toMatch(reason);
    expect(report).toMatchObject({ exitCode: 2, results: [] });
  });
});
