/**
 * Where the target's data goes in a generated request. The schemas say a
 * customer id is a non-empty string; a valid request that is to succeed needs
 * the id of a customer the target has. These fields take the configured
 * campaign, voucher and customer (and now and then random text, which the
 * target answers with a documented 404); a new customer is one of the run's
 * own few (`contract-<runId>-fuzz-<n>`), and a publication's `source_id` is a
 * fresh name at every send, so a replay or a shrink never reads as a retry.
 *
 * Fields are named by their pointer in the request part they belong to,
 * whatever the operation: `/customer/id` is the create's customer in a query
 * or a body, `/customer` the list's customer filter.
 */
import fc from 'fast-check';
import type { TargetData } from '../target-data';

/** Stands for a name made at send time; replaced by `freshNames` (generated-case.ts). */
export const FRESH_NAME = '{fresh}';

/** How many customers of its own a run's generated creates publish to. */
export const RUN_CUSTOMERS = 3;

export type RequestPart = 'path' | 'query' | 'body';

export type ValuesAt = (
  part: RequestPart,
  pointer: string,
  random: fc.Arbitrary<string>,
) => fc.Arbitrary<string> | undefined;

/**
 * The optional fields a case leaves out most of the time: the configured
 * voucher publishes once, and with it the campaign is ignored, so a case that
 * names it is refused (`voucher_already_published`) from then on; and the
 * query's `campaign[count]` above 1 is always refused (`too_many_vouchers_requested`).
 */
export function rarelySent(part: RequestPart, pointer: string): boolean {
  return (part !== 'path' && pointer === '/voucher') || (part === 'query' && pointer === '/campaign/count');
}

/** The run's own customers, by source_id. */
export function runCustomerNames(runId: string): string[] {
  return Array.from({ length: RUN_CUSTOMERS }, (_, i) => `contract-${runId}-fuzz-${i + 1}`);
}

export function targetValues(data: TargetData, runId: string): ValuesAt {
  const customers = runCustomerNames(runId);
  // Mostly the target's value, so the request can succeed; now and then random text, which names nothing and must get
  // a documented error. Shrinks to the target's value.
  const mostly = (value: string, random: fc.Arbitrary<string>): fc.Arbitrary<string> =>
    fc.oneof({ withCrossShrink: true }, { weight: 9, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: random });
  return (part, pointer, random) => {
    if (part === 'path') {
      if (pointer === '/code') return mostly(data.voucher, random);
      if (pointer === '/customerId')
        return fc.oneof(
          { withCrossShrink: true },
          { weight: 3, arbitrary: fc.constant(data.customerId) },
          { weight: 1, arbitrary: fc.constantFrom(...customers) },
          { weight: 1, arbitrary: random },
        );
      return undefined;
    }
    switch (pointer) {
      case '/customer/id':
        return mostly(data.customerId, random);
      // Never random: a new customer per case would litter a shared target.
      case '/customer/source_id':
        return fc.constantFrom(...customers);
      case '/customer':
        return mostly(data.customerId, random);
      case '/campaign':
      case '/campaign/name':
        return mostly(data.campaign, random);
      case '/voucher':
        return mostly(data.voucher, random);
      case '/source_id':
        return fc.constant(FRESH_NAME);
      default:
        return undefined;
    }
  };
}
