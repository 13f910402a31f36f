/**
 * What each operation the mock serves does once a request has been routed,
 * authenticated and validated (api-handler.ts runs those steps): call the
 * rules and render the 200 body. Named after the spec's operationIds: the
 * Publications API's three, the reads a client makes after publishing
 * (getVoucher, getCustomer) and the browser SDK's client-side publish.
 * Anything that goes wrong is an ApiError thrown for the handler to write.
 */
import type { MockState } from '../app/mock-state';
import { ApiError, type MissingResource } from '../domain/api-error';
import type { WithoutNulls } from '../domain/without-nulls';
import { renderCustomerDetails } from '../render/render-customer-details';
import { renderCreated, renderList } from '../render/render-publication';
import { renderVoucherDetails } from '../render/render-voucher-details';
import { listPublications } from '../rules/list-publications';
import { type PublishRequest, RecordedFailure, checkPublishRequest, publish } from '../rules/publish';
import { prefetchCustomerDetails, prefetchRecords } from '../render/prefetch-records';
import type { StoreTransaction } from '../store/async-store';
import type { components, operations } from '../spec/publications-api.generated';
import { type HeaderReader, readCredentials, requireIntegrationKeys } from './authenticate';
import { authenticateClient } from './authenticate-client';

type CreateBody = WithoutNulls<components['schemas']['CreatePublicationRequest']>;
type CreateQuery = WithoutNulls<operations['createPublicationFromQuery']['parameters']['query']>;
type ClientSideQuery = WithoutNulls<NonNullable<operations['createPublicationClientSide']['parameters']['query']>>;

/** What an operation reads of a request, once validated. */
export interface OperationInput {
  /** The query, coerced and with defaults. */
  query: Record<string, unknown>;
  /** The body as sent ({} for an operation without one). */
  body: Record<string, unknown>;
  /** Raw (percent-encoded) path parameters by the spec's names. */
  params: Record<string, string>;
  /** The mock's own address as the client sees it, for asset URLs. */
  baseUrl: string;
}

/**
 * The credentials an operation takes: the server pair or a bearer (GET …/create also integration keys), or the
 * client-side ones.
 */
export type Credentials = 'server' | 'integration' | 'client';

export interface OperationHandler {
  credentials: Credentials;
  /** The rules and the rendering, in one store transaction: the 200 body. */
  answer(input: OperationInput): Promise<unknown>;
}

/** Accepts a request's credentials for an operation, or throws its 401/403. */
export function authenticate(credentials: Credentials, header: HeaderReader, state: MockState): void {
  if (credentials === 'client') return authenticateClient(header, state.fixtures.client_keys);
  const read = readCredentials(header);
  if (credentials === 'integration') requireIntegrationKeys(read, state.fixtures.integration_keys);
}

/** A path parameter decoded; a malformed escape is a resource that cannot exist (404), never a router error. */
function decodeParameter(raw: string | undefined, type: MissingResource['type']): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    throw ApiError.notFound(type, raw ?? '');
  }
}

/** The operations over a state, by operationId. */
export function createOperationHandlers(state: MockState): ReadonlyMap<string, OperationHandler> {
  const rules = (tx: StoreTransaction) => ({
    store: tx,
    clock: state.clock,
    ids: state.ids,
    publicationMetadata: state.fixtures.publication_metadata,
  });

  /**
   * Publishes and renders in one transaction. A failure the API records (a pool run dry) rolls that transaction back
   * (the vouchers it took with it) and is recorded by a second one, with the customer upsert.
   */
  async function publishAndRender(request: PublishRequest, baseUrl: string): Promise<unknown> {
    const checked = checkPublishRequest(state.fixtures.publication_metadata, request);
    const render = async (tx: StoreTransaction, recordFailure?: ApiError): Promise<unknown> => {
      const published = await publish(rules(tx), checked, recordFailure);
      if (published instanceof ApiError) return published;
      // Rendered from the records the rules hold: no reading back what was just written.
      const lookup = await prefetchRecords(tx, [published.publication], published);
      return renderCreated({ store: lookup, baseUrl }, published.publication, published);
    };
    let answer: unknown;
    try {
      answer = await state.data.transaction((tx) => render(tx));
    } catch (error) {
      if (!(error instanceof RecordedFailure)) throw error;
      answer = await state.data.transaction((tx) => render(tx, error.error));
    }
    if (answer instanceof ApiError) throw answer;
    return answer;
  }

  const handlers: Record<string, OperationHandler> = {
    createPublicationFromQuery: {
      credentials: 'integration',
      answer({ query: raw, baseUrl }) {
        const query = raw as CreateQuery;
        return publishAndRender(
          {
            via: 'query',
            customer: query.customer,
            voucher: query.voucher,
            campaign: query.campaign,
            source_id: query.source_id,
            metadata: query.metadata,
            join_once: query.join_once,
          },
          baseUrl,
        );
      },
    },

    createPublication: {
      credentials: 'server',
      answer({ query: rawQuery, body: rawBody, baseUrl }) {
        const query = rawQuery as { join_once?: boolean };
        const body = rawBody as CreateBody;
        return publishAndRender(
          {
            via: 'body',
            customer: body.customer,
            voucher: body.voucher,
            campaign: body.campaign,
            source_id: body.source_id,
            channel: body.channel,
            metadata: body.metadata,
            // The vendor documents join_once in the query, the JS SDK sends it in the body: true in either applies.
            join_once: query.join_once === true || body.join_once === true,
          },
          baseUrl,
        );
      },
    },

    listPublications: {
      credentials: 'server',
      answer({ query, baseUrl }) {
        return state.data.transaction(
          async (tx) => {
            const { publications, total } = await listPublications(tx, query);
            const lookup = await prefetchRecords(tx, publications);
            return {
              object: 'list',
              data_ref: 'publications',
              publications: renderList({ store: lookup, baseUrl }, publications),
              total,
            };
          },
          { readOnly: true },
        );
      },
    },

    createPublicationClientSide: {
      credentials: 'client',
      answer({ query: rawQuery, body: rawBody, baseUrl }) {
        const query = rawQuery as ClientSideQuery;
        const body = rawBody as CreateBody;
        return publishAndRender(
          {
            via: 'body',
            customer: body.customer,
            voucher: body.voucher,
            // The browser SDK puts the campaign's name in the query; the vendor documents the body's, which wins.
            campaign: body.campaign ?? query.campaign,
            source_id: body.source_id,
            channel: body.channel,
            metadata: body.metadata,
            join_once: query.join_once === true || body.join_once === true ? true : undefined,
          },
          baseUrl,
        );
      },
    },

    getVoucher: {
      credentials: 'server',
      answer({ params, baseUrl }) {
        const ref = decodeParameter(params.code, 'voucher');
        return state.data.transaction(
          async (tx) => {
            // A code first, then a voucher id, as publishing looks a voucher up.
            const voucher = (await tx.findVoucherByCode(ref)) ?? (await tx.getVoucher(ref));
            if (!voucher) throw ApiError.notFound('voucher', ref);
            const campaign = voucher.campaign_id === null ? undefined : await tx.getCampaign(voucher.campaign_id);
            return renderVoucherDetails(voucher, campaign, baseUrl);
          },
          { readOnly: true },
        );
      },
    },

    getCustomer: {
      credentials: 'server',
      answer({ params }) {
        const ref = decodeParameter(params.customerId, 'customer');
        return state.data.transaction(
          async (tx) => {
            // An id first, then a source_id, as the vendor documents.
            const customer = (await tx.getCustomer(ref)) ?? (await tx.findCustomerBySourceId(ref));
            if (!customer) throw ApiError.notFound('customer', ref);
            return renderCustomerDetails(await prefetchCustomerDetails(tx, customer.id), customer);
          },
          { readOnly: true },
        );
      },
    },
  };
  return new Map(Object.entries(handlers));
}
