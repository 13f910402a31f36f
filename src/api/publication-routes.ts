/**
 * The operations the mock serves (the Publications API's three, the reads
 * a client makes after publishing: getVoucher, getCustomer, and the browser
 * SDK's client-side publish), named after the spec's operationIds. Each
 * translates HTTP to the rules and back: authenticate,
 * validate, call the rules, render, write.
 *
 * Two ways in, one implementation: `publicationRoutes` mounts the operations in
 * the Express app; `publicationFastPath` answers the same operations straight
 * on Node's request and response, in front of Express. Profiles of the
 * steady-state benchmark put most of a request's time in Express itself
 * (app.handle swaps the prototypes of req and res, then walks every router
 * layer), ahead of all the mock's own work; see bench/results.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { type Express, type Request, type Response, Router } from 'express';
import { ApiError } from '../domain/api-error';
import type { components, operations } from '../spec/publications-api.generated';
import { type Operation, getOperation } from '../spec/operations';
import { renderCustomerDetails } from '../render/render-customer-details';
import { renderCreated, renderList } from '../render/render-publication';
import { renderVoucherDetails } from '../render/render-voucher-details';
import { type ListQuery, listPublications } from '../rules/list-publications';
import { type PublishRequest, publish } from '../rules/publish';
import type { MockState } from '../app/mock-state';
import { readCredentials, requireIntegrationKeys } from './authenticate';
import { authenticateClient } from './authenticate-client';
import { CUSTOMER_PATH, type ParameterPath, VOUCHER_PATH, matchParameterPath, readPathParameter, routePattern } from './path-parameters';
import type { WithoutNulls } from '../domain/without-nulls';
import { type RequestValidator, createRequestValidator } from './request-validation';
import type { ResponseWriter } from './response-writer';
import { UNSERVED_VOUCHER_LISTS, answerUnservedVoucherList } from './unserved-routes';

type CreateBody = WithoutNulls<components['schemas']['CreatePublicationRequest']>;
type CreateQuery = WithoutNulls<operations['createPublicationFromQuery']['parameters']['query']>;
type ClientSideQuery = WithoutNulls<NonNullable<operations['createPublicationClientSide']['parameters']['query']>>;
type OperationId = 'createPublicationFromQuery' | 'createPublication' | 'listPublications' | 'createPublicationClientSide' | 'getVoucher' | 'getCustomer';

export interface RouteContext {
  state: MockState;
  writer: ResponseWriter;
  /** The mock's own address as the client sees it, for asset URLs. */
  baseUrl(req: Request): string;
}

/** What an operation reads of a request, however it arrived. */
interface Incoming {
  /** A header by name, as Express's `req.get`. */
  get(name: string): string | undefined;
  /** The parsed query string, not yet validated. */
  query: unknown;
  /** The parsed JSON body; undefined when none was sent as JSON. */
  body: unknown;
  /** The request's path as sent (not decoded), for path parameters. */
  path: string;
  baseUrl: string;
}

type Handler = (incoming: Incoming) => unknown;

interface Operations {
  operations: Record<OperationId, Operation>;
  handlers: Record<OperationId, Handler>;
}

/** The operations over a state: validators compiled once, each handler returns the 200 body or throws an ApiError. */
function buildOperations(state: MockState): Operations {
  const operations: Record<OperationId, Operation> = {
    createPublicationFromQuery: getOperation('createPublicationFromQuery'),
    createPublication: getOperation('createPublication'),
    listPublications: getOperation('listPublications'),
    createPublicationClientSide: getOperation('createPublicationClientSide'),
    getVoucher: getOperation('getVoucher'),
    getCustomer: getOperation('getCustomer'),
  };
  const validators: Record<OperationId, RequestValidator> = {
    createPublicationFromQuery: createRequestValidator(operations.createPublicationFromQuery),
    createPublication: createRequestValidator(operations.createPublication),
    listPublications: createRequestValidator(operations.listPublications),
    createPublicationClientSide: createRequestValidator(operations.createPublicationClientSide),
    getVoucher: createRequestValidator(operations.getVoucher),
    getCustomer: createRequestValidator(operations.getCustomer),
  };
  const rules = () => ({
    store: state.store,
    clock: state.clock,
    ids: state.ids,
    publicationMetadata: state.fixtures.publication_metadata,
  });
  // `readCredentials` reads headers only, through `get`: Express's request has it, and so does Incoming.
  const credentialsOf = (incoming: Incoming) => readCredentials(incoming as unknown as Request);

  const handlers: Record<OperationId, Handler> = {
    createPublicationFromQuery(incoming) {
      requireIntegrationKeys(credentialsOf(incoming), state.fixtures.integration_keys);
      const query = validators.createPublicationFromQuery.query(incoming.query) as CreateQuery;
      const published = publish(rules(), {
        via: 'query',
        customer: query.customer as PublishRequest['customer'],
        voucher: query.voucher,
        campaign: query.campaign,
        source_id: query.source_id,
        metadata: query.metadata,
        join_once: query.join_once,
      });
      // Rendered from the records the rules hold: no reading back what was just written.
      return renderCreated({ store: state.store, baseUrl: incoming.baseUrl }, published.publication, published);
    },

    createPublication(incoming) {
      credentialsOf(incoming);
      const query = validators.createPublication.query(incoming.query) as { join_once?: boolean };
      const body = validators.createPublication.body(incoming.body) as CreateBody;
      const published = publish(rules(), {
        via: 'body',
        customer: body.customer as PublishRequest['customer'],
        voucher: body.voucher,
        campaign: body.campaign,
        source_id: body.source_id,
        channel: body.channel,
        metadata: body.metadata,
        // The vendor documents join_once in the query, the JS SDK sends it in the body: true in either applies.
        join_once: query.join_once === true || body.join_once === true,
      });
      return renderCreated({ store: state.store, baseUrl: incoming.baseUrl }, published.publication, published);
    },

    listPublications(incoming) {
      credentialsOf(incoming);
      const query = validators.listPublications.query(incoming.query) as ListQuery;
      const { publications, total } = listPublications(state.store, query);
      return {
        object: 'list',
        data_ref: 'publications',
        publications: renderList({ store: state.store, baseUrl: incoming.baseUrl }, publications),
        total,
      };
    },

    createPublicationClientSide(incoming) {
      authenticateClient(incoming.get, state.fixtures.client_keys);
      const query = validators.createPublicationClientSide.query(incoming.query) as ClientSideQuery;
      const body = validators.createPublicationClientSide.body(incoming.body) as CreateBody;
      const published = publish(rules(), {
        via: 'body',
        customer: body.customer as PublishRequest['customer'],
        voucher: body.voucher,
        // The browser SDK puts the campaign's name in the query; the vendor documents the body's, which wins.
        campaign: body.campaign ?? query.campaign,
        source_id: body.source_id,
        channel: body.channel,
        metadata: body.metadata,
        join_once: query.join_once === true || body.join_once === true ? true : undefined,
      });
      return renderCreated({ store: state.store, baseUrl: incoming.baseUrl }, published.publication, published);
    },

    getVoucher(incoming) {
      credentialsOf(incoming);
      validators.getVoucher.query(incoming.query);
      const ref = readPathParameter(VOUCHER_PATH, incoming.path);
      // A code first, then a voucher id, as publishing looks a voucher up.
      const voucher = state.store.findVoucherByCode(ref) ?? state.store.getVoucher(ref);
      if (!voucher) throw ApiError.notFound('voucher', ref);
      const campaign = voucher.campaign_id === null ? undefined : state.store.getCampaign(voucher.campaign_id);
      return renderVoucherDetails(voucher, campaign, incoming.baseUrl);
    },

    getCustomer(incoming) {
      credentialsOf(incoming);
      validators.getCustomer.query(incoming.query);
      const ref = readPathParameter(CUSTOMER_PATH, incoming.path);
      // An id first, then a source_id, as the vendor documents.
      const customer = state.store.getCustomer(ref) ?? state.store.findCustomerBySourceId(ref);
      if (!customer) throw ApiError.notFound('customer', ref);
      return renderCustomerDetails(state.store, customer);
    },
  };
  return { operations, handlers };
}

export function publicationRoutes(ctx: RouteContext): Router {
  const router = Router();
  const { operations, handlers } = buildOperations(ctx.state);
  const route = (id: OperationId) =>
    function answer(req: Request, res: Response): void {
      const body = handlers[id]({ get: (name) => req.get(name), query: req.query, body: req.body as unknown, path: req.path, baseUrl: ctx.baseUrl(req) });
      ctx.writer.json(res, operations[id], 200, body);
    };
  router.get('/v1/publications/create', route('createPublicationFromQuery'));
  router.post('/v1/publications', route('createPublication'));
  router.get('/v1/publications', route('listPublications'));
  router.post('/client/v1/publish', route('createPublicationClientSide'));
  router.get(routePattern(VOUCHER_PATH), route('getVoucher'));
  router.get(routePattern(CUSTOMER_PATH), route('getCustomer'));
  router.get(UNSERVED_VOUCHER_LISTS, answerUnservedVoucherList);
  return router;
}

/** Connect-style middleware that works on Node's own request and response (Express's `cors` and `express.json` do). */
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export interface FastPathOptions {
  state: MockState;
  writer: ResponseWriter;
  /** The address clients use, for asset URLs; by default from each request's Host, as the app does. */
  publicUrl?: string;
  /** The path a host server mounted the mock under (src/mock-handler.ts), added to the Host-based address. */
  mountPrefixOf?(req: IncomingMessage): string;
  /**
   * The app's own middleware for API requests, the same instances in the same
   * order (request log, CORS, the query limit, the JSON body parser). Each runs
   * on Node's request and response; `req.originalUrl` is set as Express sets it.
   */
  before: readonly NodeMiddleware[];
  /** The app's query-string parser. */
  parseQuery(text: string): Record<string, unknown>;
  /** The app's mapping of any failure to the API error it answers with. */
  toApiError(error: unknown): ApiError;
  /** API requests left to the Express app all the same (e.g. a Prefer header or a queued scenario). */
  leaveToApp?(req: IncomingMessage): boolean;
}

/** Node's request as the operations read it; `req.originalUrl` as Express sets it, for the app's middleware. */
type FastRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

/**
 * The API's operations on Node's request and response, for the server to
 * try before the Express app: true when it took the request, false when the
 * app must answer it. It takes only the plain cases (GET/POST on the exact
 * paths, no conditional request headers, nothing `leaveToApp` claims) and
 * answers them with the same middleware, handlers and writer as the app, so
 * the answers are the same (test/robustness/fast-path-equivalence.test.ts).
 */
export function publicationFastPath(options: FastPathOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { operations, handlers } = buildOperations(options.state);
  const { writer } = options;

  const operationOf = (method: string | undefined, path: string): OperationId | undefined => {
    if (method === 'GET') return path === '/v1/publications/create' ? 'createPublicationFromQuery' : path === '/v1/publications' ? 'listPublications' : readOperationOf(path);
    if (method === 'POST') return path === '/v1/publications' ? 'createPublication' : path === '/client/v1/publish' ? 'createPublicationClientSide' : undefined;
    return undefined;
  };

  const baseUrlOf = (req: IncomingMessage): string =>
    options.publicUrl ?? `${(req.socket as TLSSocket).encrypted ? 'https' : 'http'}://${req.headers.host ?? '127.0.0.1'}${options.mountPrefixOf?.(req) ?? ''}`;

  return function answerFast(req, res) {
    const url = req.url ?? '/';
    const at = url.indexOf('?');
    const id = operationOf(req.method, at < 0 ? url : url.slice(0, at));
    // Conditional requests: Express may answer 304 (req.fresh); leave them, and anything claimed, to the app.
    if (id === undefined || req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined) return false;
    if (options.leaveToApp?.(req)) return false;

    const fastReq = req as FastRequest;
    fastReq.originalUrl ??= url;
    const fail = (error: unknown): void => {
      const apiError = options.toApiError(error);
      if (apiError.key === 'internal_error') console.error(error);
      if (res.headersSent) return;
      writer.writeError(res, apiError.status < 500 ? operations[id] : undefined, apiError);
    };
    const handle = (): void => {
      const body = handlers[id]({
        get: (name) => headerOf(req, name),
        query: options.parseQuery(at < 0 ? '' : url.slice(at + 1)),
        body: fastReq.body,
        path: at < 0 ? url : url.slice(0, at),
        baseUrl: baseUrlOf(req),
      });
      writer.writeJson(res, operations[id], 200, body);
    };

    let index = 0;
    const next = (error?: unknown): void => {
      if (error !== undefined && error !== null) return fail(error);
      const middleware = options.before[index++];
      try {
        if (middleware) middleware(req, res, next);
        else handle();
      } catch (thrown) {
        fail(thrown);
      }
    };
    next();
    return true;
  };
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse, done?: (error?: unknown) => void) => void;

/**
 * Puts a fast path in front of an Express app, where every caller reaches it:
 * Node's server, supertest and an app that mounts this one all go through
 * `app.handle`. Requests the fast path does not take go to the app unchanged.
 */
export function serveFastPathFirst(app: Express, fastPath: (req: IncomingMessage, res: ServerResponse) => boolean): void {
  // `handle` is how Express apps dispatch (app(req, res) calls it); its typings leave it out.
  const dispatchable = app as unknown as { handle: NodeHandler };
  const appHandle = dispatchable.handle.bind(app);
  dispatchable.handle = function handleFastPathFirst(req, res, done) {
    if (!fastPath(req, res)) appHandle(req, res, done);
  };
}

/** A header as Express's `req.get` reads it (one value; Referer and Referrer are the same header). */
function headerOf(req: IncomingMessage, name: string): string | undefined {
  const lower = name.toLowerCase();
  const value = lower === 'referer' || lower === 'referrer' ? (req.headers.referrer ?? req.headers.referer) : req.headers[lower];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The read operation of a parameterised path (GET only). */
function readOperationOf(path: string): 'getVoucher' | 'getCustomer' | undefined {
  const template: ParameterPath | undefined = matchParameterPath(path);
  return template === VOUCHER_PATH ? 'getVoucher' : template === CUSTOMER_PATH ? 'getCustomer' : undefined;
}

/** The operation a path and method belong to, for error answers checked in strict mode. */
export function operationFor(method: string, path: string) {
  if (path === '/v1/publications/create' && method === 'GET') return getOperation('createPublicationFromQuery');
  if (path === '/v1/publications' && method === 'POST') return getOperation('createPublication');
  if (path === '/v1/publications' && method === 'GET') return getOperation('listPublications');
  if (path === '/client/v1/publish' && method === 'POST') return getOperation('createPublicationClientSide');
  const read = method === 'GET' ? readOperationOf(path) : undefined;
  if (read) return getOperation(read);
  return undefined;
}

/** Methods each API path answers, for 405 and its Allow header; parameterised paths as the spec writes them. */
export const ALLOWED_METHODS: Record<string, string[]> = {
  '/v1/publications/create': ['GET'],
  '/v1/publications': ['GET', 'POST'],
  '/client/v1/publish': ['POST'],
  [VOUCHER_PATH.template]: ['GET'],
  [CUSTOMER_PATH.template]: ['GET'],
};

/** The methods a request path answers (a literal path, or one matching a parameterised path); undefined when it is no API path. */
export function allowedMethodsFor(path: string): string[] | undefined {
  const own = (key: string) => (Object.prototype.hasOwnProperty.call(ALLOWED_METHODS, key) ? ALLOWED_METHODS[key] : undefined);
  return own(path) ?? own(matchParameterPath(path)?.template ?? '');
}
