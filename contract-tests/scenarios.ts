/**
 * The requests the suite sends, built from what the target's data holds.
 *
 * `schema` scenarios ask only what every conforming implementation answers
 * (Prism included): their answers are judged by the conformance checks, plus the
 * behaviour checks attached to them when the run checks everything. `behaviour`
 * scenarios exercise the documented rules and run only with `--checks all`.
 *
 * Each scenario declares whether it changes the target and how many publications
 * (successful or recorded as failed) it may leave on a conforming target, for
 * `--read-only` and `--max-publications`. Customers are new ones, named after the
 * run (`contract-<runId>-…`), so runs against a shared target never collide.
 */
import {
  alreadyPublishedCodeGivesVoucherAlreadyPublished,
  campaignCountGivesDistinctCodes,
  countAboveOneGivesTooManyVouchersRequested,
  createdCustomerHasRequestedSourceId,
  createdCustomerIsFoundById,
  createdCustomerIsFoundBySourceId,
  createdPublicationHasRequestedSourceId,
  createdPublicationIsListed,
  createdPublicationIsListedForCustomer,
  joinOnceGivesEachCustomerOwnCode,
  joinOnceGivesEachCustomerOwnPublication,
  joinOnceReturnsSameCode,
  missingCustomerGivesDocumentedError,
  missingVoucherAndCampaignGivesMissingVouchers,
  noCredentialsGivesUnauthorized,
  pageOver1000GivesPageOverLimit,
  publishedCodeIsHeldByCustomer,
  sourceIdRetryReturnsFirstCode,
  sourceIdRetryReturnsFirstPublication,
  sourceIdReuseGivesDuplicateSourceId,
  unknownCampaignGivesNotFound,
  unknownCustomerIdGivesNotFound,
  unknownVoucherGivesNotFound,
} from './checks/behaviour-checks';
import type { BehaviourCheck } from './checks/check-outcome';
import { type Exchange, bodyObject, isRecord } from './exchange';
import type { RequestSpec } from './http-client';
import { getOperation } from '../src/spec/operations';
import type { TargetData } from './target-data';

export type Send = (label: string, request: RequestSpec) => Promise<Exchange>;

export interface Scenario {
  id: string;
  /** The operation whose behaviour the attached checks judge. */
  operationId: string;
  summary: string;
  family: 'schema' | 'behaviour';
  /** Changes nothing on the target: no publication, no customer, no failure record. */
  readOnly: boolean;
  /** The most publications it may leave on a conforming target. */
  publications: number;
  /** Judged with `--checks all`. */
  checks: BehaviourCheck[];
  run(send: Send, pause: (ms: number) => Promise<void>): Promise<void>;
}

const CREATE_FROM_QUERY = 'createPublicationFromQuery';
const CREATE = 'createPublication';
const LIST = 'listPublications';
const GET_VOUCHER = 'getVoucher';
const GET_CUSTOMER = 'getCustomer';

/** After a create, how long to keep looking for it in the list (an index may lag on a real deployment). */
export const LIST_RETRY_DELAYS_MS: readonly number[] = [300, 700];

function pathOf(operationId: string): string {
  return getOperation(operationId).path;
}

function createFromQuery(query: Record<string, string>, options: { authenticated?: boolean } = {}): RequestSpec {
  return {
    operationId: CREATE_FROM_QUERY,
    method: 'GET',
    path: pathOf(CREATE_FROM_QUERY),
    query,
    idempotent: 'source_id' in query,
    ...options,
  };
}

function createFromBody(
  body: Record<string, unknown>,
  options: { joinOnce?: boolean; authenticated?: boolean } = {},
): RequestSpec {
  return {
    operationId: CREATE,
    method: 'POST',
    path: pathOf(CREATE),
    body,
    idempotent: 'source_id' in body,
    ...(options.joinOnce ? { query: { join_once: 'true' } } : {}),
    ...(options.authenticated === undefined ? {} : { authenticated: options.authenticated }),
  };
}

/** A read of one resource: `getVoucher` by code or id, `getCustomer` by id or source_id. */
function read(
  operationId: typeof GET_VOUCHER | typeof GET_CUSTOMER,
  key: string,
  options: { authenticated?: boolean } = {},
): RequestSpec {
  const path = pathOf(operationId).replace(/\{\w+\}/, encodeURIComponent(key));
  return { operationId, method: 'GET', path, idempotent: true, ...options };
}

function list(query: Record<string, string>, options: { authenticated?: boolean } = {}): RequestSpec {
  return { operationId: LIST, method: 'GET', path: pathOf(LIST), query, idempotent: true, ...options };
}

/** Sends the list request (labelled `label`) until the publication created by `first` shows up, a few times at most. */
async function listUntilFound(
  send: Send,
  pause: (ms: number) => Promise<void>,
  first: Exchange,
  label: string,
  request: RequestSpec,
): Promise<void> {
  const id = bodyObject(first)?.id;
  for (let attempt = 0; ; attempt++) {
    const answer = await send(label, request);
    const publications = bodyObject(answer)?.publications;
    const found = Array.isArray(publications) && publications.some((p) => isRecord(p) && p.id === id);
    const delay = LIST_RETRY_DELAYS_MS[attempt];
    if (found || typeof id !== 'string' || answer.response?.status !== 200 || delay === undefined) return;
    await pause(delay);
  }
}

/** The publication made by `first`, looked for by its source_id and by its customer. */
async function listTheFirst(
  send: Send,
  pause: (ms: number) => Promise<void>,
  first: Exchange,
  sourceId: string,
): Promise<void> {
  await listUntilFound(send, pause, first, 'list', list({ source_id: sourceId }));
  const customerId = bodyObject(first)?.customer_id;
  if (typeof customerId === 'string')
    await listUntilFound(send, pause, first, 'list_by_customer', list({ customer: customerId }));
}

/** The rules a create with a new source_id, its retry and its reuse exercise. */
const SOURCE_ID_CHECKS: BehaviourCheck[] = [
  createdPublicationHasRequestedSourceId,
  sourceIdRetryReturnsFirstCode,
  sourceIdRetryReturnsFirstPublication,
  createdPublicationIsListed,
  createdPublicationIsListedForCustomer,
  sourceIdReuseGivesDuplicateSourceId,
];

export function buildScenarios(data: TargetData, runId: string): Scenario[] {
  const customer = (scenario: string): string => `contract-${runId}-${scenario}`;
  const unknownCustomerId = `cust_${runId}NoSuchCustomer`;
  const unknownCampaign = `contract-${runId}-no-such-campaign`;
  const unknownVoucher = `NOSUCH${runId}`;

  const schema: Scenario[] = [
    {
      id: 'list_publications',
      operationId: LIST,
      summary: 'GET /v1/publications, first page',
      family: 'schema',
      readOnly: true,
      publications: 0,
      checks: [],
      run: async (send) => void (await send('ask', list({ limit: '10' }))),
    },
    {
      id: 'list_publications_filtered',
      operationId: LIST,
      summary: 'GET /v1/publications with order and filters',
      family: 'schema',
      readOnly: true,
      publications: 0,
      checks: [],
      run: async (send) =>
        void (await send(
          'ask',
          list({
            limit: '5',
            order: '-created_at',
            'filters[junction]': 'or',
            'filters[result][conditions][$in][0]': 'SUCCESS',
            'filters[result][conditions][$in][1]': 'FAILURE',
          }),
        )),
    },
    {
      id: 'no_credentials_list',
      operationId: LIST,
      summary: 'GET /v1/publications without credentials',
      family: 'schema',
      readOnly: true,
      publications: 0,
      checks: [noCredentialsGivesUnauthorized],
      run: async (send) => void (await send('ask', list({ limit: '1' }, { authenticated: false }))),
    },
    {
      id: 'no_credentials_create_from_query',
      operationId: CREATE_FROM_QUERY,
      summary: 'GET …/create without credentials',
      family: 'schema',
      readOnly: true,
      publications: 0,
      checks: [noCredentialsGivesUnauthorized],
      run: async (send) =>
        void (await send(
          'ask',
          createFromQuery(
            { 'campaign[name]': data.campaign, 'customer[source_id]': customer('no-credentials') },
            { authenticated: false },
          ),
        )),
    },
    {
      id: 'no_credentials_create',
      operationId: CREATE,
      summary: 'POST /v1/publications without credentials',
      family: 'schema',
      readOnly: true,
      publications: 0,
      checks: [noCredentialsGivesUnauthorized],
      run: async (send) =>
        void (await send(
          'ask',
          createFromBody(
            { campaign: data.campaign, customer: { source_id: customer('no-credentials') } },
            { authenticated: false },
          ),
        )),
    },
    {
      id: 'no_credentials_get_voucher',
      operationId: GET_VOUCHER,
      summary: 'GET /v1/vouchers/{code} without credentials',
      family: 'schema',
      readOnly: true,
      publications: 0,
      checks: [noCredentialsGivesUnauthorized],
      run: async (send) => void (await send('ask', read(GET_VOUCHER, data.voucher, { authenticated: false }))),
    },
    {
      id: 'no_credentials_get_customer',
      operationId: GET_CUSTOMER,
      summary: 'GET /v1/customers/{customerId} without credentials',
      family: 'schema',
      readOnly: true,
      publications: 0,
      checks: [noCredentialsGivesUnauthorized],
      run: async (send) => void (await send('ask', read(GET_CUSTOMER, data.customerId, { authenticated: false }))),
    },
    // Without a customer nothing can be published or recorded: these change nothing.
    {
      id: 'missing_customer_create_from_query',
      operationId: CREATE_FROM_QUERY,
      summary: 'GET …/create without a customer',
      family: 'schema',
      readOnly: true,
      publications: 0,
      checks: [missingCustomerGivesDocumentedError],
      run: async (send) => void (await send('ask', createFromQuery({ 'campaign[name]': data.campaign }))),
    },
    {
      id: 'missing_customer_create',
      operationId: CREATE,
      summary: 'POST /v1/publications without a customer',
      family: 'schema',
      readOnly: true,
      publications: 0,
      checks: [missingCustomerGivesDocumentedError],
      run: async (send) => void (await send('ask', createFromBody({ campaign: data.campaign }))),
    },
    {
      id: 'publish_from_campaign_query',
      operationId: CREATE_FROM_QUERY,
      summary: 'GET …/create from the campaign for a new customer',
      family: 'schema',
      readOnly: false,
      publications: 1,
      checks: [createdCustomerHasRequestedSourceId],
      run: async (send) =>
        void (await send(
          'ask',
          createFromQuery({ 'campaign[name]': data.campaign, 'customer[source_id]': customer('from-query') }),
        )),
    },
    {
      id: 'publish_from_campaign',
      operationId: CREATE,
      summary: 'POST /v1/publications with the campaign as a plain name, for a new customer',
      family: 'schema',
      readOnly: false,
      publications: 1,
      checks: [createdCustomerHasRequestedSourceId],
      run: async (send) =>
        void (await send(
          'ask',
          createFromBody({
            campaign: data.campaign,
            customer: { source_id: customer('from-body'), name: 'Contract Suite' },
          }),
        )),
    },
    // The configured code may have been published by an earlier run: 200 and 400 voucher_already_published both
    // conform.
    {
      id: 'publish_voucher_code_query',
      operationId: CREATE_FROM_QUERY,
      summary: 'GET …/create for the configured voucher code and the existing customer',
      family: 'schema',
      readOnly: false,
      publications: 1,
      checks: [],
      run: async (send) =>
        void (await send('ask', createFromQuery({ voucher: data.voucher, 'customer[id]': data.customerId }))),
    },
    {
      id: 'publish_many',
      operationId: CREATE,
      summary: 'POST /v1/publications with campaign.count 3, for a new customer',
      family: 'schema',
      readOnly: false,
      publications: 1,
      checks: [campaignCountGivesDistinctCodes],
      run: async (send) =>
        void (await send(
          'many',
          createFromBody({ campaign: { name: data.campaign, count: 3 }, customer: { source_id: customer('many') } }),
        )),
    },
  ];

  const behaviour: Scenario[] = [
    {
      id: 'join_once_query',
      operationId: CREATE_FROM_QUERY,
      summary: 'GET …/create twice with join_once=true for a new customer, then once for another new customer',
      family: 'behaviour',
      readOnly: false,
      publications: 3,
      checks: [joinOnceReturnsSameCode, joinOnceGivesEachCustomerOwnCode, joinOnceGivesEachCustomerOwnPublication],
      async run(send) {
        const request = (who: string) =>
          createFromQuery({ 'campaign[name]': data.campaign, 'customer[source_id]': customer(who), join_once: 'true' });
        await send('first', request('join-once-query'));
        await send('repeat', request('join-once-query'));
        await send('other', request('join-once-query-other'));
      },
    },
    {
      id: 'join_once',
      operationId: CREATE,
      summary: 'POST /v1/publications?join_once=true twice for a new customer, then once for another new customer',
      family: 'behaviour',
      readOnly: false,
      publications: 3,
      checks: [joinOnceReturnsSameCode, joinOnceGivesEachCustomerOwnCode, joinOnceGivesEachCustomerOwnPublication],
      async run(send) {
        const request = (who: string) =>
          createFromBody(
            { campaign: { name: data.campaign }, customer: { source_id: customer(who) } },
            { joinOnce: true },
          );
        await send('first', request('join-once'));
        await send('repeat', request('join-once'));
        await send('other', request('join-once-other'));
      },
    },
    {
      id: 'source_id_query',
      operationId: CREATE_FROM_QUERY,
      summary:
        'GET …/create with a new source_id, its retry, the lists by source_id ' +
        'and by customer, and the source_id reused for another customer',
      family: 'behaviour',
      readOnly: false,
      publications: 3,
      checks: SOURCE_ID_CHECKS,
      async run(send, pause) {
        const sourceId = customer('publication-query');
        const request = createFromQuery({
          'campaign[name]': data.campaign,
          'customer[source_id]': customer('source-id-query'),
          source_id: sourceId,
        });
        const first = await send('first', request);
        await send('retry', request);
        await listTheFirst(send, pause, first, sourceId);
        await send(
          'ask',
          createFromQuery({ 'campaign[name]': data.campaign, 'customer[id]': data.customerId, source_id: sourceId }),
        );
      },
    },
    {
      id: 'source_id',
      operationId: CREATE,
      summary:
        'POST /v1/publications with a new source_id, its retry, the lists by ' +
        'source_id and by customer, and the source_id reused for another ' +
        'customer',
      family: 'behaviour',
      readOnly: false,
      publications: 3,
      checks: SOURCE_ID_CHECKS,
      async run(send, pause) {
        const sourceId = customer('publication-body');
        const request = createFromBody({
          campaign: { name: data.campaign },
          customer: { source_id: customer('source-id') },
          source_id: sourceId,
        });
        const first = await send('first', request);
        await send('retry', request);
        await listTheFirst(send, pause, first, sourceId);
        await send(
          'ask',
          createFromBody({ campaign: { name: data.campaign }, customer: { id: data.customerId }, source_id: sourceId }),
        );
      },
    },
    {
      id: 'count_above_one_query',
      operationId: CREATE_FROM_QUERY,
      summary: 'GET …/create with campaign[count]=2',
      family: 'behaviour',
      readOnly: false,
      publications: 1,
      checks: [countAboveOneGivesTooManyVouchersRequested],
      run: async (send) =>
        void (await send(
          'ask',
          createFromQuery({ 'campaign[name]': data.campaign, 'campaign[count]': '2', 'customer[id]': data.customerId }),
        )),
    },
    {
      id: 'missing_vouchers_query',
      operationId: CREATE_FROM_QUERY,
      summary: 'GET …/create with neither voucher nor campaign',
      family: 'behaviour',
      readOnly: false,
      publications: 1,
      checks: [missingVoucherAndCampaignGivesMissingVouchers],
      run: async (send) => void (await send('ask', createFromQuery({ 'customer[id]': data.customerId }))),
    },
    {
      id: 'missing_vouchers',
      operationId: CREATE,
      summary: 'POST /v1/publications with neither voucher nor campaign',
      family: 'behaviour',
      readOnly: false,
      publications: 1,
      checks: [missingVoucherAndCampaignGivesMissingVouchers],
      run: async (send) => void (await send('ask', createFromBody({ customer: { id: data.customerId } }))),
    },
    {
      id: 'unknown_campaign_query',
      operationId: CREATE_FROM_QUERY,
      summary: 'GET …/create from a campaign that does not exist',
      family: 'behaviour',
      readOnly: false,
      publications: 1,
      checks: [unknownCampaignGivesNotFound],
      run: async (send) =>
        void (await send(
          'ask',
          createFromQuery({ 'campaign[name]': unknownCampaign, 'customer[id]': data.customerId }),
        )),
    },
    {
      id: 'unknown_campaign',
      operationId: CREATE,
      summary: 'POST /v1/publications from a campaign that does not exist',
      family: 'behaviour',
      readOnly: false,
      publications: 1,
      checks: [unknownCampaignGivesNotFound],
      run: async (send) =>
        void (await send(
          'ask',
          createFromBody({ campaign: { name: unknownCampaign }, customer: { id: data.customerId } }),
        )),
    },
    // An unknown customer id names nobody to publish to or to record a failure for.
    {
      id: 'unknown_customer_query',
      operationId: CREATE_FROM_QUERY,
      summary: 'GET …/create for a customer id that does not exist',
      family: 'behaviour',
      readOnly: false,
      publications: 0,
      checks: [unknownCustomerIdGivesNotFound],
      run: async (send) =>
        void (await send(
          'ask',
          createFromQuery({ 'campaign[name]': data.campaign, 'customer[id]': unknownCustomerId }),
        )),
    },
    {
      id: 'unknown_customer',
      operationId: CREATE,
      summary: 'POST /v1/publications for a customer id that does not exist',
      family: 'behaviour',
      readOnly: false,
      publications: 0,
      checks: [unknownCustomerIdGivesNotFound],
      run: async (send) =>
        void (await send('ask', createFromBody({ campaign: data.campaign, customer: { id: unknownCustomerId } }))),
    },
    // The code is published fresh from the campaign first, so the check holds on a target earlier runs have used.
    {
      id: 'already_published_query',
      operationId: CREATE_FROM_QUERY,
      summary: 'a code published to a new customer, then asked for by GET …/create for the existing customer',
      family: 'behaviour',
      readOnly: false,
      publications: 2,
      checks: [alreadyPublishedCodeGivesVoucherAlreadyPublished],
      async run(send) {
        const publish = await send(
          'publish',
          createFromBody({ campaign: data.campaign, customer: { source_id: customer('already-published-query') } }),
        );
        const code = voucherCodeOf(publish);
        if (code !== undefined) await send('ask', createFromQuery({ voucher: code, 'customer[id]': data.customerId }));
      },
    },
    {
      id: 'already_published',
      operationId: CREATE,
      summary: 'a code published to a new customer, then asked for by POST /v1/publications for the existing customer',
      family: 'behaviour',
      readOnly: false,
      publications: 2,
      checks: [alreadyPublishedCodeGivesVoucherAlreadyPublished],
      async run(send) {
        const publish = await send(
          'publish',
          createFromBody({ campaign: data.campaign, customer: { source_id: customer('already-published') } }),
        );
        const code = voucherCodeOf(publish);
        if (code !== undefined) await send('ask', createFromBody({ voucher: code, customer: { id: data.customerId } }));
      },
    },
    {
      id: 'unknown_voucher_read',
      operationId: GET_VOUCHER,
      summary: 'GET /v1/vouchers/{code} for a code that does not exist',
      family: 'behaviour',
      readOnly: true,
      publications: 0,
      checks: [unknownVoucherGivesNotFound],
      run: async (send) => void (await send('ask', read(GET_VOUCHER, unknownVoucher))),
    },
    {
      id: 'unknown_customer_read',
      operationId: GET_CUSTOMER,
      summary: 'GET /v1/customers/{customerId} for a customer id that does not exist',
      family: 'behaviour',
      readOnly: true,
      publications: 0,
      checks: [unknownCustomerIdGivesNotFound],
      run: async (send) => void (await send('ask', read(GET_CUSTOMER, unknownCustomerId))),
    },
    {
      id: 'published_voucher_read',
      operationId: GET_VOUCHER,
      summary: 'a code published to a new customer, then read by GET /v1/vouchers/{code}',
      family: 'behaviour',
      readOnly: false,
      publications: 1,
      checks: [publishedCodeIsHeldByCustomer],
      async run(send) {
        const publish = await send(
          'publish',
          createFromBody({ campaign: data.campaign, customer: { source_id: customer('voucher-read') } }),
        );
        const code = voucherCodeOf(publish);
        if (code !== undefined) await send('read', read(GET_VOUCHER, code));
      },
    },
    {
      id: 'created_customer_read',
      operationId: GET_CUSTOMER,
      summary:
        'a customer created by a GET …/create, then read by GET ' +
        '/v1/customers/{customerId}, by its id and by its source_id',
      family: 'behaviour',
      readOnly: false,
      publications: 1,
      checks: [createdCustomerIsFoundById, createdCustomerIsFoundBySourceId],
      async run(send) {
        const sourceId = customer('customer-read');
        const publish = await send(
          'publish',
          createFromQuery({ 'campaign[name]': data.campaign, 'customer[source_id]': sourceId }),
        );
        const customerId = bodyObject(publish)?.customer_id;
        if (typeof customerId === 'string') await send('by_id', read(GET_CUSTOMER, customerId));
        await send('by_source_id', read(GET_CUSTOMER, sourceId));
      },
    },
    {
      id: 'page_over_limit',
      operationId: LIST,
      summary: 'GET /v1/publications?page=1001',
      family: 'behaviour',
      readOnly: true,
      publications: 0,
      checks: [pageOver1000GivesPageOverLimit],
      run: async (send) => void (await send('ask', list({ page: '1001' }))),
    },
  ];

  return [...schema, ...behaviour];
}

function voucherCodeOf(exchange: Exchange): string | undefined {
  const voucher = bodyObject(exchange)?.voucher;
  return isRecord(voucher) && typeof voucher.code === 'string' ? voucher.code : undefined;
}
