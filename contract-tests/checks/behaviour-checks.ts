/**
 * Behaviour: the documented rules of the Publications API, each a small named
 * check over the exchanges of one scenario (see scenarios.ts for the requests).
 * Expected errors are never restated: each names the spec's own example for
 * that error (status, key, resource_type), read through the check context.
 *
 * No check can be passed by repeating one answer: a rule that builds on a
 * create first demands the publication asked for (customer, source_id), and a
 * rule about sameness has a sibling about difference (another customer gets
 * another code), so a stateless implementation fails them (prism-target.test.ts).
 */
import { renderValue } from '../../src/spec/explain-errors';
import { readCreateRequest } from '../create-request';
import { type Exchange, bodyObject, isRecord } from '../exchange';
import type { CheckContext, DocumentedError } from './check-context';
import { type BehaviourCheck, type CheckOutcome, type Failure, PASS, fail } from './check-outcome';

type Exchanges = ReadonlyMap<string, Exchange>;

/** The exchange with this label, or the reason it cannot be judged. */
function answered(exchanges: Exchanges, label: string): Exchange | CheckOutcome {
  const exchange = exchanges.get(label);
  if (!exchange) return { kind: 'error', reason: `the scenario sent no "${label}" request` };
  if (exchange.error || !exchange.response)
    return {
      kind: 'error',
      reason: `${label}: ${exchange.request.method} ${exchange.request.path}: ${exchange.error ?? 'no answer'}`,
    };
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
  return [
    { where: 'status', pointer: '', keyword: 'status', received: statusWithKey(exchange), documented: `200: ${why}` },
  ];
}

function voucherCode(exchange: Exchange): string | undefined {
  const voucher = bodyObject(exchange)?.voucher;
  return isRecord(voucher) && typeof voucher.code === 'string' ? voucher.code : undefined;
}

function publicationId(exchange: Exchange): string | undefined {
  const id = bodyObject(exchange)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** The answer against a documented error: its status, its key and, for not_found, the resource type. */
export function compareWithDocumentedError(exchange: Exchange, documented: DocumentedError): Failure[] {
  const failures: Failure[] = [];
  const source = `the spec's example "${documented.example}"`;
  if (exchange.response?.status !== documented.status) {
    failures.push({
      where: 'status',
      pointer: '',
      keyword: 'status',
      received: statusWithKey(exchange),
      documented: `${documented.status} (key "${documented.key}", ${source})`,
    });
    return failures;
  }
  const body = bodyObject(exchange);
  if (body?.key !== documented.key) {
    failures.push({
      where: 'body',
      pointer: '/key',
      keyword: 'key',
      received: renderValue(body?.key),
      documented: `"${documented.key}" (${source})`,
    });
  }
  if (documented.resourceType !== undefined && body?.resource_type !== documented.resourceType) {
    failures.push({
      where: 'body',
      pointer: '/resource_type',
      keyword: 'resource_type',
      received: renderValue(body?.resource_type),
      documented: `"${documented.resourceType}" (${source})`,
    });
  }
  return failures;
}

/**
 * A check that one request (labelled `ask`) is answered with a documented error.
 * `example` names, per operation, the spec example that documents it.
 */
function documentedErrorCheck(
  name: string,
  rule: string,
  example: (operationId: string) => readonly [status: number, example: string],
): BehaviourCheck {
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

/**
 * The answer is the publication the request asked for: to the customer it
 * named (by id, or by source_id) and with the source_id it gave. A stateless
 * implementation, repeating one example, answers with someone else's
 * publication; every rule that builds on a create fails there first.
 */
function expectRequestedPublication(exchange: Exchange): Failure[] {
  const asked = readCreateRequest(exchange);
  if (!asked) return [];
  const body = bodyObject(exchange);
  const customer = isRecord(body?.customer) ? body.customer : undefined;
  const failures: Failure[] = [];
  if (asked.customerId !== undefined && body?.customer_id !== asked.customerId) {
    failures.push({
      where: 'body',
      pointer: '/customer_id',
      keyword: 'behaviour',
      received: renderValue(body?.customer_id),
      documented: `${renderValue(asked.customerId)}, the customer the request named by id`,
    });
  } else if (
    asked.customerId === undefined &&
    asked.customerSourceId !== undefined &&
    customer?.source_id !== asked.customerSourceId
  ) {
    failures.push({
      where: 'body',
      pointer: '/customer/source_id',
      keyword: 'behaviour',
      received: renderValue(customer?.source_id),
      documented: `${renderValue(asked.customerSourceId)}, the customer the request named by source_id`,
    });
  }
  if (asked.sourceId !== undefined && body?.source_id !== asked.sourceId) {
    failures.push({
      where: 'body',
      pointer: '/source_id',
      keyword: 'behaviour',
      received: renderValue(body?.source_id),
      documented: `${renderValue(asked.sourceId)}, the source_id the request gave`,
    });
  }
  return failures;
}

/** A create the rule builds on: it succeeded, and it is the publication asked for. */
function expectPublished(exchange: Exchange, why: string): Failure[] {
  const failed = expectSuccess(exchange, why);
  return failed.length ? failed : expectRequestedPublication(exchange);
}

/**
 * The answers with these labels, each a successful create of the publication asked for; or why the rule cannot be
 * judged.
 */
function publishedAnswers(exchanges: Exchanges, labels: readonly string[], why: string): Exchange[] | CheckOutcome {
  const answers: Exchange[] = [];
  for (const label of labels) {
    const exchange = answered(exchanges, label);
    if (!isExchange(exchange)) return exchange;
    const precondition = expectPublished(exchange, why);
    if (precondition.length) return fail(precondition, exchange);
    answers.push(exchange);
  }
  return answers;
}

/** Compares one field of two successful creates: `same` demands equal values, otherwise different ones. */
function compareCreates(spec: {
  name: string;
  rule: string;
  labels: readonly [string, string];
  why: string;
  field: 'code' | 'id';
  same: boolean;
}): BehaviourCheck {
  const [firstLabel] = spec.labels;
  const pointer = spec.field === 'code' ? '/voucher/code' : '/id';
  const read = spec.field === 'code' ? voucherCode : publicationId;
  const noun = spec.field === 'code' ? 'voucher.code' : 'publication id';
  return {
    name: spec.name,
    rule: spec.rule,
    run(_ctx: CheckContext, exchanges: Exchanges): CheckOutcome {
      const answers = publishedAnswers(exchanges, spec.labels, spec.why);
      if (!Array.isArray(answers)) return answers;
      const [first, second] = answers as [Exchange, Exchange];
      const value = read(first);
      if (value === undefined) return { kind: 'error', reason: `${firstLabel}: the answer has no ${noun} to compare` };
      const other = read(second);
      if (spec.same && other === value) return PASS;
      if (!spec.same && other !== undefined && other !== value) return PASS;
      const received =
        other === undefined
          ? `no ${noun}`
          : spec.same
            ? `${renderValue(other)} (another one)`
            : `${renderValue(other)}, the same as the ${firstLabel} answer's`;
      const documented = spec.same
        ? `${renderValue(value)}, the ${noun} of the ${firstLabel} answer (${spec.rule})`
        : `a ${noun} other than ${renderValue(value)} (${spec.rule})`;
      return fail([{ where: 'body', pointer, keyword: 'behaviour', received, documented }], second);
    },
  };
}

export const joinOnceReturnsSameCode = compareCreates({
  name: 'join_once_returns_same_code',
  rule: 'join_once=true repeats for a customer return that customer the same code',
  labels: ['first', 'repeat'],
  why: 'publishing from the campaign with join_once=true for a new customer',
  field: 'code',
  same: true,
});

export const joinOnceGivesEachCustomerOwnCode = compareCreates({
  name: 'join_once_gives_each_customer_own_code',
  rule: 'join_once=true for two different customers gives each a code of their own',
  labels: ['first', 'other'],
  why: 'publishing from the campaign with join_once=true for a new customer',
  field: 'code',
  same: false,
});

export const joinOnceGivesEachCustomerOwnPublication = compareCreates({
  name: 'join_once_gives_each_customer_own_publication',
  rule: 'join_once=true for two different customers gives each a publication of their own',
  labels: ['first', 'other'],
  why: 'publishing from the campaign with join_once=true for a new customer',
  field: 'id',
  same: false,
});

export const sourceIdRetryReturnsFirstCode = compareCreates({
  name: 'source_id_retry_returns_first_code',
  rule: 'a retry with the same source_id returns the code assigned the first time',
  labels: ['first', 'retry'],
  why: 'publishing from the campaign with a new source_id for a new customer',
  field: 'code',
  same: true,
});

export const sourceIdRetryReturnsFirstPublication = compareCreates({
  name: 'source_id_retry_returns_first_publication',
  rule: 'a retry with the same source_id returns the publication made the first time (same id)',
  labels: ['first', 'retry'],
  why: 'publishing from the campaign with a new source_id for a new customer',
  field: 'id',
  same: true,
});

export const sourceIdReuseGivesDuplicateSourceId = documentedErrorCheck(
  'source_id_reuse_gives_duplicate_source_id',
  'reusing a source_id for another customer gives duplicate_source_id',
  () => [400, 'duplicate_source_id'],
);

/**
 * A check that a create answered with what its request named: the customer's source_id, or the publication's source_id.
 */
function echoCheck(name: string, rule: string, label: string, field: 'customerSourceId' | 'sourceId'): BehaviourCheck {
  return {
    name,
    rule,
    run(_ctx, exchanges) {
      const ask = answered(exchanges, label);
      if (!isExchange(ask)) return ask;
      const sent = readCreateRequest(ask)?.[field];
      if (sent === undefined)
        return {
          kind: 'error',
          reason: `${label}: the request names no ${field === 'sourceId' ? 'source_id' : 'customer source_id'}`,
        };
      const precondition = expectSuccess(ask, 'publishing from the campaign');
      if (precondition.length) return fail(precondition, ask);
      const body = bodyObject(ask);
      const failures: Failure[] = [];
      const expect = (pointer: string, value: unknown): void => {
        if (value !== sent)
          failures.push({
            where: 'body',
            pointer,
            keyword: 'behaviour',
            received: renderValue(value),
            documented: `${renderValue(sent)}, as the request gave it (${rule})`,
          });
      };
      if (field === 'sourceId') {
        expect('/source_id', body?.source_id);
      } else {
        expect('/customer/source_id', isRecord(body?.customer) ? body.customer.source_id : undefined);
        // tracking_id is the customer's source_id where the answer carries it.
        if (body !== undefined && 'tracking_id' in body) expect('/tracking_id', body.tracking_id);
      }
      return fail(failures, ask);
    },
  };
}

export const createdCustomerHasRequestedSourceId = echoCheck(
  'created_customer_has_requested_source_id',
  'a customer created by customer.source_id in a create is answered with that source_id',
  'ask',
  'customerSourceId',
);

export const createdPublicationHasRequestedSourceId = echoCheck(
  'created_publication_has_requested_source_id',
  'a create with a source_id is answered with that source_id',
  'first',
  'sourceId',
);

/** The codes a publication (created or listed) carries: `voucher.code`, or `vouchers` for several. */
function codesOf(publication: Record<string, unknown>): string[] {
  const voucher = publication.voucher;
  if (isRecord(voucher) && typeof voucher.code === 'string') return [voucher.code];
  return Array.isArray(publication.vouchers)
    ? publication.vouchers.filter((code): code is string => typeof code === 'string')
    : [];
}

/**
 * A check that the publication made by the `first` create is in the list answered to `listLabel`, with its id and its
 * code.
 */
function listedCheck(name: string, rule: string, listLabel: string, filter: string): BehaviourCheck {
  return {
    name,
    rule,
    run(_ctx, exchanges) {
      const answers = publishedAnswers(
        exchanges,
        ['first'],
        'publishing from the campaign with a new source_id for a new customer',
      );
      if (!Array.isArray(answers)) return answers;
      const [first] = answers as [Exchange];
      const id = publicationId(first);
      const code = voucherCode(first);
      if (id === undefined || code === undefined)
        return { kind: 'error', reason: 'first: the answer has no publication id and voucher code to look for' };
      const list = answered(exchanges, listLabel);
      if (!isExchange(list)) return list;
      const listed = expectSuccess(list, `listing publications by ${filter}`);
      if (listed.length) return fail(listed, list);
      const publications = bodyObject(list)?.publications;
      const items = (Array.isArray(publications) ? publications : []).filter(isRecord);
      const index = items.findIndex((item) => item.id === id);
      const item = items[index];
      if (!item) {
        return fail(
          [
            {
              where: 'body',
              pointer: '/publications',
              keyword: 'behaviour',
              received: `${items.length} publication(s), none with id ${renderValue(id)}`,
              documented: `the publication just created (${renderValue(id)}), found by its ${filter}`,
            },
          ],
          list,
        );
      }
      if (codesOf(item).includes(code)) return PASS;
      return fail(
        [
          {
            where: 'body',
            pointer: `/publications/${index}/voucher/code`,
            keyword: 'behaviour',
            received: renderValue(codesOf(item)[0]),
            documented: `${renderValue(code)}, the code the create answered for publication ${renderValue(id)}`,
          },
        ],
        list,
      );
    },
  };
}

export const createdPublicationIsListed = listedCheck(
  'created_publication_is_listed',
  'a created publication is then found by GET /v1/publications?source_id=…, with the same id and code',
  'list',
  'source_id',
);

export const createdPublicationIsListedForCustomer = listedCheck(
  'created_publication_is_listed_for_customer',
  'a created publication is then found by GET /v1/publications?customer=…, with the same id and code',
  'list_by_customer',
  'customer id',
);

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
      return fail(
        [{ where: 'body', pointer: '/vouchers', keyword: 'behaviour', received: renderValue(vouchers), documented }],
        many,
      );
    }
    const distinct = new Set(vouchers.filter((code) => typeof code === 'string'));
    if (vouchers.length === count && distinct.size === count) return PASS;
    return fail(
      [
        {
          where: 'body',
          pointer: '/vouchers',
          keyword: 'behaviour',
          received: `${vouchers.length} codes, ${distinct.size} distinct`,
          documented,
        },
      ],
      many,
    );
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

export const unknownVoucherGivesNotFound = documentedErrorCheck(
  'unknown_voucher_gives_not_found',
  'an unknown voucher code gives 404 not_found (resource_type voucher)',
  () => [404, 'not_found_voucher'],
);

/** A read that must answer 200 with these values (after a create the check builds on), compared field by field. */
function readAfterPublishCheck(
  name: string,
  rule: string,
  readLabels: readonly string[],
  expected: (publish: Exchange) => Array<[pointer: string, value: string, what: string]>,
): BehaviourCheck {
  return {
    name,
    rule,
    run(_ctx, exchanges) {
      const answers = publishedAnswers(exchanges, ['publish'], 'publishing from the campaign for a new customer');
      if (!Array.isArray(answers)) return answers;
      const [publish] = answers as [Exchange];
      const values = expected(publish);
      for (const label of readLabels) {
        const read = answered(exchanges, label);
        if (!isExchange(read)) return read;
        const ok = expectSuccess(read, rule);
        if (ok.length) return fail(ok, read);
        const body = bodyObject(read);
        const failures: Failure[] = [];
        for (const [pointer, value, what] of values) {
          const actual = pointer
            .split('/')
            .slice(1)
            .reduce<unknown>((at, part) => (isRecord(at) ? at[part] : undefined), body);
          if (actual !== value)
            failures.push({
              where: 'body',
              pointer,
              keyword: 'behaviour',
              received: renderValue(actual),
              documented: `${renderValue(value)}, ${what}`,
            });
        }
        if (failures.length) return fail(failures, read);
      }
      return PASS;
    },
  };
}

/** A string field of the answer, or '' (which no value the checks compare with equals) when it has none. */
function field(exchange: Exchange, name: string): string {
  const value = bodyObject(exchange)?.[name];
  return typeof value === 'string' ? value : '';
}

export const publishedCodeIsHeldByCustomer = readAfterPublishCheck(
  'published_code_is_held_by_customer',
  'GET /v1/vouchers/{code} after a publication answers the code with holder_id the customer it was published to',
  ['read'],
  (publish) => [
    ['/code', voucherCode(publish) ?? '', 'the code the create answered'],
    ['/holder_id', field(publish, 'customer_id'), 'the customer the create published it to'],
  ],
);

export const createdCustomerIsFoundById = readAfterPublishCheck(
  'created_customer_is_found_by_id',
  'GET /v1/customers/{id} finds the customer a create made, with its source_id',
  ['by_id'],
  (publish) => [
    ['/id', field(publish, 'customer_id'), 'the customer_id the create answered'],
    ['/source_id', readCreateRequest(publish)?.customerSourceId ?? '', 'the source_id the create gave'],
  ],
);

export const createdCustomerIsFoundBySourceId = readAfterPublishCheck(
  'created_customer_is_found_by_source_id',
  'GET /v1/customers/{source_id} finds the customer a create made by that source_id',
  ['by_source_id'],
  (publish) => [
    ['/id', field(publish, 'customer_id'), 'the customer_id the create answered'],
    ['/source_id', readCreateRequest(publish)?.customerSourceId ?? '', 'the source_id the create gave'],
  ],
);

export const alreadyPublishedCodeGivesVoucherAlreadyPublished: BehaviourCheck = {
  name: 'already_published_code_gives_voucher_already_published',
  rule: 'asking for a code published to another customer gives voucher_already_published',
  run(ctx, exchanges) {
    const publish = answered(exchanges, 'publish');
    if (!isExchange(publish)) return publish;
    const precondition = expectPublished(publish, 'publishing a code from the campaign for a new customer');
    if (precondition.length) return fail(precondition, publish);
    const ask = answered(exchanges, 'ask');
    if (!isExchange(ask)) return ask;
    return fail(
      compareWithDocumentedError(ask, ctx.documentedError(ask.operationId, 400, 'voucher_already_published')),
      ask,
    );
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
  createdCustomerHasRequestedSourceId,
  createdPublicationHasRequestedSourceId,
  joinOnceReturnsSameCode,
  joinOnceGivesEachCustomerOwnCode,
  joinOnceGivesEachCustomerOwnPublication,
  sourceIdRetryReturnsFirstCode,
  sourceIdRetryReturnsFirstPublication,
  sourceIdReuseGivesDuplicateSourceId,
  createdPublicationIsListed,
  createdPublicationIsListedForCustomer,
  campaignCountGivesDistinctCodes,
  countAboveOneGivesTooManyVouchersRequested,
  missingCustomerGivesDocumentedError,
  missingVoucherAndCampaignGivesMissingVouchers,
  unknownCampaignGivesNotFound,
  unknownCustomerIdGivesNotFound,
  unknownVoucherGivesNotFound,
  alreadyPublishedCodeGivesVoucherAlreadyPublished,
  publishedCodeIsHeldByCustomer,
  createdCustomerIsFoundById,
  createdCustomerIsFoundBySourceId,
  pageOver1000GivesPageOverLimit,
  noCredentialsGivesUnauthorized,
];
