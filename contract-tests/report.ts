/**
 * The result of a run, as every reporter reads it: one result per check and
 * operation, each failure located (method, path, JSON pointer) and explained
 * ("Received … / Documented …"), and the exit code with a one-line reason:
 * 0 all passed, 1 a contract violation, 2 could not run.
 */
import type { CheckFamily, CheckOutcome, Failure } from './checks/check-outcome';
import { type Exchange, bodyObject, displayPath } from './exchange';
import { getOperation, listOperations } from '../src/spec/operations';
import { BEHAVIOUR_CHECKS } from './checks/behaviour-checks';
import { CONFORMANCE_CHECKS } from './checks/conformance-checks';
import { loadSpec } from '../src/spec/spec-document';
import { formatGroup, groupFailures } from './reporters/group-failures';
import { GENERATED_CHECK_NAMES } from './fuzz/generated-checks';
import type { GeneratedSummary } from './fuzz/fuzz-runner';

export type ResultStatus = 'passed' | 'failed' | 'error' | 'skipped' | 'not_applicable';

/** How to see a generated failure again: its minimal case, shrunk, as curl commands, and the seed that makes it. */
export interface Reproduction {
  seed: number;
  kind: 'positive' | 'negative' | 'sequence';
  /** What a negative case breaks. */
  breach?: string;
  /** The minimal case's requests, in order (a sequence's up to the one that failed). */
  requests: Array<{ method: string; path: string; status?: number; curl: string }>;
  /** Generated cases that failed the check before shrinking. */
  failedCases: number;
  /** Smaller candidates sent while shrinking. */
  shrinkRuns: number;
  /** The flags that generate the same cases again, e.g. `--fuzz 200 --seed 42`. */
  replay: string;
}

export interface LocatedFailure extends Failure {
  method: string;
  /** Path and query of the request, decoded for reading. */
  path: string;
  /** The status the target answered, when it answered. */
  status?: number;
  scenario: string;
  label: string;
  exchangeId: number;
  /** A generated failure's minimal case. */
  reproduction?: Reproduction;
}

export interface CheckResult {
  check: string;
  family: CheckFamily;
  operationId: string;
  method: string;
  /** The spec path of the operation. */
  path: string;
  status: ResultStatus;
  failures: LocatedFailure[];
  /** Why the check errored, was skipped or did not apply. */
  reasons: string[];
  /** How many exchanges it judged. */
  exchanges: number;
  durationMs: number;
}

export interface ExchangeRecord {
  id: number;
  scenario: string;
  label: string;
  operationId: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: unknown;
  status?: number;
  contentType?: string;
  responseBody?: unknown;
  error?: string;
  attempts: number;
  durationMs: number;
}

export interface RunSettings {
  checks: 'schema' | 'all' | 'har';
  readOnly: boolean;
  allowUnknownFields: boolean;
  /** Skipped checks make the run fail (exit 2) instead of passing. */
  failOnSkip?: boolean;
  maxPublications: number | null;
  timeoutMs?: number;
  retries?: number;
  /** `--fuzz`: requests per operation, the seed, the time limit in seconds. */
  fuzz?: { cases: number; seed: number; timeLimitS: number | null };
}

export interface ContractReport {
  spec: { title: string; version: string };
  target: string;
  settings: RunSettings;
  runId: string;
  startedAt: string;
  durationMs: number;
  outcome: 'passed' | 'failed' | 'could_not_run';
  exitCode: 0 | 1 | 2;
  /** One line: what happened, and for a failure the first violation. */
  reason: string;
  summary: {
    checks: number;
    passed: number;
    failed: number;
    errored: number;
    skipped: number;
    notApplicable: number;
    exchanges: number;
    /** The most publications the selected scenarios could leave on a conforming target. */
    publicationsBudgeted: number;
    /** Publications the target reported as created (200 answers to a create). */
    publicationsCreated: number;
  };
  skippedScenarios: Array<{ scenario: string; reason: string }>;
  results: CheckResult[];
  exchanges: ExchangeRecord[];
  /** What `--fuzz` generated and sent. */
  generated?: GeneratedSummary;
}

/** One check's verdict on one exchange or scenario, before results are grouped per check and operation. */
export interface Verdict {
  check: string;
  family: CheckFamily;
  operationId: string;
  outcome: CheckOutcome | { kind: 'skipped'; reason: string };
  /** The exchange judged, or the scenario's exchanges. */
  exchanges: Exchange[];
  /** A generated failure's minimal case. */
  reproduction?: Reproduction;
}

const PRECEDENCE: ResultStatus[] = ['failed', 'error', 'passed', 'skipped', 'not_applicable'];

function locate(failure: Failure, exchange: Exchange | undefined, reproduction?: Reproduction): LocatedFailure {
  return {
    ...(reproduction ? { reproduction } : {}),
    ...failure,
    method: exchange?.request.method ?? '',
    path: exchange ? displayPath(exchange.request.path) : '',
    ...(exchange?.response ? { status: exchange.response.status } : {}),
    scenario: exchange?.scenario ?? '',
    label: exchange?.label ?? '',
    exchangeId: exchange?.id ?? 0,
  };
}

function statusOf(outcome: Verdict['outcome']): ResultStatus {
  switch (outcome.kind) {
    case 'pass':
      return 'passed';
    case 'fail':
      return 'failed';
    case 'error':
      return 'error';
    case 'skipped':
      return 'skipped';
    default:
      return 'not_applicable';
  }
}

/** Groups verdicts into one result per family, check and operation, in first-seen order. */
export function groupVerdicts(verdicts: Verdict[]): CheckResult[] {
  const results = new Map<string, CheckResult & { statuses: Set<ResultStatus>; seen: Set<number> }>();
  for (const verdict of verdicts) {
    const id = `${verdict.family}\u0000${verdict.check}\u0000${verdict.operationId}`;
    let result = results.get(id);
    if (!result) {
      const operation = getOperation(verdict.operationId);
      result = {
        check: verdict.check,
        family: verdict.family,
        operationId: verdict.operationId,
        method: operation.method.toUpperCase(),
        path: operation.path,
        status: 'not_applicable',
        failures: [],
        reasons: [],
        exchanges: 0,
        durationMs: 0,
        statuses: new Set(),
        seen: new Set(),
      };
      results.set(id, result);
    }
    result.statuses.add(statusOf(verdict.outcome));
    for (const exchange of verdict.exchanges) {
      if (result.seen.has(exchange.id)) continue;
      result.seen.add(exchange.id);
      result.exchanges++;
      result.durationMs += exchange.durationMs;
    }
    const outcome = verdict.outcome;
    if (outcome.kind === 'fail') {
      const at = outcome.exchange ?? verdict.exchanges[verdict.exchanges.length - 1];
      result.failures.push(...outcome.failures.map((f) => locate(f, at, verdict.reproduction)));
    } else if (outcome.kind === 'error' || outcome.kind === 'skipped') {
      if (!result.reasons.includes(outcome.reason)) result.reasons.push(outcome.reason);
    }
  }
  return [...results.values()].map(({ statuses, seen: _seen, ...result }) => ({
    ...result,
    status: PRECEDENCE.find((s) => statuses.has(s)) ?? 'not_applicable',
    reasons: result.reasons,
  }));
}

export function toExchangeRecord(exchange: Exchange): ExchangeRecord {
  const body = exchange.response?.body;
  return {
    id: exchange.id,
    scenario: exchange.scenario,
    label: exchange.label,
    operationId: exchange.operationId,
    method: exchange.request.method,
    url: exchange.request.url,
    requestHeaders: exchange.request.headers,
    ...(exchange.request.body === undefined ? {} : { requestBody: exchange.request.body }),
    ...(exchange.response ? { status: exchange.response.status } : {}),
    ...(exchange.response?.headers['content-type'] ? { contentType: exchange.response.headers['content-type'] } : {}),
    ...(body?.kind === 'json'
      ? { responseBody: body.value }
      : body?.kind === 'invalid'
        ? { responseBody: body.text }
        : {}),
    ...(exchange.error ? { error: exchange.error } : {}),
    attempts: exchange.attempts,
    durationMs: exchange.durationMs,
  };
}

export interface ReportInput {
  target: string;
  settings: RunSettings;
  runId: string;
  startedAt: Date;
  results: CheckResult[];
  exchanges: Exchange[];
  skippedScenarios?: Array<{ scenario: string; reason: string }>;
  publicationsBudgeted?: number;
  /** Set when the run could not start or had to stop: exit code 2 with this reason. */
  couldNotRun?: string;
  generated?: GeneratedSummary;
}

export function buildReport(input: ReportInput): ContractReport {
  const count = (status: ResultStatus): number => input.results.filter((r) => r.status === status).length;
  const summary: ContractReport['summary'] = {
    checks: input.results.length,
    passed: count('passed'),
    failed: count('failed'),
    errored: count('error'),
    skipped: count('skipped'),
    notApplicable: count('not_applicable'),
    exchanges: input.exchanges.length,
    publicationsBudgeted: input.publicationsBudgeted ?? 0,
    publicationsCreated: countCreated(input.exchanges),
  };
  // Ordered as the reporters print them, so the exit line's "first:" is the first violation printed.
  const results = orderResults(input.results);
  const { outcome, exitCode, reason } = decide({ ...input, results }, summary);
  const spec = loadSpec().info;
  return {
    spec: { title: spec.title, version: String(spec.version) },
    target: input.target,
    settings: input.settings,
    runId: input.runId,
    startedAt: input.startedAt.toISOString(),
    durationMs: Date.now() - input.startedAt.getTime(),
    outcome,
    exitCode,
    reason,
    summary,
    skippedScenarios: input.skippedScenarios ?? [],
    results,
    exchanges: input.exchanges.map(toExchangeRecord),
    ...(input.generated ? { generated: input.generated } : {}),
  };
}

/**
 * Conformance first, then behaviour, then generated; within each, in check order, then in the spec's operation order.
 */
function orderResults(results: CheckResult[]): CheckResult[] {
  const families: CheckFamily[] = ['conformance', 'behaviour', 'generated'];
  const checkOrder = (family: CheckFamily): string[] =>
    family === 'generated'
      ? [...GENERATED_CHECK_NAMES]
      : [...CONFORMANCE_CHECKS, ...BEHAVIOUR_CHECKS].map((c) => c.name);
  const operationOrder = [...listOperations().keys()];
  const rank = (r: CheckResult): number[] => [
    families.indexOf(r.family),
    checkOrder(r.family).indexOf(r.check),
    operationOrder.indexOf(r.operationId),
  ];
  return [...results].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  });
}

function decide(
  input: ReportInput,
  summary: ContractReport['summary'],
): Pick<ContractReport, 'outcome' | 'exitCode' | 'reason'> {
  const firstFailed = input.results.find((r) => r.status === 'failed');
  if (firstFailed) {
    const [first] = groupFailures(firstFailed.failures);
    const where = first
      ? `${first.failure.method} ${first.failure.path} ${formatGroup(first)}`
      : `${firstFailed.method} ${firstFailed.path}`;
    const also = input.couldNotRun ? ` (and the run was cut short: ${input.couldNotRun})` : '';
    return {
      outcome: 'failed',
      exitCode: 1,
      reason:
        `contract violation: ${summary.failed} of ${summary.checks} checks ` +
        `failed; first: ${firstFailed.check}: ${where}${also}`,
    };
  }
  if (input.couldNotRun)
    return { outcome: 'could_not_run', exitCode: 2, reason: `could not run: ${input.couldNotRun}` };
  const firstErrored = input.results.find((r) => r.status === 'error');
  if (firstErrored) {
    return {
      outcome: 'could_not_run',
      exitCode: 2,
      reason:
        `could not run: ${summary.errored} of ${summary.checks} checks could ` +
        `not complete; first: ${firstErrored.check} ${firstErrored.method} ` +
        `${firstErrored.path}: ${firstErrored.reasons[0] ?? 'no reason given'}`,
    };
  }
  if (summary.passed === 0)
    return { outcome: 'could_not_run', exitCode: 2, reason: 'could not run: nothing was checked' };
  const firstSkipped = input.results.find((r) => r.status === 'skipped');
  if (firstSkipped && input.settings.failOnSkip) {
    return {
      outcome: 'could_not_run',
      exitCode: 2,
      reason:
        `could not run every check: ${summary.skipped} of ${summary.checks} ` +
        `checks were skipped and --fail-on-skip was given; first: ` +
        `${firstSkipped.check} ${firstSkipped.method} ${firstSkipped.path}: ` +
        `${firstSkipped.reasons[0] ?? 'no reason given'}`,
    };
  }
  const skipped = summary.skipped ? `, ${summary.skipped} skipped` : '';
  return {
    outcome: 'passed',
    exitCode: 0,
    reason: `all ${summary.passed} checks passed${skipped} against ${input.target}`,
  };
}

const CREATE_OPERATIONS = new Set(['createPublicationFromQuery', 'createPublication', 'createPublicationClientSide']);

/** Publications the target says it created: distinct publication ids in 200 answers to a create. */
function countCreated(exchanges: Exchange[]): number {
  const ids = new Set<string>();
  for (const exchange of exchanges) {
    if (!CREATE_OPERATIONS.has(exchange.operationId) || exchange.response?.status !== 200) continue;
    const id = bodyObject(exchange)?.id;
    if (typeof id === 'string') ids.add(id);
  }
  return ids.size;
}
