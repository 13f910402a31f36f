/**
 * The checks of the generated family (`--fuzz`), in the manner of
 * Schemathesis: every answer to a generated request is judged by the four
 * conformance checks and by `not_a_server_error`; an answer to a negative
 * case, which breaks the spec on purpose, must also be a refusal
 * (`negative_data_rejection`). The sequence checks (publication-model.ts)
 * judge the documented rules over random interleavings of requests.
 */
import type { Exchange } from '../exchange';
import { bodyObject } from '../exchange';
import type { CheckContext } from '../checks/check-context';
import { type CheckOutcome, PASS, fail } from '../checks/check-outcome';
import { CONFORMANCE_CHECKS } from '../checks/conformance-checks';

/** What a check needs to know of the request it judges the answer to. */
export interface CaseKind {
  kind: 'positive' | 'negative';
  /** What a negative case breaks. */
  breach?: string;
}

export interface GeneratedCheck {
  name: string;
  run(ctx: CheckContext, exchange: Exchange, generated: CaseKind): CheckOutcome;
}

/** A request that got no answer in time: the target hung on it (exchange errors say so in these words). */
function timedOut(exchange: Exchange): boolean {
  return !exchange.response && /^no answer within/.test(exchange.error ?? '');
}

function statusWithKey(exchange: Exchange): string {
  const key = bodyObject(exchange)?.key;
  return `${exchange.response?.status ?? 'no answer'}${typeof key === 'string' ? ` (key "${key}")` : ''}`;
}

export const notAServerError: GeneratedCheck = {
  name: 'not_a_server_error',
  run(_ctx, exchange) {
    if (timedOut(exchange)) {
      return fail(
        [
          {
            where: 'status',
            pointer: '',
            keyword: 'timeout',
            received: exchange.error ?? 'no answer',
            documented: 'an answer: no request, valid or not, may hang the target',
          },
        ],
        exchange,
      );
    }
    const response = exchange.response;
    if (!response)
      return {
        kind: 'error',
        reason: `${exchange.request.method} ${exchange.request.url}: ${exchange.error ?? 'no answer'}`,
      };
    if (response.status < 500) return PASS;
    return fail(
      [
        {
          where: 'status',
          pointer: '',
          keyword: 'status',
          received: statusWithKey(exchange),
          documented: 'a documented answer below 500: no request, valid or not, may cause a server error',
        },
      ],
      exchange,
    );
  },
};

export const negativeDataRejection: GeneratedCheck = {
  name: 'negative_data_rejection',
  run(_ctx, exchange, generated) {
    if (generated.kind !== 'negative') return { kind: 'not_applicable', reason: 'a valid request' };
    const response = exchange.response;
    if (!response) return { kind: 'not_applicable', reason: 'no answer (see not_a_server_error)' };
    if (response.status >= 400) return PASS;
    return fail(
      [
        {
          where: 'status',
          pointer: '',
          keyword: 'status',
          received: `${response.status} (the request was accepted)`,
          documented: `a 4xx refusal: the request breaks the spec, ${generated.breach ?? 'on purpose'}`,
        },
      ],
      exchange,
    );
  },
};

/** The conformance checks on a generated answer; a request that hung is for `not_a_server_error` to report. */
const CONFORMANCE_ON_GENERATED: GeneratedCheck[] = CONFORMANCE_CHECKS.map((check) => ({
  name: check.name,
  run: (ctx, exchange) =>
    timedOut(exchange)
      ? { kind: 'not_applicable', reason: 'no answer in time (see not_a_server_error)' }
      : check.run(ctx, exchange),
}));

/**
 * Judged on every answer to a generated request, in report order; the ones a defect shows first come first, so their
 * shrunk case serves the rest.
 */
export const GENERATED_CHECKS: readonly GeneratedCheck[] = [
  notAServerError,
  negativeDataRejection,
  ...CONFORMANCE_ON_GENERATED,
];

/** The rules the sequences check (publication-model.ts), by name, in report order. */
export const SEQUENCE_CHECKS = {
  joinOnce: 'sequence_join_once_returns_same_code',
  retry: 'sequence_source_id_retry_returns_first_publication',
  listed: 'sequence_created_publications_are_listed',
  holder: 'sequence_code_has_one_holder',
} as const;

/** Every check name of the family, in report order. */
export const GENERATED_CHECK_NAMES: readonly string[] = [
  ...GENERATED_CHECKS.map((c) => c.name),
  ...Object.values(SEQUENCE_CHECKS),
];
