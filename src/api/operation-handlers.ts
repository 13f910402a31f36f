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
import { publish } from '../rules/publish';
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
  /** The rules and the rendering: the 200 body. */
  answer(input: OperationInput): unknown;
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
  const rules = () => ({
    store: state.store,
    clock: state.clock,
    ids: state.ids,
    publicationMetadata: state.fixtures.publication_metadata,
  });

  const handlers: Record<string, OperationHandler> = {
    createPublicationFromQuery: {
      credentials: 'integration',
      answer({ query: raw, baseUrl }) {
        const query = raw as CreateQuery;
        const published = publish(rules(), {
          via: 'query',
          customer: query.customer,
          voucher: query.voucher,
          campaign: query.campaign,
          source_id: query.source_id,
          metadata: query.metadata,
          join_once: query.join_once,
        });
        // Rendered from the records the rules hold: no reading back what was just written.
        return renderCreated({ store: state.store, baseUrl }, published.publication, published);
      },
    },

    createPublication: {
      credentials: 'server',
      answer({ query: rawQuery, body: rawBody, baseUrl }) {
        const query = rawQuery as { join_once?: boolean };
        const body = rawBody as CreateBody;
        const published = publish(rules(), {
          via: 'body',
          customer: body.customer,
          voucher: body.voucher,
          campaign: body.campaign,
          source_id: body.source_id,
          channel: body.channel,
          metadata: body.metadata,
          // The vendor documents join_once in the query, the JS SDK sends it in the body: true in either applies.
          join_once: query.join_once === true || body.join_once === true,
        });
        return renderCreated({ store: state.store, baseUrl }, published.publication, published);
      },
    },

    listPublications: {
      credentials: 'server',
      answer({ query, baseUrl }) {
        const { publications, total } = listPublications(state.store, query);
        return {
          object: 'list',
          data_ref: 'publications',
          publications: renderList({ store: state.store, baseUrl }, publications),
          total,
        };
      },
    },

    createPublicationClientSide: {
      credentials: 'client',
      answer({ query: rawQuery, body: rawBody, baseUrl }) {
        const query = rawQuery as ClientSideQuery;
        const body = rawBody as CreateBody;
        const published = publish(rules(), {
          via: 'body',
          customer: body.customer,
          voucher: body.voucher,
          // The browser SDK puts the campaign's name in the query; the vendor documents the body's, which wins.
          campaign: body.campaign ?? query.campaign,
          source_id: body.source_id,
          channel: body.channel,
          metadata: body.metadata,
          join_once: query.join_once === true || body.join_once === true ? true : undefined,
        });
        return renderCreated({ store: state.store, baseUrl }, published.publication, published);
      },
    },

    getVoucher: {
      credentials: 'server',
      answer({ params, baseUrl }) {
        const ref = decodeParameter(params.code, 'voucher');
        // A code first, then a voucher id, as publishing looks a voucher up.
        const voucher = state.store.findVoucherByCode(ref) ?? state.store.getVoucher(ref);
        if (!voucher) throw ApiError.notFound('voucher', ref);
        const campaign = voucher.campaign_id === null ? undefined : state.store.getCampaign(voucher.campaign_id);
        return renderVoucherDetails(voucher, campaign, baseUrl);
      },
    },

    getCustomer: {
      credentials: 'server',
      answer({ params }) {
        const ref = decodeParameter(params.customerId, 'customer');
        // An id first, then a source_id, as the vendor documents.
        const customer = state.store.getCustomer(ref) ?? state.store.findCustomerBySourceId(ref);
        if (!customer) throw ApiError.notFound('customer', ref);
        return renderCustomerDetails(state.store, customer);
      },
    },
  };
  return new Map(Object.entries(handlers));
}
