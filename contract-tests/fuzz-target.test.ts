/**
 * `--fuzz` against test doubles of the Publications API. The faithful double
 * passes. Each double that hides one defect passes the fixed checks (the
 * defect is where no fixed request looks), and `--fuzz 200` finds it, shrinks
 * it to a minimal request or sequence and reports it with curl commands and
 * the seed that replays it. The same seed sends the same requests; the
 * budgets (--read-only, --max-publications, --fuzz-time) hold for generated
 * requests, and 429s are waited out.
 */
import { isRecord } from './exchange';
import type { ContractReport } from './report';
import { type ContractOptions, runContract } from './runner';
import {
  type DoubleOptions,
  type DoubleRequest,
  type HiddenDefect,
  type RunningDouble,
  startPublicationsDouble,
} from './test-support/publications-double';

const credentials = { kind: 'pair', appId: 'fuzz-app-3c1e', appToken: 'fuzz-token-9d27' } as const;
const CREATES = ['createPublicationFromQuery', 'createPublication'];

async function runAgainst(
  double: DoubleOptions,
  options: Partial<ContractOptions>,
): Promise<{ report: ContractReport; received: DoubleRequest[] }> {
  const server: RunningDouble = await startPublicationsDouble(double);
  try {
    // No waits for a lagging index: the double has none, and a defect that loses publications would make every shrink
    // wait.
    return {
      report: await runContract({ target: server.baseUrl, credentials, listWaitsMs: [], ...options }),
      received: server.received,
    };
  } finally {
    await server.close();
  }
}

const notPassed = (report: ContractReport): string[] =>
  report.results
    .filter((r) => r.status !== 'passed' && r.status !== 'not_applicable')
    .map((r) => `${r.family} ${r.status} ${r.check} ${r.operationId}`);

describe('--fuzz against the faithful double', () => {
  it('--fuzz 200 → every check passes, exit 0, with valid and invalid cases and sequences sent', async () => {
    const { report } = await runAgainst({}, { fuzz: { cases: 200, seed: 11 } });
    expect(notPassed(report)).toEqual([]);
    expect(report.exitCode).toBe(0);
    expect(report.generated).toMatchObject({
      seed: 11,
      positive: 500,
      negative: 500,
      notSent: {},
      stoppedByTime: false,
    });
    expect(report.generated?.sequences).toBeGreaterThan(30);
    // Every rule of the model was exercised, on both creates where it concerns them.
    const applied = report.results
      .filter((r) => r.family === 'generated' && r.check.startsWith('sequence_') && r.status === 'passed')
      .map((r) => `${r.check} ${r.operationId}`);
    expect(applied.sort()).toEqual(
      [
        ...CREATES.map((op) => `sequence_join_once_returns_same_code ${op}`),
        ...CREATES.map((op) => `sequence_source_id_retry_returns_first_publication ${op}`),
        'sequence_created_publications_are_listed listPublications',
        ...CREATES.map((op) => `sequence_code_has_one_holder ${op}`),
      ].sort(),
    );
  });
});

type Expected = { failed: string[]; requests: number; last: RegExp };

const DEFECTS: Array<[name: string, defect: HiddenDefect, expected: Expected]> = [
  [
    'a 500 for one value of one documented enum (voucher_type=LUCKY_DRAW)',
    'server_error_for_one_enum_value',
    {
      failed: ['not_a_server_error listPublications', 'status_code_conformance listPublications'],
      requests: 1,
      last: /^curl -sS -i 'http:\/\/127\.0\.0\.1:\d+\/v1\/publications\?voucher_type=LUCKY_DRAW' /,
    },
  ],
  [
    'a limit above the maximum 100 served instead of refused',
    'accepts_limit_above_maximum',
    {
      failed: ['negative_data_rejection listPublications'],
      requests: 1,
      last: /^curl -sS -i 'http:\/\/127\.0\.0\.1:\d+\/v1\/publications\?limit=101' /,
    },
  ],
  [
    'a list that loses the publications past its first page',
    'list_loses_pages_after_first',
    {
      failed: ['sequence_created_publications_are_listed listPublications'],
      requests: 4,
      last: /\/v1\/publications\?customer=cust_\w+&limit=1&page=2' /,
    },
  ],
  [
    'a source_id retry that stops returning the first publication once the customer got another one in between',
    'retry_forgets_after_other_publication',
    {
      failed: ['sequence_source_id_retry_returns_first_publication createPublication*'],
      requests: 3,
      last: /source_id/,
    },
  ],
  [
    "a customer's second publication given the code another customer holds",
    'second_publication_takes_another_customers_code',
    { failed: ['sequence_code_has_one_holder createPublication*'], requests: 3, last: /\/v1\/publications/ },
  ],
];

describe('a double hiding one defect the fixed checks miss', () => {
  it.each(DEFECTS)('%s: the fixed checks pass', async (_name, defect) => {
    const { report } = await runAgainst({ defect }, {});
    expect(notPassed(report)).toEqual([]);
    expect(report.exitCode).toBe(0);
  });

  it.each(DEFECTS)(
    '%s: --fuzz 200 finds it, shrunk to a minimal case with curl commands and its seed',
    async (_name, defect, expected) => {
      const { report } = await runAgainst({ defect }, { fuzz: { cases: 200, seed: 1 } });
      expect(report.exitCode).toBe(1);
      const failed = report.results.filter((r) => r.status === 'failed');
      // Only the generated family fails, and only where the defect is (either create, for a sequence rule about
      // creates).
      const either = (r: (typeof failed)[number]): string =>
        `${r.check} ` +
        `${
          CREATES.includes(r.operationId) && expected.failed.some((f) => f.endsWith('*'))
            ? 'createPublication*'
            : r.operationId
        }`;
      expect([...new Set(failed.map(either))].sort()).toEqual([...expected.failed].sort());
      expect(failed.every((r) => r.family === 'generated')).toBe(true);
      const reproduction = failed[0]?.failures[0]?.reproduction;
      expect(reproduction).toMatchObject({ seed: 1, replay: '--fuzz 200 --seed 1' });
      expect(reproduction?.requests).toHaveLength(expected.requests);
      expect(reproduction?.requests.at(-1)?.curl).toMatch(expected.last);
      for (const request of reproduction?.requests ?? []) {
        expect(request.curl).toContain('-H "X-App-Id: $VOUCHERIFY_APP_ID" -H "X-App-Token: $VOUCHERIFY_APP_TOKEN"');
        expect(request.curl).not.toContain(credentials.appToken);
      }
    },
  );
});

describe('replay with --seed', () => {
  /** The requests generated, with the run's own names made neutral. */
  const generatedRequests = (report: ContractReport): string[] =>
    report.exchanges
      .filter((e) => e.scenario.startsWith('fuzz'))
      .map(
        (e) =>
          `${e.label} ${e.method} ` +
          `${e.url.replace(/^http:\/\/[^/]+/, '').replaceAll(report.runId, 'RUN')} ` +
          `${JSON.stringify(e.requestBody ?? null).replaceAll(report.runId, 'RUN')}`,
      );

  it('the same seed sends the same requests again; another seed sends others', async () => {
    const options = { checks: 'schema' as const, fuzz: { cases: 30, seed: 424242 } };
    const [first, again, other] = [
      await runAgainst({}, options),
      await runAgainst({}, options),
      await runAgainst({}, { ...options, fuzz: { cases: 30, seed: 7 } }),
    ];
    expect(generatedRequests(again.report)).toEqual(generatedRequests(first.report));
    expect(generatedRequests(first.report)).toHaveLength(150);
    expect(generatedRequests(other.report)).not.toEqual(generatedRequests(first.report));
  });
});

/** A create with credentials that names a customer: it can publish. */
function publishes(request: DoubleRequest): boolean {
  if (!CREATES.includes(request.operationId) || request.headers['x-app-token'] === undefined) return false;
  if (request.operationId === 'createPublicationFromQuery')
    return Boolean(request.query.get('customer[id]') || request.query.get('customer[source_id]'));
  const customer = isRecord(request.body) ? request.body.customer : undefined;
  return isRecord(customer) && Boolean(customer.id || customer.source_id);
}

describe('budgets on a shared target hold for generated requests', () => {
  it(
    '--read-only: no generated request can publish; lists, reads and ' +
      'creates without a customer are still generated',
    async () => {
      const { report, received } = await runAgainst({}, { readOnly: true, fuzz: { cases: 60, seed: 3 } });
      expect(received.filter(publishes)).toEqual([]);
      expect(report.exitCode).toBe(0);
      expect(report.generated).toMatchObject({ sequences: 0, positive: 90, negative: 150 });
      expect(
        report.results.filter(
          (r) =>
            r.family === 'generated' &&
            r.check === 'negative_data_rejection' &&
            CREATES.includes(r.operationId) &&
            r.status === 'passed',
        ),
      ).toHaveLength(2);
    },
  );

  it(
    '--max-publications 30: the fixed checks take 27, the generated cases ' +
      'at most the 3 left; the rest is not sent and said so',
    async () => {
      const { report } = await runAgainst({}, { maxPublications: 30, fuzz: { cases: 60, seed: 3 } });
      expect(report.summary.publicationsCreated).toBeLessThanOrEqual(30);
      expect(report.generated?.notSent['--max-publications']).toBeGreaterThan(0);
      expect(report.exitCode).toBe(0);
    },
  );

  it(
    '--fuzz-time 1 with 100,000 cases per operation: generating stops at ' + 'the deadline, and the run says so',
    async () => {
      const { report } = await runAgainst({}, { checks: 'schema', fuzz: { cases: 100000, seed: 3, timeLimitS: 1 } });
      expect(report.generated?.stoppedByTime).toBe(true);
      expect(report.generated?.positive).toBeLessThan(100000);
      expect(report.exitCode).toBe(0);
    },
  );

  it('a target answering every 9th request with 429: waited out, never judged', async () => {
    const { report, received } = await runAgainst(
      { rateLimitEvery: 9 },
      { checks: 'schema', fuzz: { cases: 20, seed: 3 } },
    );
    expect(notPassed(report)).toEqual([]);
    expect(received.length).toBeGreaterThan(report.exchanges.length);
    expect(report.exchanges.filter((e) => e.status === 429)).toEqual([]);
  });
});
