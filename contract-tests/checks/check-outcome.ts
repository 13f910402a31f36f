/**
 * What a check returns. Checks are small named functions, in the manner of
 * Schemathesis: they take the context and the exchange(s), return early when
 * they do not apply, and fail with what was received and what is documented.
 */
import type { CheckContext } from './check-context';
import type { Exchange } from '../exchange';

export interface Failure {
  /**
   * The part of the exchange at fault: the status code, a header, or the body (then `pointer` is a JSON pointer into
   * it).
   */
  where: 'status' | 'header' | 'body';
  /** JSON pointer into the body ('' for the body itself), or the header's name. */
  pointer: string;
  keyword: string;
  received: string;
  documented: string;
}

export type CheckOutcome =
  | { kind: 'pass' }
  | { kind: 'fail'; failures: Failure[]; exchange?: Exchange }
  | { kind: 'not_applicable'; reason: string }
  | { kind: 'error'; reason: string };

/** `generated`: the checks of `--fuzz` (fuzz/generated-checks.ts). */
export type CheckFamily = 'conformance' | 'behaviour' | 'generated';

/** A conformance check: one exchange, judged against the spec alone. */
export interface ConformanceCheck {
  name: string;
  run(ctx: CheckContext, exchange: Exchange): CheckOutcome;
}

/**
 * A behaviour check: the exchanges of one scenario, judged against a documented
 * rule. `exchanges` are the scenario's, by label. A failure names the exchange it
 * is about, so the report can say which request broke the rule.
 */
export interface BehaviourCheck {
  name: string;
  /** The rule, in one line, for reports. */
  rule: string;
  run(ctx: CheckContext, exchanges: ReadonlyMap<string, Exchange>): CheckOutcome;
}

export const PASS: CheckOutcome = Object.freeze({ kind: 'pass' });

export function fail(failures: Failure[], exchange?: Exchange): CheckOutcome {
  return failures.length ? { kind: 'fail', failures, ...(exchange ? { exchange } : {}) } : PASS;
}
