/**
 * The contract suite, in-process, against test doubles of an implementation:
 * the faithful double passes `--checks all`; each deliberately drifting double
 * is caught, with its path, by exactly the checks that concern its drift.
 */
import { BEHAVIOUR_CHECKS } from './checks/behaviour-checks';
import { CONFORMANCE_CHECKS } from './checks/conformance-checks';
import { isRecord } from './exchange';
import type { ContractReport } from './report';
import { type ContractOptions, runContract } from './runner';
import { type Answer, type DoubleOptions, type Drift, type RunningDouble, startPublicationsDouble } from './test-support/publications-double';

const credentials = { kind: 'pair', appId: 'contract-app', appToken: 'contract-token-5b1f0e' } as const;

async function runAgainst(double: DoubleOptions, options: Partial<ContractOptions> = {}): Promise<{ report: ContractReport; server: RunningDouble }> {
  const server = await startPublicationsDouble(double);
  try {
    return { report: await runContract({ target: server.baseUrl, credentials, ...options }), server };
  } finally {
    await server.close();
  }
}

const failed = (report: ContractReport): string[] =>
  report.results
    .filter((r) => r.status === 'failed')
    .map((r) => `${r.check} ${r.operationId}`)
    .sort();

/** A drift applied to the voucher of every single-voucher answer. */
function onVoucher(change: (voucher: Record<string, unknown>) => void): Drift {
  return (answer: Answer) => {
    if (isRecord(answer.body) && isRecord(answer.body.voucher) && 'holder_id' in answer.body.voucher) change(answer.body.voucher);
    return answer;
  };
}

/** A drift applied to every single-voucher create answer as a whole. */
function onCreated(change: (publication: Record<string, unknown>) => void): Drift {
  return (answer: Answer) => {
    if (isRecord(answer.body) && isRecord(answer.body.voucher) && 'holder_id' in answer.body.voucher) change(answer.body);
    return answer;
  };
}

function onStatus(from: number, to: number, change: (body: Record<string, unknown>) => void = () => undefined): Drift {
  return (answer: Answer) => {
    if (answer.status !== from || !isRecord(answer.body)) return answer;
    change(answer.body);
    return { ...answer, status: to };
  };
}

const BOTH_CREATES = ['createPublicationFromQuery', 'createPublication'] as const;

type Expected = Array<[check: string, operationId: string, at: string]>;

const drifts: Array<[name: string, double: DoubleOptions, expected: Expected]> = [
  [
    'an unknown field in the voucher → violation at /voucher/extra',
    { drift: onVoucher((v) => void (v.extra = 'surprise')) },
    BOTH_CREATES.map((op) => ['response_schema_conformance', op, '/voucher/extra']),
  ],
  [
    'a number turned into a string → violation at /voucher/discount/amount_off',
    {
      drift: onVoucher((v) => {
        if (isRecord(v.discount)) v.discount.amount_off = String(v.discount.amount_off);
      }),
    },
    BOTH_CREATES.map((op) => ['response_schema_conformance', op, '/voucher/discount/amount_off']),
  ],
  [
    'a missing required field → violation at /source_id',
    { drift: onCreated((p) => void delete p.source_id) },
    BOTH_CREATES.map((op) => ['response_schema_conformance', op, '/source_id']),
  ],
  [
    'an enum value the spec does not list → violation at /voucher/type',
    { drift: onVoucher((v) => void (v.type = 'PREPAID_VOUCHER')) },
    BOTH_CREATES.map((op) => ['response_schema_conformance', op, '/voucher/type']),
  ],
  [
    'a malformed date-time → violation at /created_at',
    {
      drift: (answer) => {
        if (isRecord(answer.body) && answer.body.object === 'publication') answer.body.created_at = '2022-09-30 16:30:32';
        return answer;
      },
    },
    BOTH_CREATES.map((op) => ['response_schema_conformance', op, '/created_at']),
  ],
  [
    'a renamed error key (page_over_limit → page_limit_exceeded) → violation at /key',
    {
      drift: (answer) => {
        if (isRecord(answer.body) && answer.body.key === 'page_over_limit') answer.body.key = 'page_limit_exceeded';
        return answer;
      },
    },
    [
      ['error_schema_conformance', 'listPublications', '/key'],
      ['page_over_1000_gives_page_over_limit', 'listPublications', '/key'],
    ],
  ],
  [
    'a 404 turned into a 400 → the status, and a key the 400 does not document',
    { drift: onStatus(404, 400, (body) => void (body.code = 400)) },
    [
      ...BOTH_CREATES.map((op): Expected[number] => ['error_schema_conformance', op, '/key']),
      ...BOTH_CREATES.map((op): Expected[number] => ['unknown_campaign_gives_not_found', op, 'status']),
      ...BOTH_CREATES.map((op): Expected[number] => ['unknown_customer_id_gives_not_found', op, 'status']),
    ],
  ],
  [
    'join_once handing out a new code each time → violation at /voucher/code',
    { joinOnceHandsOutNewCodes: true },
    BOTH_CREATES.map((op) => ['join_once_returns_same_code', op, '/voucher/code']),
  ],
  [
    'a 400 turned into an undocumented 500 → the status',
    { drift: onStatus(400, 500, (body) => void (body.code = 500)) },
    [
      ...(['createPublicationFromQuery', 'listPublications', 'createPublication'] as const).map((op): Expected[number] => ['status_code_conformance', op, 'status']),
      ['count_above_one_gives_too_many_vouchers_requested', 'createPublicationFromQuery', 'status'],
      ...BOTH_CREATES.map((op): Expected[number] => ['missing_customer_gives_documented_error', op, 'status']),
      ...BOTH_CREATES.map((op): Expected[number] => ['missing_voucher_and_campaign_gives_missing_vouchers', op, 'status']),
      ...BOTH_CREATES.map((op): Expected[number] => ['source_id_reuse_gives_duplicate_source_id', op, 'status']),
      ...BOTH_CREATES.map((op): Expected[number] => ['already_published_code_gives_voucher_already_published', op, 'status']),
      ['page_over_1000_gives_page_over_limit', 'listPublications', 'status'],
    ],
  ],
  [
    'JSON served as text/plain → violation at header Content-Type',
    { drift: (answer) => ({ ...answer, headers: { 'Content-Type': 'text/plain' } }) },
    (['createPublicationFromQuery', 'listPublications', 'createPublication'] as const).map((op) => ['content_type_conformance', op, 'Content-Type']),
  ],
];

describe('the contract suite against a faithful double', () => {
  it('--checks all: every check passes, exit 0, in well under 10 s', async () => {
    const started = Date.now();
    const { report } = await runAgainst({});
    expect(failed(report)).toEqual([]);
    expect(report.results.filter((r) => r.status !== 'passed')).toEqual([]);
    expect(report.exitCode).toBe(0);
    expect(report.reason).toMatch(/^all \d+ checks passed/);
    expect(new Set(report.results.map((r) => r.check))).toEqual(new Set([...CONFORMANCE_CHECKS, ...BEHAVIOUR_CHECKS].map((c) => c.name)));
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('--checks schema: conformance checks only, exit 0', async () => {
    const { report } = await runAgainst({}, { checks: 'schema' });
    expect(report.exitCode).toBe(0);
    expect(report.results.every((r) => r.family === 'conformance')).toBe(true);
    expect(report.results).toHaveLength(CONFORMANCE_CHECKS.length * 3);
  });
});

describe('each drift is reported, with its path, by exactly the checks it concerns, exit 1', () => {
  it.each(drifts)('%s', async (_name, double, expected) => {
    const { report } = await runAgainst(double);
    expect(report.exitCode).toBe(1);
    expect(report.outcome).toBe('failed');
    expect(failed(report)).toEqual([...new Set(expected.map(([check, op]) => `${check} ${op}`))].sort());
    for (const [check, operationId, at] of expected) {
      const result = report.results.find((r) => r.check === check && r.operationId === operationId);
      const located = result?.failures.some((f) => (at === 'status' ? f.where === 'status' : f.pointer === at)) ?? false;
      expect({ check, operationId, at, located }).toEqual({ check, operationId, at, located: true });
      for (const failure of result?.failures ?? []) {
        expect(failure.method).toMatch(/^(GET|POST)$/);
        expect(failure.path).toMatch(/^\/v1\/publications/);
      }
    }
    expect(report.reason).toMatch(/^contract violation: .* at .+?: Received .* \/ Documented /);
  });
});

describe('run options', () => {
  it('--allow-unknown-fields accepts an unknown field, and still refuses a missing required one', async () => {
    const unknown = await runAgainst({ drift: onVoucher((v) => void (v.extra = 1)) }, { allowUnknownFields: true });
    expect(unknown.report.exitCode).toBe(0);
    const missing = await runAgainst({ drift: onCreated((p) => void delete p.source_id) }, { allowUnknownFields: true });
    expect(failed(missing.report)).toEqual(BOTH_CREATES.map((op) => `response_schema_conformance ${op}`).sort());
  });

  it('--read-only sends nothing that can change the target, and reports the rest as skipped', async () => {
    const { report, server } = await runAgainst({}, { readOnly: true });
    expect(report.exitCode).toBe(0);
    // Only lists, requests without credentials, and requests without a customer (nothing to publish to or record).
    const changesNothing = (request: RunningDouble['received'][number]): boolean =>
      request.operationId === 'listPublications' ||
      request.headers['x-app-token'] === undefined ||
      (![...request.query.keys()].some((key) => key.startsWith('customer[')) && !(isRecord(request.body) && 'customer' in request.body));
    expect(server.received.length).toBeGreaterThan(0);
    expect(server.received.filter((request) => !changesNothing(request))).toEqual([]);
    expect(report.results.find((r) => r.check === 'join_once_returns_same_code')?.status).toBe('skipped');
    expect(report.results.find((r) => r.check === 'page_over_1000_gives_page_over_limit')?.status).toBe('passed');
    expect(report.summary.publicationsCreated).toBe(0);
  });

  it.each([0, 5, 12])('--max-publications %i caps the publications one run may create', async (max) => {
    const { report } = await runAgainst({}, { maxPublications: max });
    expect(report.exitCode).toBe(0);
    expect(report.summary.publicationsBudgeted).toBeLessThanOrEqual(max);
    expect(report.summary.publicationsCreated).toBeLessThanOrEqual(max);
    expect(report.results.some((r) => r.status === 'skipped')).toBe(true);
  });

  it('target data from options: an unknown campaign makes the checks that publish from it fail', async () => {
    const { report } = await runAgainst({}, { data: { campaign: 'No Such Campaign' } });
    expect(report.exitCode).toBe(1);
    const joinOnce = report.results.find((r) => r.check === 'join_once_returns_same_code' && r.operationId === 'createPublication');
    expect(joinOnce?.failures[0]).toMatchObject({ where: 'status', received: '404 (key "not_found")' });
  });

  it.each([
    ['a target that is not a URL', { target: 'not a url' }, /not a URL/],
    ['a target that is not http(s)', { target: 'localhost:4010' }, /must be an http\(s\) URL/],
    ['a target with credentials in it', { target: 'http://user:pw-in-url-91c@127.0.0.1:1' }, /must not carry credentials/],
    ['a negative --max-publications', { target: 'http://127.0.0.1:1', maxPublications: -1 }, /max publications/],
  ])('%s → could not run, exit 2', async (_name, options, reason) => {
    const report = await runContract({ credentials, ...options });
    expect(report.exitCode).toBe(2);
    expect(report.reason).toMatch(reason);
    expect(JSON.stringify(report)).not.toContain('pw-in-url-91c');
  });

  it('credentials the target refuses → could not run, exit 2', async () => {
    const { report } = await runAgainst({ drift: (answer, request) => (request.headers['x-app-token'] ? { status: 401, body: { code: 401, key: 'unauthorized', message: 'Unauthorized' } } : answer) });
    expect(report.exitCode).toBe(2);
    expect(report.reason).toMatch(/refused the credentials/);
  });
});
