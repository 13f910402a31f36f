/**
 * Behaviour: the documented rules of the Publications API, each a small named
 * check over the exchanges of one scenario (see scenarios.ts for the requests).
 * Expected errors are never restated: each names the spec's own example for
 * that error (status, key, resource_type), read through the check context.
 */
import { renderValue } from '../../src/openapi/explain-errors';
import { type Exchange, bodyObject, isRecord } from '../exchange';
import type { CheckContext, DocumentedError } from './check-context';
import { type BehaviourCheck, type CheckOutcome, type Failure, PASS, fail } from './check-outcome';

type Exchanges = ReadonlyMap<string, Exchange>;

/** The exchange with this label, or the reason it cannot be judged. */
function answered(exchanges: Exchanges, label: string): Exchange | CheckOutcome {
  const exchange = exchanges.get(label);
  if (!exchange) return { kind: 'error', reason: `the scenario sent no "${label}" request` };
  if (exchange.error || !exchange.response) return { kind: 'error', reason: `${label}: ${exchange.request.method} ${exchange.request.path}: ${exchange.error ?? 'no answer'}` };
  return exchange;
}

function isExchange(value: Exchange | CheckOutcome): value is Exchange {
  return 'request' in value;
}

function statusWithKey(exchange: Exchange): string {
  const key = bodyObject(exchange)?.key;
  return `${exchange.response?.status ?? 'no answer'}${typeof key === 'string' ? ` (key "${key}")` : ''}`;
}

/** A request the rule builds on must have succeeded; otherwise the rule cannot hold. */
function expectSuccess(exchange: Exchange, why: string): Failure[] {
  if (exchange.response?.status === 200) return [];
  return [{ where: 'status', pointer: '', keyword: 'status', received: statusWithKey(exchange), documented: `200: ${why}` }];
}

function voucherCode(exchange: Exchange): string | undefined {
  const voucher = bodyObject(exchange)?.voucher;
  return isRecord(voucher) && typeof voucher.code === 'string' ? voucher.code : undefined;
}

/** The answer against a documented error: its status, its key and, for not_found, the resource type. */
export function compareWithDocumentedError(exchange: Exchange, documented: DocumentedError): Failure[] {
  const failures: Failure[] = [];
  const source = `the spec's example "${documented.example}"`;
  if (exchange.response?.status !== documented.status) {
    failures.push({ where: 'status', pointer: '', keyword: 'status', received: statusWithKey(exchange), documented: `${documented.status} (key "${documented.key}", ${source})` });
    return failures;
  }
  const body = bodyObject(exchange);
  if (body?.key !== documented.key) {
    failures.push({ where: 'body', pointer: '/key', keyword: 'key', received: renderValue(body?.key), documented: `"${documented.key}" (${source})` });
  }
  if (documented.resourceType !== undefined && body?.resource_type !== documented.resourceType) {
    failures.push({ where: 'body', pointer: '/resource_type', keyword: 'resource_type', received: renderValue(body?.resource_type), documented: `"${documented.resourceType}" (${source})` });
  }
  return failures;
}

/**
 * A check that one request (labelled `ask`) is answered with a documented error.
 * `example` names, per operation, the spec example that documents it.
 */
function documentedErrorCheck(name: string, rule: string, example: (operationId: string) => readonly [status: number, example: string]): BehaviourCheck {
  return {
    name,
    rule,
    run(ctx: CheckContext, exchanges: Exchanges): CheckOutcome {
      const ask = answered(exchanges, 'ask');
      if (!isExchange(ask)) return ask;
      const [status, exampleName] = example(ask.operationId);
      return fail(compareWithDocumentedError(ask, ctx.documentedError(ask.operationId, status, exampleName)), ask);
    },
  };
}

/** Two answers that must carry the same voucher code. */
function sameCodeCheck(name: string, rule: string, firstLabel: string, repeatLabel: string, why: string): BehaviourCheck {
  return {
    name,
    rule,
    run(_ctx: CheckContext, exchanges: Exchanges): CheckOutcome {
      const first = answered(exchanges, firstLabel);
      if (!isExchange(first)) return first;
      const repeat = answered(exchanges, repeatLabel);
      if (!isExchange(repeat)) return repeat;
      const precondition = expectSuccess(first, why);
      if (precondition.length) return fail(precondition, first);
      const repeated = expectSuccess(repeat, rule);
      if (repeated.length) return fail(repeated, repeat);
      const code = voucherCode(first);
      const again = voucherCode(repeat);
      if (code === undefined) return { kind: 'error', reason: `${firstLabel}: the answer has no voucher.code to compare` };
      if (again === code) return PASS;
      return fail([{ where: 'body', pointer: '/voucher/code', keyword: 'behaviour', received: again === undefined ? 'no voucher code' : `${renderValue(again)} (another code)`, documented: `${renderValue(code)}, the code of the first answer (${rule})` }], repeat);
    },
  };
}

export const joinOnceReturnsSameCode = sameCodeCheck(
  'join_once_returns_same_code',
  'join_once=true repeats return the same code',
  'first',
  'repeat',
  'publishing from the campaign with join_once=true for a new customer',
);

export const sourceIdRetryReturnsFirstCode = sameCodeCheck(
  'source_id_retry_returns_first_code',
  'a retry with the same source_id returns the code assigned the first time',
  'first',
  'retry',
  'publishing from the campaign with a new source_id for a new customer',
);

export const sourceIdReuseGivesDuplicateSourceId = documentedErrorCheck(
  'source_id_reuse_gives_duplicate_source_id',
  'reusing a source_id for another customer gives duplicate_source_id',
  () => [400, 'duplicate_source_id'],
);

export const createdPublicationIsListed: BehaviourCheck = {
  name: 'created_publication_is_listed',
  rule: 'a created publication is then found by GET /v1/publications (source_id filter)',
  run(_ctx, exchanges) {
    const first = answered(exchanges, 'first');
    if (!isExchange(first)) return first;
    const list = answered(exchanges, 'list');
    if (!isExchange(list)) return list;
    const precondition = expectSuccess(first, 'publishing from the campaign with a new source_id');
    if (precondition.length) return fail(precondition, first);
    const id = bodyObject(first)?.id;
    if (typeof id !== 'string') return { kind: 'error', reason: 'first: the answer has no publication id to look for' };
    const listed = expectSuccess(list, 'listing publications by source_id');
    if (listed.length) return fail(listed, list);
    const publications = bodyObject(list)?.publications;
    const items = Array.isArray(publications) ? publications : [];
    if (items.some((item) => isRecord(item) && item.id === id)) return PASS;
    return fail([{ where: 'body', pointer: '/publications', keyword: 'behaviour', received: `${items.length} publication(s), none with id ${renderValue(id)}`, documented: `the publication just created (${renderValue(id)}), found by its source_id` }], list);
  },
};

export const campaignCountGivesDistinctCodes: BehaviourCheck = {
  name: 'campaign_count_gives_distinct_codes',
  rule: 'campaign.count N publishes N distinct codes',
  run(_ctx, exchanges) {
    const many = answered(exchanges, 'many');
    if (!isExchange(many)) return many;
    const campaign = isRecord(many.request.body) ? many.request.body.campaign : undefined;
    const count = isRecord(campaign) && typeof campaign.count === 'number' ? campaign.count : undefined;
    if (count === undefined) return { kind: 'error', reason: 'many: the request has no campaign.count' };
    const precondition = expectSuccess(many, `publishing ${count} codes from the campaign`);
    if (precondition.length) return fail(precondition, many);
    const vouchers = bodyObject(many)?.vouchers;
    const documented = `${count} distinct codes (campaign.count ${count})`;
    if (!Array.isArray(vouchers)) {
      return fail([{ where: 'body', pointer: '/vouchers', keyword: 'behaviour', received: renderValue(vouchers), documented }], many);
    }
    const distinct = new Set(vouchers.filter((code) => typeof code === 'string'));
    if (vouchers.length === count && distinct.size === count) return PASS;
    return fail([{ where: 'body', pointer: '/vouchers', keyword: 'behaviour', received: `${vouchers.length} codes, ${distinct.size} distinct`, documented }], many);
  },
};

export const countAboveOneGivesTooManyVouchersRequested = documentedErrorCheck(
  'count_above_one_gives_too_many_vouchers_requested',
  'GET …/create with campaign[count] 2 gives too_many_vouchers_requested',
  () => [400, 'too_many_vouchers_requested'],
);

export const missingCustomerGivesDocumentedError = documentedErrorCheck(
  'missing_customer_gives_documented_error',
  'a request without a customer gives invalid_query_params (query) or invalid_payload (body)',
  (operationId) => (operationId === 'createPublication' ? [400, 'invalid_payload'] : [400, 'invalid_query_params']),
);

export const missingVoucherAndCampaignGivesMissingVouchers = documentedErrorCheck(
  'missing_voucher_and_campaign_gives_missing_vouchers',
  'a request with neither voucher nor campaign gives missing_vouchers',
  () => [400, 'missing_vouchers'],
);

export const unknownCampaignGivesNotFound = documentedErrorCheck(
  'unknown_campaign_gives_not_found',
  'an unknown campaign gives 404 not_found (resource_type campaign)',
  () => [404, 'not_found_campaign'],
);

export const unknownCustomerIdGivesNotFound = documentedErrorCheck(
  'unknown_customer_id_gives_not_found',
  'an unknown customer id gives 404 not_found (resource_type customer)',
  () => [404, 'not_found'],
);

export const alreadyPublishedCodeGivesVoucherAlreadyPublished: BehaviourCheck = {
  name: 'already_published_code_gives_voucher_already_published',
  rule: 'asking for a code published to another customer gives voucher_already_published',
  run(ctx, exchanges) {
    const publish = answered(exchanges, 'publish');
    if (!isExchange(publish)) return publish;
    const precondition = expectSuccess(publish, 'publishing a code from the campaign for a new customer');
    if (precondition.length) return fail(precondition, publish);
    const ask = answered(exchanges, 'ask');
    if (!isExchange(ask)) return ask;
    return fail(compareWithDocumentedError(ask, ctx.documentedError(ask.operationId, 400, 'voucher_already_published')), ask);
  },
};

export const pageOver1000GivesPageOverLimit = documentedErrorCheck(
  'page_over_1000_gives_page_over_limit',
  'GET /v1/publications with page 1001 gives page_over_limit',
  () => [400, 'page_over_limit'],
);

export const noCredentialsGivesUnauthorized = documentedErrorCheck(
  'no_credentials_gives_unauthorized',
  'a request without credentials gives 401 unauthorized',
  () => [401, 'unauthorized'],
);

/** Every behaviour check, in report order. */
export const BEHAVIOUR_CHECKS: readonly BehaviourCheck[] = [
  joinOnceReturnsSameCode,
  sourceIdRetryReturnsFirstCode,
  sourceIdReuseGivesDuplicateSourceId,
  createdPublicationIsListed,
  campaignCountGivesDistinctCodes,
  countAboveOneGivesTooManyVouchersRequested,
  missingCustomerGivesDocumentedError,
  missingVoucherAndCampaignGivesMissingVouchers,
  unknownCampaignGivesNotFound,
  unknownCustomerIdGivesNotFound,
  alreadyPublishedCodeGivesVoucherAlreadyPublished,
  pageOver1000GivesPageOverLimit,
  noCredentialsGivesUnauthorized,
];
