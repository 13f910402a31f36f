/**
 * `--fuzz <n>`: for each operation the suite calls, n requests generated from
 * the spec (half valid, half breaking one constraint; only valid ones with
 * `--checks schema`), and with `--checks all` n/4 random sequences checked
 * against the model of the documented rules (publication-model.ts). Every answer is judged by the
 * generated family's checks (generated-checks.ts).
 *
 * Each stream of cases is one fast-check run with a seed derived from the
 * run's seed, so `--seed` replays the same cases. It goes in two passes: the
 * first sends every case and judges every answer; then, for each check and
 * operation that failed, fast-check replays the first failing case by its
 * path and shrinks it, sending each smaller candidate, to the smallest case
 * that still fails that check. A minimal case already found for another check
 * of the stream is reused when it fails this one too.
 *
 * Budgets hold for everything generated, shrinking included: a case that
 * names a customer can publish, so it counts against `--max-publications`
 * (split evenly between the streams that can publish) and is never sent with
 * `--read-only`; `--fuzz-time` stops generating and shrinking at its
 * deadline. 429s are waited out by the HTTP client, as for every request.
 */
import fc from 'fast-check';
import type { CheckContext } from '../checks/check-context';
import { type CheckOutcome, PASS, fail } from '../checks/check-outcome';
import type { Credentials } from '../credentials';
import { type Exchange, displayPath } from '../exchange';
import type { HttpClient, RequestSpec } from '../http-client';
import type { Reproduction, Verdict } from '../report';
import type { TargetData } from '../target-data';
import { curlCommand } from './curl-command';
import { CaseFactory, type GeneratedCase, type NegativeCases, namesCustomer, toRequestSpec } from './generated-case';
import {
  GENERATED_CHECKS,
  GENERATED_CHECK_NAMES,
  type GeneratedCheck,
  negativeDataRejection,
} from './generated-checks';
import { type SequenceRun, type SequenceStep, runSequence, sequenceArbitrary } from './publication-model';
import { rarelySent, targetValues } from './target-values';

/** The operations the suite calls (not the client-side publish, which needs a client-side key pair). */
export const FUZZ_OPERATIONS = [
  'createPublicationFromQuery',
  'createPublication',
  'listPublications',
  'getVoucher',
  'getCustomer',
] as const;

const CREATES = new Set<string>(['createPublicationFromQuery', 'createPublication']);
/** Candidates sent while shrinking one failure, at most: a bound on what a shrink costs a shared target. */
const MAX_SHRINK_RUNS = 100;
const MAX_SEQUENCE_SHRINK_RUNS = 100;
/** One sequence for this many requests per operation. */
export const SEQUENCES_PER = 4;
/** The longest one failure is shrunk for: a target that hangs on the case makes every candidate cost a timeout. */
const MAX_SHRINK_MS = 20000;

export interface FuzzSettings {
  /** Requests per operation. */
  cases: number;
  seed: number;
  /** The wall time generating and shrinking may take, in seconds. */
  timeLimitS?: number;
}

export interface FuzzOptions {
  client: HttpClient;
  ctx: CheckContext;
  data: TargetData;
  runId: string;
  credentials: Credentials['kind'];
  settings: FuzzSettings;
  checks: 'schema' | 'all';
  readOnly: boolean;
  /** Publications the generated cases may create; Infinity for no limit. */
  publications: number;
  listWaitsMs: readonly number[];
  pause(ms: number): Promise<void>;
  /** Streams in flight at once. */
  concurrency?: number;
}

export interface GeneratedSummary {
  seed: number;
  casesPerOperation: number;
  timeLimitS: number | null;
  /** Cases sent while generating. */
  positive: number;
  negative: number;
  sequences: number;
  /** Requests sent while generating (a sequence's steps and pages each count). */
  requests: number;
  /** Requests sent while shrinking failures. */
  shrinkRequests: number;
  /** Cases generated but not sent, by reason (`--max-publications`, `--read-only`, `--fuzz-time`). */
  notSent: Record<string, number>;
  stoppedByTime: boolean;
  durationMs: number;
}

export interface FuzzResult {
  verdicts: Verdict[];
  exchanges: Exchange[];
  summary: GeneratedSummary;
}

interface Judged {
  check: string;
  operationId: string;
  outcome: CheckOutcome;
  exchanges: Exchange[];
}

interface Stream<T, R> {
  id: string;
  kind: 'positive' | 'negative' | 'sequence';
  seed: number;
  runs: number;
  shrinkRuns: number;
  arbitrary: fc.Arbitrary<T>;
  execute(value: T, phase: 'generate' | 'shrink', index: number): Promise<R | undefined>;
  judge(result: R): Judged[];
  exchangesOf(result: R): Exchange[];
  reproduce(result: R, failing: Judged): Pick<Reproduction, 'requests' | 'breach'>;
}

interface StreamOutcome {
  verdicts: Verdict[];
  exchanges: Exchange[];
  sent: number;
}

/** A publication budget one stream draws from. */
class Quota {
  constructor(private left: number) {}
  take(): boolean {
    if (this.left <= 0) return false;
    this.left--;
    return true;
  }
}

/** FNV-1a: a stream's seed from the run's seed and the stream's name, so streams differ and each replays alone. */
function streamSeed(seed: number, id: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return hash | 0;
}

function judgeSafely(run: () => CheckOutcome): CheckOutcome {
  try {
    return run();
  } catch (error) {
    return { kind: 'error', reason: error instanceof Error ? error.message : String(error) };
  }
}

const failsOn = (judged: readonly Judged[], check: string, operationId: string): Judged | undefined =>
  judged.find((j) => j.check === check && j.operationId === operationId && j.outcome.kind === 'fail');

export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const started = performance.now();
  const { settings } = options;
  const deadline = settings.timeLimitS === undefined ? undefined : started + settings.timeLimitS * 1000;
  const summary: GeneratedSummary = {
    seed: settings.seed,
    casesPerOperation: settings.cases,
    timeLimitS: settings.timeLimitS ?? null,
    positive: 0,
    negative: 0,
    sequences: 0,
    requests: 0,
    shrinkRequests: 0,
    notSent: {},
    stoppedByTime: false,
    durationMs: 0,
  };
  const notSent = (reason: string): undefined => {
    summary.notSent[reason] = (summary.notSent[reason] ?? 0) + 1;
    return undefined;
  };
  const timeUp = (): boolean => {
    if (deadline === undefined || performance.now() < deadline) return false;
    summary.stoppedByTime = true;
    return true;
  };
  const timeLimit = (): { interruptAfterTimeLimit?: number } =>
    deadline === undefined ? {} : { interruptAfterTimeLimit: Math.max(1, Math.round(deadline - performance.now())) };
  const send = async (
    phase: 'generate' | 'shrink',
    scenario: string,
    label: string,
    request: RequestSpec,
  ): Promise<Exchange> => {
    if (phase === 'generate') summary.requests++;
    else summary.shrinkRequests++;
    return options.client.send(scenario, label, request);
  };
  const replay = `--fuzz ${settings.cases} --seed ${settings.seed}`;
  const factory = new CaseFactory({
    valuesAt: targetValues(options.data, options.runId),
    rarely: rarelySent,
    credentials: options.credentials,
  });
  let freshNames = 0;
  const freshName = (): string => `contract-${options.runId}-f${++freshNames}`;

  const positiveRuns = options.checks === 'schema' ? settings.cases : Math.ceil(settings.cases / 2);
  const negativeRuns = options.checks === 'schema' ? 0 : Math.floor(settings.cases / 2);
  const sequenceRuns =
    options.checks === 'all' && !options.readOnly ? Math.max(1, Math.ceil(settings.cases / SEQUENCES_PER)) : 0;

  const caseStreams: Array<Stream<GeneratedCase, { generated: GeneratedCase; exchange: Exchange }>> = [];
  const addCaseStream = (
    operationId: string,
    kind: 'positive' | 'negative',
    arbitrary: fc.Arbitrary<GeneratedCase>,
    runs: number,
  ): void => {
    const checks: GeneratedCheck[] = GENERATED_CHECKS.filter(
      (check) => kind === 'negative' || check !== negativeDataRejection,
    );
    const id = `${kind}/${operationId}`;
    caseStreams.push({
      id,
      kind,
      seed: streamSeed(settings.seed, id),
      runs,
      shrinkRuns: MAX_SHRINK_RUNS,
      arbitrary,
      execute: async (generated, phase, index) => {
        const publishes = namesCustomer(generated);
        if (publishes && options.readOnly) return notSent('--read-only');
        if (publishes && !quotaOf(id).take()) return notSent('--max-publications');
        // Proven impossible by the breach's samples; kept as a guard, since a valid case must not be judged as a
        // negative one.
        if (generated.kind === 'negative' && factory.isValid(generated)) return notSent('not a breach of the spec');
        const exchange = await send(
          phase,
          'fuzz',
          `${kind}#${index}${phase === 'shrink' ? ' shrink' : ''}`,
          toRequestSpec(generated, freshName),
        );
        if (phase === 'generate') summary[kind]++;
        return { generated, exchange };
      },
      judge: ({ generated, exchange }) =>
        checks.map((check) => ({
          check: check.name,
          operationId: generated.operationId,
          outcome: judgeSafely(() => check.run(options.ctx, exchange, generated)),
          exchanges: [exchange],
        })),
      exchangesOf: ({ exchange }) => [exchange],
      reproduce: ({ generated, exchange }) => ({
        requests: [describeRequest(exchange, options.credentials)],
        ...(generated.breach === undefined ? {} : { breach: generated.breach }),
      }),
    });
  };

  for (const operationId of FUZZ_OPERATIONS) {
    const creates = CREATES.has(operationId);
    if (positiveRuns > 0 && !(creates && options.readOnly))
      addCaseStream(operationId, 'positive', factory.positive(operationId), positiveRuns);
    if (negativeRuns > 0) {
      let negatives = factory.negatives(operationId);
      // Read-only: only the breaches that never name a customer, so nothing can be published even by a target that
      // accepts them.
      if (creates && options.readOnly)
        negatives = negatives.filter((n) =>
          fc.sample(n.arbitrary, { seed: 1, numRuns: 8 }).every((c) => !namesCustomer(c)),
        );
      if (negatives.length) addCaseStream(operationId, 'negative', evenlyByParameter(negatives), negativeRuns);
    }
  }

  let sequenceCount = 0;
  const sequenceStream: Stream<Iterable<SequenceStep>, SequenceRun> | undefined =
    sequenceRuns > 0
      ? {
          id: 'sequence',
          kind: 'sequence',
          seed: streamSeed(settings.seed, 'sequence'),
          runs: sequenceRuns,
          shrinkRuns: MAX_SEQUENCE_SHRINK_RUNS,
          arbitrary: sequenceArbitrary(),
          execute: async (steps, phase) => {
            const k = ++sequenceCount;
            let sourceIds = 0;
            const run = await runSequence(steps, {
              data: options.data,
              send: async (label, request) =>
                timeUp() ? undefined : send(phase, 'fuzz/sequence', `s${k} ${label}`, request),
              takePublication: () => {
                if (quotaOf('sequence').take()) return true;
                notSent('--max-publications');
                return false;
              },
              customerName: (i) => `contract-${options.runId}-s${k}-c${i + 1}`,
              sourceIdName: () => `contract-${options.runId}-s${k}-p${++sourceIds}`,
              listWaitsMs: options.listWaitsMs,
              pause: options.pause,
            });
            if (!run.steps.length) return undefined;
            if (phase === 'generate') summary.sequences++;
            return run;
          },
          judge: (run) => judgeSequence(options.ctx, run),
          exchangesOf: (run) => run.steps,
          reproduce: (run, failing) => {
            const last = failing.outcome.kind === 'fail' ? failing.outcome.exchange?.id : undefined;
            const upTo = run.steps.filter((step) => last === undefined || step.id <= last);
            return { requests: upTo.map((step) => describeRequest(step, options.credentials)) };
          },
        }
      : undefined;

  // The budget, split evenly between the streams that can publish; the first takes what does not divide.
  const writers = [
    ...caseStreams.filter((s) => CREATES.has(s.id.split('/')[1] ?? '')).map((s) => s.id),
    ...(sequenceStream ? ['sequence'] : []),
  ];
  const quotas = new Map<string, Quota>();
  writers.forEach((id, i) => {
    const share = Number.isFinite(options.publications)
      ? Math.floor(options.publications / writers.length) + (i === 0 ? options.publications % writers.length : 0)
      : Number.POSITIVE_INFINITY;
    quotas.set(id, new Quota(share));
  });
  const quotaOf = (id: string): Quota => quotas.get(id) ?? new Quota(0);

  const environment: Environment = {
    timeUp,
    timeLimit,
    stopped: () => void (summary.stoppedByTime = true),
    replay,
    seed: settings.seed,
  };
  const tasks: Array<() => Promise<StreamOutcome>> = [
    ...caseStreams.map((stream) => () => runStream(stream, environment)),
    ...(sequenceStream ? [() => runStream(sequenceStream, environment)] : []),
  ];
  const outcomes = await mapConcurrently(tasks, options.concurrency ?? 4);
  summary.durationMs = Math.round(performance.now() - started);
  return {
    verdicts: outcomes.flatMap((o) => o.verdicts),
    exchanges: dedupe(outcomes.flatMap((o) => o.exchanges)),
    summary,
  };
}

/**
 * The negative cases of an operation, each parameter (or body property, or
 * header) as likely as the next, then each of its breaches: `filters` has forty
 * ways to break and `limit` three, and both deserve their share.
 */
function evenlyByParameter(negatives: NegativeCases[]): fc.Arbitrary<GeneratedCase> {
  const groups = new Map<string, NegativeCases[]>();
  for (const negative of negatives) {
    const key = /^(\S+ [^\s.[:]+)/.exec(negative.breach)?.[1] ?? negative.breach.split(':')[0] ?? negative.breach;
    groups.set(key, [...(groups.get(key) ?? []), negative]);
  }
  return fc.oneof(...[...groups.values()].map((group) => fc.oneof(...group.map((n) => n.arbitrary))));
}

interface Environment {
  timeUp(): boolean;
  timeLimit(): { interruptAfterTimeLimit?: number };
  /** fast-check stopped a run at the time limit. */
  stopped(): void;
  replay: string;
  seed: number;
}

async function runStream<T, R>(stream: Stream<T, R>, env: Environment): Promise<StreamOutcome> {
  const scanned: Array<{ index: number; result: R; judged: Judged[] }> = [];
  let index = -1;
  const generated = await fc.check(
    fc.asyncProperty(stream.arbitrary, async (value) => {
      index++;
      if (env.timeUp()) return true;
      const at = index;
      const result = await stream.execute(value, 'generate', at);
      if (result !== undefined) scanned.push({ index: at, result, judged: stream.judge(result) });
      return true;
    }),
    { seed: stream.seed, numRuns: stream.runs, ...env.timeLimit() },
  );
  if (generated.interrupted) env.stopped();

  // Each failing check and operation, with the first case that failed it and how many did.
  const failing = new Map<
    string,
    { check: string; operationId: string; first: (typeof scanned)[number]; count: number }
  >();
  for (const item of scanned) {
    for (const judged of item.judged) {
      if (judged.outcome.kind !== 'fail') continue;
      const key = `${judged.check}\u0000${judged.operationId}`;
      const known = failing.get(key);
      if (known) known.count++;
      else failing.set(key, { check: judged.check, operationId: judged.operationId, first: item, count: 1 });
    }
  }
  const order = (check: string): number => GENERATED_CHECK_NAMES.indexOf(check);
  const minimals: Array<{ result: R; judged: Judged[] }> = [];
  const verdicts: Verdict[] = [];
  const exchanges: Exchange[] = scanned.flatMap((item) => stream.exchangesOf(item.result));
  for (const target of [...failing.values()].sort((a, b) => order(a.check) - order(b.check))) {
    let minimal = minimals.find((m) => failsOn(m.judged, target.check, target.operationId));
    let shrinkRuns = 0;
    if (!minimal) {
      let best = { result: target.first.result, judged: target.first.judged };
      const shrinkDeadline = performance.now() + MAX_SHRINK_MS;
      const shrunk = await fc.check(
        fc.asyncProperty(stream.arbitrary, async (value) => {
          if (shrinkRuns >= stream.shrinkRuns || env.timeUp() || performance.now() > shrinkDeadline) return true;
          shrinkRuns++;
          const result = await stream.execute(value, 'shrink', target.first.index);
          if (result === undefined) return true;
          const judged = stream.judge(result);
          if (!failsOn(judged, target.check, target.operationId)) return true;
          best = { result, judged };
          return false;
        }),
        { seed: stream.seed, path: String(target.first.index), ...env.timeLimit() },
      );
      if (shrunk.interrupted) env.stopped();
      minimal = best;
      minimals.push(best);
      exchanges.push(...stream.exchangesOf(best.result));
    }
    const judged = failsOn(minimal.judged, target.check, target.operationId) as Judged;
    verdicts.push({
      check: judged.check,
      family: 'generated',
      operationId: judged.operationId,
      outcome: judged.outcome,
      exchanges: judged.exchanges,
      reproduction: {
        seed: env.seed,
        kind: stream.kind,
        ...stream.reproduce(minimal.result, judged),
        failedCases: target.count,
        shrinkRuns,
        replay: env.replay,
      },
    });
  }
  for (const item of scanned) {
    for (const judged of item.judged) {
      if (judged.outcome.kind === 'fail' && failing.has(`${judged.check}\u0000${judged.operationId}`)) continue;
      verdicts.push({
        check: judged.check,
        family: 'generated',
        operationId: judged.operationId,
        outcome: judged.outcome,
        exchanges: judged.exchanges,
      });
    }
  }
  return { verdicts, exchanges, sent: scanned.length };
}

/** A sequence's verdicts: every step's answer by the case checks, and each rule where it applied. */
function judgeSequence(ctx: CheckContext, run: SequenceRun): Judged[] {
  const out: Judged[] = [];
  const checks = GENERATED_CHECKS.filter((check) => check !== negativeDataRejection);
  for (const step of run.steps) {
    for (const check of checks)
      out.push({
        check: check.name,
        operationId: step.operationId,
        outcome: judgeSafely(() => check.run(ctx, step, { kind: 'positive' })),
        exchanges: [step],
      });
  }
  const seen = new Set<string>();
  for (const { check, operationId } of run.applied) {
    const key = `${check}\u0000${operationId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const failures = run.failures.filter((f) => f.check === check && f.operationId === operationId);
    out.push({
      check,
      operationId,
      outcome: failures.length
        ? fail(
            failures.flatMap((f) => f.failures),
            failures[0]?.exchange,
          )
        : PASS,
      exchanges: run.steps,
    });
  }
  return out;
}

function describeRequest(exchange: Exchange, credentials: Credentials['kind']): Reproduction['requests'][number] {
  return {
    method: exchange.request.method,
    path: displayPath(exchange.request.path),
    ...(exchange.response ? { status: exchange.response.status } : {}),
    curl: curlCommand(exchange.request, credentials),
  };
}

function dedupe(exchanges: Exchange[]): Exchange[] {
  const byId = new Map(exchanges.map((e) => [e.id, e]));
  return [...byId.values()];
}

async function mapConcurrently<R>(tasks: ReadonlyArray<() => Promise<R>>, limit: number): Promise<R[]> {
  const out = new Array<R>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await (tasks[i] as () => Promise<R>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}
