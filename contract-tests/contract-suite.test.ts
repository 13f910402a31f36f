/**
 * The contract suite, in-process, against test doubles of an implementation:
 * the faithful double passes `--checks all`; each deliberately drifting double
 * is caught, with its path, by exactly the checks that concern its drift; and
 * each configuration mistake (refused credentials, a key pair that is not an
 * integration pair, a campaign, voucher or customer the target lacks) could not
 * run: exit 2, one line naming it, no check result.
 */
import { BEHAVIOUR_CHECKS } from './checks/behaviour-checks';
import { CONFORMANCE_CHECKS } from './checks/conformance-checks';
import { isRecord } from './exchange';
import type { ContractReport } from './report';
import { buildPreflight } from './preflight';
import { DEFAULT_TARGET_DATA } from './target-data';
import { type ContractOptions, runContract } from './runner';
import {
  type Answer,
  type DoubleOptions,
  type DoubleRequest,
  type Drift,
  type RunningDouble,
  startPublicationsDouble,
} from './test-support/publications-double';

const credentials = { kind: 'pair', appId: 'contract-app', appToken: 'contract-token-5b1f0e' } as const;

async function runAgainst(
  double: DoubleOptions,
  options: Partial<ContractOptions> = {},
): Promise<{ report: ContractReport; server: RunningDouble }> {
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
    if (isRecord(answer.body) && isRecord(answer.body.voucher) && 'holder_id' in answer.body.voucher)
      change(answer.body.voucher);
    return answer;
  };
}

/** A drift applied to every single-voucher create answer as a whole. */
function onCreated(change: (publication: Record<string, unknown>) => void): Drift {
  return (answer: Answer) => {
    if (isRecord(answer.body) && isRecord(answer.body.voucher) && 'holder_id' in answer.body.voucher)
      change(answer.body);
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
/** Every operation the suite sends requests to. */
const SUITE_OPERATIONS = [
  'createPublicationFromQuery',
  'listPublications',
  'createPublication',
  'getVoucher',
  'getCustomer',
] as const;

const isCreate = (request: DoubleRequest): boolean => (BOTH_CREATES as readonly string[]).includes(request.operationId);
const isJoinOnce = (request: DoubleRequest): boolean => isCreate(request) && request.query.get('join_once') === 'true';
const sourceIdOf = (request: DoubleRequest): string | undefined =>
  request.query.get('source_id') ??
  (isRecord(request.body) && typeof request.body.source_id === 'string' ? request.body.source_id : undefined);

/**
 * A drift on the successful answers to join_once creates: `change` sees the operation's first such answer and each
 * later one.
 */
function onJoinOnceAfterFirst(change: (first: Record<string, unknown>, later: Record<string, unknown>) => void): Drift {
  const firsts = new Map<string, Record<string, unknown>>();
  return (answer, request) => {
    if (answer.status !== 200 || !isJoinOnce(request) || !isRecord(answer.body)) return answer;
    const first = firsts.get(request.operationId);
    if (!first) firsts.set(request.operationId, structuredClone(answer.body));
    else if (first.customer_id !== answer.body.customer_id) change(first, answer.body);
    return answer;
  };
}

/** A drift on the successful answers to a read (`getVoucher`, `getCustomer`) whose path parameter passes `applies`. */
function onRead(
  operationId: string,
  applies: (key: string) => boolean,
  change: (body: Record<string, unknown>) => void,
): Drift {
  return (answer, request) => {
    const key = Object.values(request.params)[0] ?? '';
    if (answer.status === 200 && request.operationId === operationId && applies(key) && isRecord(answer.body))
      change(answer.body);
    return answer;
  };
}

/** A drift on the successful answers to list requests, each publication in them. */
function onListed(
  applies: (request: DoubleRequest) => boolean,
  change: (body: Record<string, unknown>) => void,
): Drift {
  return (answer, request) => {
    if (
      answer.status === 200 &&
      request.operationId === 'listPublications' &&
      applies(request) &&
      isRecord(answer.body)
    )
      change(answer.body);
    return answer;
  };
}

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
    'a missing required field → violation at /channel',
    { drift: onCreated((p) => void delete p.channel) },
    BOTH_CREATES.map((op) => ['response_schema_conformance', op, '/channel']),
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
        if (isRecord(answer.body) && answer.body.object === 'publication')
          answer.body.created_at = '2022-09-30 16:30:32';
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
      // A read documents no 400 at all.
      ['status_code_conformance', 'getVoucher', 'status'],
      ['status_code_conformance', 'getCustomer', 'status'],
      ['unknown_voucher_gives_not_found', 'getVoucher', 'status'],
      ['unknown_customer_id_gives_not_found', 'getCustomer', 'status'],
    ],
  ],
  [
    'join_once handing out a new code each time → violation at /voucher/code',
    { joinOnceHandsOutNewCodes: true },
    BOTH_CREATES.map((op) => ['join_once_returns_same_code', op, '/voucher/code']),
  ],
  [
    "a tracking_id other than the new customer's source_id → violation at /tracking_id",
    {
      drift: (answer, request) => {
        if (answer.status === 200 && isCreate(request) && isRecord(answer.body) && 'tracking_id' in answer.body)
          answer.body.tracking_id = 'someone-else';
        return answer;
      },
    },
    BOTH_CREATES.map((op) => ['created_customer_has_requested_source_id', op, '/tracking_id']),
  ],
  [
    'the source_id left out of create answers → violation at /source_id, by every source_id rule that builds on it',
    {
      drift: (answer, request) => {
        if (answer.status === 200 && isCreate(request) && isRecord(answer.body)) answer.body.source_id = null;
        return answer;
      },
    },
    [
      'created_publication_has_requested_source_id',
      'source_id_retry_returns_first_code',
      'source_id_retry_returns_first_publication',
      'created_publication_is_listed',
      'created_publication_is_listed_for_customer',
    ].flatMap((check) => BOTH_CREATES.map((op): Expected[number] => [check, op, '/source_id'])),
  ],
  [
    "join_once handing the first customer's code to another customer → violation at /voucher/code",
    {
      drift: onJoinOnceAfterFirst((first, later) => {
        if (isRecord(first.voucher) && isRecord(later.voucher)) later.voucher.code = first.voucher.code;
      }),
    },
    BOTH_CREATES.map((op) => ['join_once_gives_each_customer_own_code', op, '/voucher/code']),
  ],
  [
    "join_once answering another customer with the first customer's publication id → violation at /id",
    { drift: onJoinOnceAfterFirst((first, later) => void (later.id = first.id)) },
    BOTH_CREATES.map((op) => ['join_once_gives_each_customer_own_publication', op, '/id']),
  ],
  [
    'a source_id retry answered with a new publication id → violation at /id',
    {
      drift: (() => {
        const seen = new Set<string>();
        return (answer: Answer, request: DoubleRequest): Answer => {
          const sourceId = sourceIdOf(request);
          if (answer.status !== 200 || !isCreate(request) || sourceId === undefined || !isRecord(answer.body))
            return answer;
          if (seen.has(sourceId)) answer.body.id = 'pub_aNewIdForEveryRetryXXXXXXXXXXXX';
          seen.add(sourceId);
          return answer;
        };
      })(),
    },
    BOTH_CREATES.map((op) => ['source_id_retry_returns_first_publication', op, '/id']),
  ],
  [
    'a listed publication carrying another code than the create answered → violation at /publications/0/voucher/code',
    {
      drift: onListed(
        () => true,
        (body) => {
          for (const item of Array.isArray(body.publications) ? body.publications : [])
            if (isRecord(item) && isRecord(item.voucher)) item.voucher.code = 'NOTTHECODE';
        },
      ),
    },
    ['created_publication_is_listed', 'created_publication_is_listed_for_customer'].flatMap((check) =>
      BOTH_CREATES.map((op): Expected[number] => [check, op, '/publications/0/voucher/code']),
    ),
  ],
  [
    'the customer filter of the list answering nothing → violation at /publications',
    {
      drift: onListed(
        (request) => request.query.has('customer'),
        (body) => {
          body.publications = [];
          body.total = 0;
        },
      ),
    },
    BOTH_CREATES.map((op) => ['created_publication_is_listed_for_customer', op, '/publications']),
  ],
  [
    'a voucher read answering another holder than the customer it was published to → violation at /holder_id',
    {
      drift: onRead(
        'getVoucher',
        () => true,
        (voucher) => void (voucher.holder_id = 'cust_SomeoneElseEntirely0000'),
      ),
    },
    [['published_code_is_held_by_customer', 'getVoucher', '/holder_id']],
  ],
  [
    'a customer read by source_id answering another customer → violation at /id',
    {
      drift: onRead(
        'getCustomer',
        (key) => key.startsWith('contract-'),
        (customer) => void (customer.id = 'cust_SomeoneElseEntirely0000'),
      ),
    },
    [['created_customer_is_found_by_source_id', 'getCustomer', '/id']],
  ],
  [
    'a customer read by id answering another source_id → violation at /source_id',
    {
      drift: onRead(
        'getCustomer',
        (key) => key.startsWith('cust_'),
        (customer) => void (customer.source_id = 'someone-else'),
      ),
    },
    [['created_customer_is_found_by_id', 'getCustomer', '/source_id']],
  ],
  [
    'a 400 turned into an undocumented 500 → the status',
    { drift: onStatus(400, 500, (body) => void (body.code = 500)) },
    [
      ...(['createPublicationFromQuery', 'listPublications', 'createPublication'] as const).map(
        (op): Expected[number] => ['status_code_conformance', op, 'status'],
      ),
      ['count_above_one_gives_too_many_vouchers_requested', 'createPublicationFromQuery', 'status'],
      ...BOTH_CREATES.map((op): Expected[number] => ['missing_customer_gives_documented_error', op, 'status']),
      ...BOTH_CREATES.map((op): Expected[number] => [
        'missing_voucher_and_campaign_gives_missing_vouchers',
        op,
        'status',
      ]),
      ...BOTH_CREATES.map((op): Expected[number] => ['source_id_reuse_gives_duplicate_source_id', op, 'status']),
      ...BOTH_CREATES.map((op): Expected[number] => [
        'already_published_code_gives_voucher_already_published',
        op,
        'status',
      ]),
      ['page_over_1000_gives_page_over_limit', 'listPublications', 'status'],
    ],
  ],
  [
    'JSON served as text/plain → violation at header Content-Type',
    { drift: (answer) => ({ ...answer, headers: { 'Content-Type': 'text/plain' } }) },
    SUITE_OPERATIONS.map((op) => ['content_type_conformance', op, 'Content-Type']),
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
    // The suite's own made-up campaign, customer and voucher got their 404s: judged by the checks, not taken for a
    // configuration mistake.
    expect(
      report.exchanges
        .filter((e) => e.status === 404)
        .map((e) => e.scenario)
        .sort(),
    ).toEqual([
      'unknown_campaign',
      'unknown_campaign_query',
      'unknown_customer',
      'unknown_customer_query',
      'unknown_customer_read',
      'unknown_voucher_read',
    ]);
    expect(new Set(report.results.map((r) => r.check))).toEqual(
      new Set([...CONFORMANCE_CHECKS, ...BEHAVIOUR_CHECKS].map((c) => c.name)),
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('--checks schema: conformance checks only, exit 0', async () => {
    const { report } = await runAgainst({}, { checks: 'schema' });
    expect(report.exitCode).toBe(0);
    expect(report.results.every((r) => r.family === 'conformance')).toBe(true);
    expect(report.results).toHaveLength(CONFORMANCE_CHECKS.length * SUITE_OPERATIONS.length);
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
      const located =
        result?.failures.some((f) => (at === 'status' ? f.where === 'status' : f.pointer === at)) ?? false;
      expect({ check, operationId, at, located }).toEqual({ check, operationId, at, located: true });
      for (const failure of result?.failures ?? []) {
        expect(failure.method).toMatch(/^(GET|POST)$/);
        expect(failure.path).toMatch(/^\/v1\/(publications|vouchers|customers)/);
      }
    }
    expect(report.reason).toMatch(/^contract violation: .* at .+?: Received .* \/ Documented /);
  });
});

describe('run options', () => {
  it('--allow-unknown-fields accepts an unknown field, and still refuses a missing required one', async () => {
    const unknown = await runAgainst({ drift: onVoucher((v) => void (v.extra = 1)) }, { allowUnknownFields: true });
    expect(unknown.report.exitCode).toBe(0);
    // channel: required, and read by no behaviour check (a missing source_id is also a broken source_id rule).
    const missing = await runAgainst({ drift: onCreated((p) => void delete p.channel) }, { allowUnknownFields: true });
    expect(failed(missing.report)).toEqual(BOTH_CREATES.map((op) => `response_schema_conformance ${op}`).sort());
  });

  it('--read-only sends nothing that can change the target, and reports the rest as skipped', async () => {
    const { report, server } = await runAgainst({}, { readOnly: true });
    expect(report.exitCode).toBe(0);
    // Only lists, requests without credentials, and requests without a customer (nothing to publish to or record).
    const changesNothing = (request: RunningDouble['received'][number]): boolean =>
      request.operationId === 'listPublications' ||
      request.headers['x-app-token'] === undefined ||
      (![...request.query.keys()].some((key) => key.startsWith('customer[')) &&
        !(isRecord(request.body) && 'customer' in request.body));
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

  it.each([
    ['a target that is not a URL', { target: 'not a url' }, /not a URL/],
    ['a target that is not http(s)', { target: 'localhost:4010' }, /must be an http\(s\) URL/],
    [
      'a target with credentials in it',
      { target: 'http://user:pw-in-url-91c@127.0.0.1:1' },
      /must not carry credentials/,
    ],
    ['a negative --max-publications', { target: 'http://127.0.0.1:1', maxPublications: -1 }, /max publications/],
  ])('%s → could not run, exit 2', async (_name, options, reason) => {
    const report = await runContract({ credentials, ...options });
    expect(report.exitCode).toBe(2);
    expect(report.reason).toMatch(reason);
    expect(JSON.stringify(report)).not.toContain('pw-in-url-91c');
  });
});

/** Answers every request of one operation with an error, as a target refusing the credentials there does. */
function refuseOperation(operationId: string, status: number, key: string): Drift {
  return (answer, request) =>
    request.operationId === operationId
      ? { status, body: { code: status, key, message: key === 'unauthorized' ? 'Unauthorized' : 'Forbidden' } }
      : answer;
}

const refuseAll =
  (status: number, key: string): Drift =>
  (answer, request) =>
    request.headers['x-app-token'] || request.headers.authorization
      ? { status, body: { code: status, key, message: 'Unauthorized' } }
      : answer;

describe('a configuration mistake → could not run, exit 2, one line naming the setting; never a violation', () => {
  it.each<[name: string, double: DoubleOptions, options: Partial<ContractOptions>, reason: RegExp]>([
    [
      'credentials the target refuses (401 on every operation)',
      { drift: refuseAll(401, 'unauthorized') },
      {},
      /^could not run: the target refused the credentials: GET \/v1\/publications answered 401 \(unauthorized\); check VOUCHERIFY_APP_ID and VOUCHERIFY_APP_TOKEN$/,
    ],
    [
      'a key pair refused by one operation only (401 on POST)',
      { drift: refuseOperation('createPublication', 401, 'unauthorized') },
      {},
      /^could not run: the target refused the credentials: POST \/v1\/publications answered 401 \(unauthorized\); check VOUCHERIFY_APP_ID and VOUCHERIFY_APP_TOKEN$/,
    ],
    [
      'a bearer token the target refuses',
      { drift: refuseAll(401, 'unauthorized') },
      { credentials: { kind: 'bearer', token: 'bearer-refused-7d1e' } },
      /; check VOUCHERIFY_BEARER$/,
    ],
    [
      'a key pair that is not an integration key pair (403 on GET …/create)',
      { drift: refuseOperation('createPublicationFromQuery', 403, 'integration_api_key_required') },
      {},
      /^could not run: the key pair in VOUCHERIFY_APP_ID and VOUCHERIFY_APP_TOKEN is not an integration key pair: GET \/v1\/publications\/create answered 403 integration_api_key_required\. Set up an integration key pair in the Voucherify dashboard \(Project Settings → General → Integration Keys\)/,
    ],
    [
      'a campaign the target does not have',
      {},
      { data: { campaign: 'No Such Campaign' } },
      /^could not run: --campaign No Such Campaign: the target has no such campaign \(404 not_found, GET \/v1\/publications\/create\)$/,
    ],
    [
      'a campaign the target does not have, from a --config file',
      {},
      { data: { campaign: 'No Such Campaign' }, dataFiles: { campaign: 'staging.yaml' } },
      /^could not run: campaign No Such Campaign \(from --config staging\.yaml\): the target has no such campaign/,
    ],
    [
      'a customer id the target does not have',
      {},
      { data: { customerId: 'cust_NoSuchCustomerConfigured' } },
      /^could not run: --customer-id cust_NoSuchCustomerConfigured: the target has no such customer \(404 not_found, /,
    ],
    [
      'a voucher the target does not have',
      {},
      { data: { voucher: 'NOSUCHCONFIGUREDCODE' } },
      /^could not run: --voucher NOSUCHCONFIGUREDCODE: the target has no such voucher \(404 not_found, /,
    ],
    [
      "the default campaign (the mock's) on a target that lacks it",
      { data: { ...DEFAULT_TARGET_DATA, campaign: 'Another Campaign' } },
      {},
      /^could not run: --campaign Test - Discount Effect - Amount - Items \(not set, so the mock's default\): the target has no such campaign .*; set --campaign or campaign in --config$/,
    ],
  ])('%s', async (_name, double, options, reason) => {
    const { report, server } = await runAgainst(double, options);
    expect(report.reason).toMatch(reason);
    expect(report.reason).not.toContain('\n');
    expect(report).toMatchObject({ exitCode: 2, outcome: 'could_not_run', results: [] });
    // Stopped before the checks: the preflight, and at most the first scenario that publishes (one request).
    expect(server.received.length).toBeLessThanOrEqual(buildPreflight(DEFAULT_TARGET_DATA).length + 1);
  });

  it(
    'the preflight: one request per operation the suite calls, none able ' + 'to publish, before anything else',
    async () => {
      // A target that refuses the key pair on POST only: the run stops after the preflight.
      const { report, server } = await runAgainst({ drift: refuseOperation('createPublication', 401, 'unauthorized') });
      expect(report.exitCode).toBe(2);
      expect(server.received.map((r) => r.operationId)).toEqual([
        'listPublications',
        'createPublicationFromQuery',
        'createPublication',
        'getVoucher',
        'getCustomer',
      ]);
      expect(new Set(server.received.map((r) => r.operationId))).toEqual(new Set(SUITE_OPERATIONS));
      const namesCustomer = (r: DoubleRequest): boolean =>
        [...r.query.keys()].some((key) => key.startsWith('customer')) || (isRecord(r.body) && 'customer' in r.body);
      expect(server.received.filter(namesCustomer)).toEqual([]);
      expect(report.exchanges.every((e) => e.scenario === 'preflight')).toBe(true);
    },
  );

  it('two configured values the target lacks are both named, in one line', async () => {
    const { report } = await runAgainst(
      {},
      { data: { customerId: 'cust_NoSuchCustomerConfigured', voucher: 'NOSUCHCONFIGUREDCODE' } },
    );
    expect(report.exitCode).toBe(2);
    expect(report.reason).toMatch(
      /--voucher NOSUCHCONFIGUREDCODE: the target has no such voucher .*; --customer-id cust_NoSuchCustomerConfigured: the target has no such customer /,
    );
  });
});
