/**
 * The contract suite against this repository's own mock, in-process on a real
 * port: green with `--checks all`, and green again on the same instance, so a
 * persistent target that earlier runs have published from is no obstacle.
 */
import { runContract } from './runner';
import { DEFAULT_TARGET_DATA, MOCK_WORLD } from './target-data';
import { WELL_KNOWN } from '../mocks/generate-fixtures';
import { type RunningMock, startMock } from '../src/server';

let mock: RunningMock;

beforeAll(async () => {
  mock = await startMock({ port: 0 });
});

afterAll(async () => {
  await mock?.close();
});

const credentials = { kind: 'pair', appId: 'mock-app', appToken: 'mock-token-6d02' } as const;

describe('the contract suite against the mock', () => {
  it.each([
    ['--checks all, first run', 'all'],
    ['--checks all, again on the same instance', 'all'],
    ['--checks schema', 'schema'],
  ] as const)('%s → every check passes, exit 0', async (_name, checks) => {
    const report = await runContract({ target: mock.url, credentials, checks });
    expect(report.results.filter((r) => r.status !== 'passed').map((r) => ({ check: r.check, operationId: r.operationId, failures: r.failures, reasons: r.reasons }))).toEqual([]);
    expect(report.exitCode).toBe(0);
  });

  it('the default target data is the mock\'s default world (WELL_KNOWN)', () => {
    expect(DEFAULT_TARGET_DATA).toEqual({ campaign: WELL_KNOWN.exampleCampaignName, voucher: WELL_KNOWN.exampleVoucherCode, customerId: WELL_KNOWN.exampleCustomerId });
    expect(MOCK_WORLD).toMatchObject({
      customerSourceId: WELL_KNOWN.exampleCustomerSourceId,
      fixedCampaign: WELL_KNOWN.fixedCampaignName,
      alreadyPublishedCode: WELL_KNOWN.alreadyPublishedCode,
    });
  });
});
