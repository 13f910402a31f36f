/**
 * Prism serving spec/ is a third-party implementation of the contract: it
 * answers the spec's first example, so it must pass `--checks schema`. With
 * `--checks all` it cannot keep state, and the behaviour checks must say so:
 * every rule that needs state fails (Prism answers with the example's customer,
 * code and publication whatever was asked), and so does every documented error
 * Prism answers with a 200. Never a conformance check, which proves those
 * assert only what any conforming implementation answers.
 */
import type { ContractReport } from './report';
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
const BOTH_CREATES = ['createPublicationFromQuery', 'createPublication'];

/** Rules that need state: a frozen example answers someone else's publication, or the same one to everybody. */
const STATEFUL_RULES: Array<[check: string, operations: string[]]> = [
  ['created_customer_has_requested_source_id', BOTH_CREATES],
  ['created_publication_has_requested_source_id', BOTH_CREATES],
  ['join_once_returns_same_code', BOTH_CREATES],
  ['join_once_gives_each_customer_own_code', BOTH_CREATES],
  ['join_once_gives_each_customer_own_publication', BOTH_CREATES],
  ['source_id_retry_returns_first_code', BOTH_CREATES],
  ['source_id_retry_returns_first_publication', BOTH_CREATES],
  ['source_id_reuse_gives_duplicate_source_id', BOTH_CREATES],
  ['created_publication_is_listed', BOTH_CREATES],
  ['created_publication_is_listed_for_customer', BOTH_CREATES],
  ['already_published_code_gives_voucher_already_published', BOTH_CREATES],
  ['published_code_is_held_by_customer', ['getVoucher']],
  ['created_customer_is_found_by_id', ['getCustomer']],
  ['created_customer_is_found_by_source_id', ['getCustomer']],
];

/** Documented errors, and campaign.count, which Prism answers with its single-publication 200 example. */
const ERRORS_ANSWERED_WITH_200: Array<[check: string, operations: string[]]> = [
  ['campaign_count_gives_distinct_codes', ['createPublication']],
  ['count_above_one_gives_too_many_vouchers_requested', ['createPublicationFromQuery']],
  ['missing_voucher_and_campaign_gives_missing_vouchers', BOTH_CREATES],
  ['unknown_campaign_gives_not_found', BOTH_CREATES],
  ['unknown_customer_id_gives_not_found', [...BOTH_CREATES, 'getCustomer']],
  ['unknown_voucher_gives_not_found', ['getVoucher']],
  ['page_over_1000_gives_page_over_limit', ['listPublications']],
];

/** One `--checks all` run, shared by the tests that read it (its lists wait for the publication to show up, ~2 s). */
let allChecks: Promise<ContractReport> | undefined;
const runAllChecks = (): Promise<ContractReport> =>
  (allChecks ??= runContract({ target: prism.baseUrl, credentials, checks: 'all' }));

const pairs = (rows: Array<[string, string[]]>): string[] =>
  rows.flatMap(([check, operations]) => operations.map((op) => `${check} ${op}`));

describe('the contract suite against Prism serving spec/publications.openapi.yaml', () => {
  it('--checks schema → every conformance check passes, exit 0', async () => {
    const report = await runContract({ target: prism.baseUrl, credentials, checks: 'schema' });
    expect(
      report.results
        .filter((r) => r.status !== 'passed')
        .map((r) => `${r.check} ${r.operationId}: ${r.failures.map((f) => f.pointer).join(', ')}`),
    ).toEqual([]);
    expect(report.exitCode).toBe(0);
    expect(report.summary.exchanges).toBeGreaterThanOrEqual(10);
  });

  it('--checks schema --fuzz 50 → the generated valid requests are answered as documented, exit 0', async () => {
    const report = await runContract({
      target: prism.baseUrl,
      credentials,
      checks: 'schema',
      fuzz: { cases: 50, seed: 5 },
    });
    expect(
      report.results
        .filter((r) => r.status !== 'passed' && r.status !== 'not_applicable')
        .map(
          (r) =>
            `${r.family} ${r.check} ${r.operationId}: ${r.failures.map((f) => `${f.path} ${f.pointer}`).join(', ')}`,
        ),
    ).toEqual([]);
    expect(report.generated).toMatchObject({ positive: 250, negative: 0, sequences: 0 });
    expect(report.exitCode).toBe(0);
  });

  it(
    '--checks all → exit 1: the stateless answers are reported as ' + 'behaviour violations, conformance still passes',
    async () => {
      const report = await runAllChecks();
      expect(report.results.filter((r) => r.family === 'conformance' && r.status !== 'passed')).toEqual([]);
      const failed = report.results.filter((r) => r.status === 'failed').map((r) => `${r.check} ${r.operationId}`);
      expect(failed.sort()).toEqual([...pairs(STATEFUL_RULES), ...pairs(ERRORS_ANSWERED_WITH_200)].sort());
      // What Prism can answer without state it answers right: the request validation and the security check.
      expect(
        report.results
          .filter((r) => r.family === 'behaviour' && r.status === 'passed')
          .map((r) => r.check)
          .sort(),
      ).toEqual([
        'missing_customer_gives_documented_error',
        'missing_customer_gives_documented_error',
        ...Array<string>(5).fill('no_credentials_gives_unauthorized'),
      ]);
      expect(report.exitCode).toBe(1);
      expect(report.reason).toMatch(/^contract violation: /);
    },
  );

  it(
    '--checks all: the join_once rule fails because Prism answers the ' + "example's customer, not the one asked for",
    async () => {
      const report = await runAllChecks();
      const joinOnce = report.results.find(
        (r) => r.check === 'join_once_gives_each_customer_own_code' && r.operationId === 'createPublication',
      );
      expect(joinOnce?.failures[0]).toMatchObject({
        pointer: '/customer/source_id',
        documented: expect.stringMatching(/^"contract-.+-join-once", the customer the request named by source_id$/),
      });
    },
  );
});
