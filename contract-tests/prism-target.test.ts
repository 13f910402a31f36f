/**
 * Prism serving spec/ is a third-party implementation of the contract: it
 * answers the spec's first example, so it must pass `--checks schema`. With
 * `--checks all` it cannot keep state, so only behaviour checks may fail:
 * never a conformance check, which proves those assert only what any
 * conforming implementation answers.
 */
import { runContract } from './runner';
import { type RunningPrism, startPrism } from '../test/support/prism-process';

let prism: RunningPrism;

beforeAll(async () => {
  prism = await startPrism();
}, 30000);

afterAll(async () => {
  await prism?.stop();
});

const credentials = { kind: 'bearer', token: 'prism-bearer-0c4e9a' } as const;

describe('the contract suite against Prism serving spec/publications.openapi.yaml', () => {
  it('--checks schema → every conformance check passes, exit 0', async () => {
    const report = await runContract({ target: prism.baseUrl, credentials, checks: 'schema' });
    expect(report.results.filter((r) => r.status !== 'passed').map((r) => `${r.check} ${r.operationId}: ${r.failures.map((f) => f.pointer).join(', ')}`)).toEqual([]);
    expect(report.exitCode).toBe(0);
    expect(report.summary.exchanges).toBeGreaterThanOrEqual(10);
  });

  it('--checks all → conformance still passes; what fails is behaviour a stateless mock cannot have', async () => {
    const report = await runContract({ target: prism.baseUrl, credentials, checks: 'all' });
    expect(report.results.filter((r) => r.family === 'conformance' && r.status !== 'passed')).toEqual([]);
    const failedBehaviour = report.results.filter((r) => r.status === 'failed').map((r) => r.check);
    expect(failedBehaviour).toEqual(expect.arrayContaining(['page_over_1000_gives_page_over_limit', 'unknown_campaign_gives_not_found']));
    expect(report.exitCode).toBe(1);
  });
});
