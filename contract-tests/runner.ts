/**
 * Runs the contract suite against a live target and returns the report; the
 * CLI is a thin shell around `runContract`, and tests call it in-process.
 *
 * First the preflight (preflight.ts): can the target be reached, does it accept
 * the credentials for every operation, does it know the configured data? Then
 * the first scenario that publishes runs alone, as it is the first to address
 * the configured campaign. Then the rest run concurrently (each one's requests
 * in order, since they build on each other). A configuration mistake, found at
 * any of these steps, ends the run with exit 2 and one line naming the setting
 * (config-mistake.ts), never with violations blamed on the target.
 */
import { randomBytes } from 'node:crypto';
import { type CheckContext, createCheckContext } from './checks/check-context';
import type { CheckOutcome } from './checks/check-outcome';
import { CONFORMANCE_CHECKS } from './checks/conformance-checks';
import { ConfigError } from './config-error';
import { describeConfigMistakes } from './config-mistake';
import { type Credentials, MASK, secretsOf } from './credentials';
import type { Exchange } from './exchange';
import { HttpClient } from './http-client';
import { PREFLIGHT_SCENARIO, buildPreflight, judgePreflight } from './preflight';
import { type ContractReport, type RunSettings, type Verdict, buildReport, groupVerdicts } from './report';
import { redactSecrets } from './redact';
import { LIST_RETRY_DELAYS_MS, type Scenario, type Send, buildScenarios } from './scenarios';
import { type FuzzResult, runFuzz } from './fuzz/fuzz-runner';
import { DEFAULT_TARGET_DATA, type DataOrigin, type TargetData } from './target-data';

export interface ContractOptions {
  /** Base URL of the implementation, e.g. `https://staging.example.com` (the spec's paths are appended). */
  target: string;
  credentials: Credentials;
  /** `schema`: only what every conforming implementation answers; `all` (default) adds the behaviour checks. */
  checks?: 'schema' | 'all';
  /** Only requests that change nothing on the target. */
  readOnly?: boolean;
  /** The most publications one run may create (successful or recorded as failed); unlimited by default. */
  maxPublications?: number;
  /** Accept fields the spec does not document: an explicit opt-out of strictness. */
  allowUnknownFields?: boolean;
  /** A run with skipped checks (--read-only, --max-publications) does not pass: exit 2 instead of 0. */
  failOnSkip?: boolean;
  /** What the target's data holds; missing entries default to the mock's default world. */
  data?: Partial<TargetData>;
  /**
   * For messages: the `--config` file each entry of `data` was read from; entries not named here were given as flags.
   */
  dataFiles?: Partial<Record<keyof TargetData, string>>;
  /** Per request attempt. Default 10 s. */
  timeoutMs?: number;
  /** Further attempts after a network error. Default 2. */
  retries?: number;
  /** The longest single wait for a 429's Retry-After. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Scenarios in flight at once. Default 8. */
  concurrency?: number;
  /** Names this run's customers and source_ids; random by default. */
  runId?: string;
  /**
   * `--fuzz`: requests generated per operation, the seed that makes them (random by default) and a cap on their wall
   * time.
   */
  fuzz?: { cases: number; seed?: number; timeLimitS?: number };
  /**
   * When a created publication is not listed yet, the waits before listing again (an index may lag). Default 300 and
   * 700 ms.
   */
  listWaitsMs?: readonly number[];
}

interface ScenarioRun {
  scenario: Scenario;
  exchanges: Exchange[];
  byLabel: Map<string, Exchange>;
  /** Set when the scenario itself threw. */
  crash?: string;
}

/** `--seed` is a 32-bit unsigned integer, as fast-check's generators take it. */
export const MAX_SEED = 2 ** 32 - 1;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runContract(options: ContractOptions): Promise<ContractReport> {
  const startedAt = new Date();
  const runId = options.runId ?? `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const checks = options.checks ?? 'all';
  const maxPublications = options.maxPublications ?? Number.POSITIVE_INFINITY;
  const settings: RunSettings = {
    checks,
    readOnly: options.readOnly ?? false,
    allowUnknownFields: options.allowUnknownFields ?? false,
    failOnSkip: options.failOnSkip ?? false,
    maxPublications: Number.isFinite(maxPublications) ? maxPublications : null,
    timeoutMs: options.timeoutMs ?? 10000,
    retries: options.retries ?? 2,
    ...(options.fuzz
      ? {
          fuzz: {
            cases: options.fuzz.cases,
            seed: options.fuzz.seed ?? randomBytes(4).readUInt32BE(0),
            timeLimitS: options.fuzz.timeLimitS ?? null,
          },
        }
      : {}),
  };
  const secrets = secretsOf(options.credentials);
  const finish = (report: ContractReport): ContractReport => redactSecrets(report, secrets);
  const base = { target: displayTarget(options.target), settings, runId, startedAt };

  let baseUrl: string;
  try {
    baseUrl = normaliseTarget(options.target);
    validateOptions(options, checks);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return finish(buildReport({ ...base, results: [], exchanges: [], couldNotRun: error.message }));
  }

  const ctx = createCheckContext({ allowUnknownFields: settings.allowUnknownFields });
  const client = new HttpClient({
    baseUrl,
    credentials: options.credentials,
    timeoutMs: settings.timeoutMs ?? 10000,
    retries: settings.retries ?? 2,
    ...(options.maxRetryAfterMs === undefined ? {} : { maxRetryAfterMs: options.maxRetryAfterMs }),
  });
  const data: TargetData = { ...DEFAULT_TARGET_DATA, ...definedEntries(options.data ?? {}) };

  // Select the scenarios this run may send, in order, within the publication budget.
  const selected: Scenario[] = [];
  const skipped: Array<{ scenario: Scenario; reason: string }> = [];
  let budgetLeft = maxPublications;
  for (const scenario of buildScenarios(data, runId)) {
    if (scenario.family === 'behaviour' && checks === 'schema') continue;
    if (settings.readOnly && !scenario.readOnly) {
      skipped.push({ scenario, reason: 'it changes data on the target (--read-only)' });
    } else if (scenario.publications > budgetLeft) {
      skipped.push({ scenario, reason: describeOverBudget(scenario.publications, maxPublications, budgetLeft) });
    } else {
      budgetLeft -= scenario.publications;
      selected.push(scenario);
    }
  }

  const runScenario = async (scenario: Scenario): Promise<ScenarioRun> => {
    const run: ScenarioRun = { scenario, exchanges: [], byLabel: new Map() };
    const send: Send = async (label, request) => {
      const exchange = await client.send(scenario.id, label, request);
      run.exchanges.push(exchange);
      run.byLabel.set(label, exchange);
      return exchange;
    };
    try {
      await scenario.run(send, pause);
    } catch (error) {
      run.crash = `scenario ${scenario.id} stopped: ${error instanceof Error ? error.message : String(error)}`;
    }
    return run;
  };

  if (!selected.length)
    return finish(
      buildReport({ ...base, results: [], exchanges: [], couldNotRun: 'no scenario fits the given limits' }),
    );
  const originOf = (key: keyof TargetData): DataOrigin => {
    if (options.data?.[key] === undefined) return { kind: 'default' };
    const file = options.dataFiles?.[key];
    return file === undefined ? { kind: 'flag' } : { kind: 'file', file };
  };
  const cannotRun = (exchanges: Exchange[], reason: string): ContractReport =>
    finish(
      buildReport({ ...base, results: [], exchanges: [...exchanges].sort((a, b) => a.id - b.id), couldNotRun: reason }),
    );

  // The preflight: the first request alone (is the target there at all?), then one per operation.
  const preflight: Exchange[] = [];
  for (const { label, request } of buildPreflight(data)) {
    preflight.push(await client.send(PREFLIGHT_SCENARIO, label, request));
    if (!preflight[0]?.response) break;
  }
  const preflightProblem = judgePreflight(preflight, options.credentials, data, originOf);
  if (preflightProblem) return cannotRun(preflight, preflightProblem);

  // The first scenario that publishes addresses the configured campaign first: alone, so a campaign the target lacks
  // stops the run here.
  const firstIndex = Math.max(
    0,
    selected.findIndex((scenario) => !scenario.readOnly),
  );
  const first = await runScenario(selected[firstIndex] as Scenario);
  const firstMistake = describeConfigMistakes(first.exchanges, data, originOf);
  if (firstMistake) return cannotRun([...preflight, ...first.exchanges], firstMistake);

  const rest = selected.filter((_, index) => index !== firstIndex);
  const runs = [first, ...(await mapConcurrently(rest, options.concurrency ?? 8, runScenario))];
  const exchanges = [...preflight, ...runs.flatMap((r) => r.exchanges)].sort((a, b) => a.id - b.id);
  const mistake = describeConfigMistakes(exchanges, data, originOf);
  if (mistake) return cannotRun(exchanges, mistake);

  const verdicts: Verdict[] = [];
  for (const exchange of exchanges) {
    for (const check of CONFORMANCE_CHECKS) {
      verdicts.push({
        check: check.name,
        family: 'conformance',
        operationId: exchange.operationId,
        outcome: judge(() => check.run(ctx, exchange)),
        exchanges: [exchange],
      });
    }
  }
  if (checks === 'all') {
    for (const run of runs) verdicts.push(...behaviourVerdicts(ctx, run));
    for (const { scenario, reason } of skipped) {
      for (const check of scenario.checks) {
        verdicts.push({
          check: check.name,
          family: 'behaviour',
          operationId: scenario.operationId,
          outcome: { kind: 'skipped', reason: `${scenario.id}: ${reason}` },
          exchanges: [],
        });
      }
    }
  }

  // Generated cases come last, with what the fixed scenarios left of the publication budget.
  let generated: FuzzResult | undefined;
  if (settings.fuzz) {
    generated = await runFuzz({
      client,
      ctx,
      data,
      runId,
      credentials: options.credentials.kind,
      settings: {
        cases: settings.fuzz.cases,
        seed: settings.fuzz.seed,
        ...(settings.fuzz.timeLimitS === null ? {} : { timeLimitS: settings.fuzz.timeLimitS }),
      },
      checks,
      readOnly: settings.readOnly,
      publications: budgetLeft,
      listWaitsMs: options.listWaitsMs ?? LIST_RETRY_DELAYS_MS,
      pause,
    });
    verdicts.push(...generated.verdicts);
  }

  return finish(
    buildReport({
      ...base,
      results: groupVerdicts(verdicts),
      exchanges: generated ? [...exchanges, ...generated.exchanges].sort((a, b) => a.id - b.id) : exchanges,
      ...(generated ? { generated: generated.summary } : {}),
      skippedScenarios: skipped.map(({ scenario, reason }) => ({ scenario: scenario.id, reason })),
      publicationsBudgeted: selected.reduce((sum, s) => sum + s.publications, 0),
    }),
  );
}

const publications = (n: number): string => `${n} publication${n === 1 ? '' : 's'}`;

/**
 * Why a scenario does not fit the budget: alone it is over the limit, or the scenarios before it used the budget up.
 */
function describeOverBudget(needs: number, max: number, left: number): string {
  if (needs > max) return `it needs ${publications(needs)}, more than --max-publications ${max} allows`;
  return (
    `it needs ${publications(needs)} and the scenarios before it used ` +
    `${max - left} of --max-publications ${max}, leaving ${left}`
  );
}

function behaviourVerdicts(ctx: CheckContext, run: ScenarioRun): Verdict[] {
  return run.scenario.checks.map((check) => ({
    check: check.name,
    family: 'behaviour' as const,
    operationId: run.scenario.operationId,
    outcome: run.crash ? { kind: 'error' as const, reason: run.crash } : judge(() => check.run(ctx, run.byLabel)),
    exchanges: run.exchanges,
  }));
}

/** A check that throws has not passed: it errors, with the reason. */
function judge(check: () => CheckOutcome): CheckOutcome {
  try {
    return check();
  } catch (error) {
    return { kind: 'error', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** The target as reports show it: credentials a URL might carry are masked. */
function displayTarget(target: string): string {
  try {
    const url = new URL(target);
    if (!url.username && !url.password) return target;
    url.username = url.username ? MASK : '';
    url.password = url.password ? MASK : '';
    return url.toString();
  } catch {
    return target;
  }
}

export function normaliseTarget(target: string): string {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new ConfigError(`--target ${JSON.stringify(target)} is not a URL (expected e.g. http://127.0.0.1:4010)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`--target must be an http(s) URL, got ${url.protocol}`);
  if (url.username || url.password)
    throw new ConfigError(
      '--target must not carry credentials; set VOUCHERIFY_APP_ID and VOUCHERIFY_APP_TOKEN, or VOUCHERIFY_BEARER',
    );
  if (url.search || url.hash) throw new ConfigError('--target must be a base URL, without a query string or fragment');
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function validateOptions(options: ContractOptions, checks: string): void {
  if (checks !== 'schema' && checks !== 'all')
    throw new ConfigError(`checks must be "schema" or "all", got ${JSON.stringify(checks)}`);
  const wholeNumber = (name: string, value: number | undefined, min: number): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < min))
      throw new ConfigError(`${name} must be a whole number of at least ${min}, got ${String(value)}`);
  };
  wholeNumber('max publications', options.maxPublications, 0);
  wholeNumber('timeout', options.timeoutMs, 1);
  wholeNumber('retries', options.retries, 0);
  wholeNumber('concurrency', options.concurrency, 1);
  if (options.fuzz) {
    wholeNumber('fuzz', options.fuzz.cases, 1);
    if (
      options.fuzz.seed !== undefined &&
      !(Number.isInteger(options.fuzz.seed) && options.fuzz.seed >= 0 && options.fuzz.seed <= MAX_SEED)
    )
      throw new ConfigError(`seed must be a whole number from 0 to ${MAX_SEED}, got ${String(options.fuzz.seed)}`);
    const limit = options.fuzz.timeLimitS;
    if (limit !== undefined && !(Number.isFinite(limit) && limit > 0))
      throw new ConfigError(`fuzz time must be a positive number of seconds, got ${String(limit)}`);
  }
  for (const [key, value] of Object.entries(options.data ?? {})) {
    if (value !== undefined && (typeof value !== 'string' || value.trim() === ''))
      throw new ConfigError(`target data "${key}" must be a non-empty string`);
  }
}

function definedEntries(data: Partial<TargetData>): Partial<TargetData> {
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
}

async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
