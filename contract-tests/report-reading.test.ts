/**
 * Reading a contract report: violations grouped by pointer pattern with a
 * count (one unknown field in many list items is one line,
 * `/publications/*\/internal_flag ×N`), the exit line's "first:" is the first
 * violation printed, `--fail-on-skip` makes skipped checks fail the run, and
 * skip reasons say why in words that add up.
 */
import { type CliIo, main } from './cli';
import { isRecord } from './exchange';
import type { ContractReport } from './report';
import { formatConsoleReport } from './reporters/console-reporter';
import { buildJunitReport } from './reporters/junit-reporter';
import { pointerPattern } from './reporters/group-failures';
import { type ContractOptions, runContract } from './runner';
import { type Drift, type DoubleOptions, startPublicationsDouble } from './test-support/publications-double';

const credentials = { kind: 'pair', appId: 'report-app', appToken: 'report-token-77d2' } as const;
const LIST_COPIES = 17;

async function runAgainst(double: DoubleOptions, options: Partial<ContractOptions> = {}): Promise<ContractReport> {
  const server = await startPublicationsDouble(double);
  try {
    return await runContract({ target: server.baseUrl, credentials, ...options });
  } finally {
    await server.close();
  }
}

/**
 * Every non-empty page of publications becomes 17 copies of its first item, each with a field the spec does not
 * document.
 */
const listsWithUnknownField: Drift = (answer, request) => {
  if (
    request.operationId !== 'listPublications' ||
    answer.status !== 200 ||
    !isRecord(answer.body) ||
    !Array.isArray(answer.body.publications)
  )
    return answer;
  const [first] = answer.body.publications as unknown[];
  if (!isRecord(first)) return answer;
  answer.body.publications = Array.from({ length: LIST_COPIES }, () => ({ ...first, internal_flag: true }));
  return answer;
};

/** The created voucher gets a field the spec does not document. */
const createsWithUnknownField: Drift = (answer) => {
  if (isRecord(answer.body) && isRecord(answer.body.voucher) && 'holder_id' in answer.body.voucher)
    answer.body.voucher.internal_note = 'x';
  return answer;
};

const both: Drift = (answer, request) => createsWithUnknownField(listsWithUnknownField(answer, request), request);

describe('violations grouped by pointer pattern', () => {
  it.each([
    ['/publications/3/internal_flag', '/publications/*/internal_flag'],
    ['/publications/12/voucher/categories/0/id', '/publications/*/voucher/categories/*/id'],
    ['/voucher/code', '/voucher/code'],
    ['', ''],
  ])('%s → %s', (pointer, pattern) => {
    expect(pointerPattern(pointer)).toBe(pattern);
  });

  it('one unknown field in every item of a list is printed once, with its pattern and how many places', async () => {
    const report = await runAgainst({ drift: listsWithUnknownField });
    expect(report.exitCode).toBe(1);
    const result = report.results.find(
      (r) => r.check === 'response_schema_conformance' && r.operationId === 'listPublications',
    )!;
    const places = result.failures.filter((f) => /^\/publications\/\d+\/internal_flag$/.test(f.pointer));
    const answers = new Set(places.map((f) => f.exchangeId)).size;
    expect(places.length).toBe(LIST_COPIES * answers);
    const text = formatConsoleReport(report);
    const lines = text.split('\n').filter((line) => line.startsWith(' ') && line.includes('internal_flag'));
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^ +at /publications/\\*/internal_flag ×${places.length}: Received `)),
    ]);
    expect(text).not.toMatch(/… and \d+ more/);
    if (answers > 1) expect(text).toMatch(new RegExp(`GET /v1/publications.* \\(in ${answers} answers\\)`));
    // JUnit's message is the same group.
    expect(buildJunitReport(report)).toContain(`/publications/*/internal_flag ×${places.length}`);
  });
});

describe('the exit line names the first violation printed', () => {
  it.each<[string, Drift]>([
    ['unknown fields in lists and in created vouchers', both],
    ['unknown fields in lists only', listsWithUnknownField],
    ['unknown fields in created vouchers only', createsWithUnknownField],
  ])('%s', async (_name, drift) => {
    const report = await runAgainst({ drift });
    const lines = formatConsoleReport(report).trimEnd().split('\n');
    const firstFail = lines.findIndex((line) => line.startsWith('FAIL '));
    const check = lines[firstFail]!.split(/\s+/)[1]!;
    const request = lines[firstFail + 1]!.trim().split(' → ')[0]!;
    const at = lines[firstFail + 2]!.trim();
    expect(lines[lines.length - 1]).toBe(`exit 1: ${report.reason}`);
    expect(report.reason).toContain(`; first: ${check}: ${request} ${at}`);
  });
});

describe('--fail-on-skip', () => {
  it.each<[string, DoubleOptions, Partial<ContractOptions>, 0 | 1 | 2, RegExp]>([
    [
      'skips without the flag: still exit 0, the skips counted',
      {},
      { readOnly: true },
      0,
      /^all \d+ checks passed, \d+ skipped against /,
    ],
    [
      '--read-only --fail-on-skip: exit 2, naming the first skipped check and why',
      {},
      { readOnly: true, failOnSkip: true },
      2,
      /^could not run every check: \d+ of \d+ checks were skipped and --fail-on-skip was given; first: \w+ (GET|POST) \/\S+: \w+: it changes data on the target \(--read-only\)$/,
    ],
    [
      '--max-publications 3 --fail-on-skip: exit 2',
      {},
      { maxPublications: 3, failOnSkip: true },
      2,
      /checks were skipped and --fail-on-skip was given; first: .*--max-publications 3/,
    ],
    ['nothing skipped, --fail-on-skip: exit 0', {}, { failOnSkip: true }, 0, /^all \d+ checks passed against /],
    [
      'a violation and skips, --fail-on-skip: the violation wins, exit 1',
      { drift: createsWithUnknownField },
      { maxPublications: 3, failOnSkip: true },
      1,
      /^contract violation: /,
    ],
  ])('%s', async (_name, double, options, exitCode, reason) => {
    const report = await runAgainst(double, options);
    expect(report.exitCode).toBe(exitCode);
    expect(report.reason).toMatch(reason);
  });

  it('the command takes it: --read-only --fail-on-skip → exit 2 and the reason on stderr', async () => {
    const server = await startPublicationsDouble({});
    try {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), color: false };
      const code = await main(
        ['--target', server.baseUrl, '--read-only', '--fail-on-skip'],
        { VOUCHERIFY_APP_ID: 'a', VOUCHERIFY_APP_TOKEN: 'b' },
        io,
      );
      expect(code).toBe(2);
      expect(err.join('')).toMatch(
        /^publications-contract: could not run every check: \d+ of \d+ checks were skipped and --fail-on-skip was given/,
      );
      expect(out.join('').trimEnd().split('\n').pop()).toMatch(/^exit 2: could not run every check/);
    } finally {
      await server.close();
    }
  });
});

describe('skip reasons read right', () => {
  const BUDGET =
    /^it needs (\d+) publications? and the scenarios before it used (\d+) of --max-publications (\d+), leaving (\d+)$/;
  const ALONE = /^it needs (\d+) publications?, more than --max-publications (\d+) allows$/;

  it.each([0, 1, 5, 12])(
    '--max-publications %i: each skipped scenario says what it needs and what was left, and the numbers add up',
    async (max) => {
      const report = await runAgainst({}, { maxPublications: max });
      expect(report.skippedScenarios.length).toBeGreaterThan(0);
      for (const { reason } of report.skippedScenarios) {
        const budget = BUDGET.exec(reason);
        const alone = ALONE.exec(reason);
        expect([reason, budget !== null || alone !== null]).toEqual([reason, true]);
        if (budget) {
          const [needs, used, limit, left] = budget.slice(1).map(Number) as [number, number, number, number];
          expect({ reason, limit, sum: used + left, fits: needs <= left, fitsAlone: needs <= limit }).toEqual({
            reason,
            limit: max,
            sum: max,
            fits: false,
            fitsAlone: true,
          });
        }
        if (alone) expect(Number(alone[1])).toBeGreaterThan(max);
      }
      // The console groups them under the same words.
      expect(formatConsoleReport(report)).toMatch(/not sent — it needs \d+ publications?/);
    },
  );

  it('--read-only: every skipped scenario says it changes data on the target', async () => {
    const report = await runAgainst({}, { readOnly: true });
    expect(new Set(report.skippedScenarios.map((s) => s.reason))).toEqual(
      new Set(['it changes data on the target (--read-only)']),
    );
    expect(
      report.results
        .filter((r) => r.status === 'skipped')
        .every((r) => r.reasons.every((reason) => /^\w+: it changes data on the target \(--read-only\)$/.test(reason))),
    ).toBe(true);
  });
});
