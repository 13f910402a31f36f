/**
 * The one handler of the API, on Node's request and response: every API
 * request the mock answers, however it arrives (the CLI's server, a user's
 * Express app that mounts the mock, supertest), goes through the steps below,
 * in this order and nowhere else. Express never sees an API request (see
 * docs/decisions/0002-api-handler-outside-express.md); requests to the mock's
 * own tools (/__mock/…) are passed on to the Express app that serves them.
 *
 * Steps (API_STEPS, one per line; each either goes on, waits, or answers):
 *  1. CORS, on the API's paths only (a preflight is answered here)
 *  2. the query string's limit (413 above 8 KiB; every path)
 *  3. /__mock/… is passed on to the tools (after the exchange was opened)
 *  4. routing by the spec (api-router.ts)
 *  5. the JSON body: size limit, encodings, content type
 *  6. lone UTF-16 surrogates refused
 *  7. HEAD refused on the API's paths (it would run GET's operation)
 *  8. forced answers and scenarios (the QA tools' hook; they run no operation)
 *  9. an unknown route or method: 404 / 405 with `Allow`
 * 10. authentication (server keys, integration keys, client-side keys)
 * 11. validation of the query and the body
 * 12. the rules and the rendering
 * 13. writing the answer
 *
 * The exchange (exchange.ts) is opened before step 1 and announced when the
 * response closes. Per request this allocates the exchange and one call
 * object; steps that finish at once do not go through a callback.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import cors from 'cors';
import express from 'express';
import qs from 'qs';
import type { MockState } from '../app/mock-state';
import { ApiError } from '../domain/api-error';
import { StoreUnavailableError } from '../store/async-store';
import type { Api } from '../spec/load-api';
import type { Operation } from '../spec/operations';
import type { RouteResult } from '../spec/api-router';
import { CLIENT_CORS_HEADERS, corsOptionsForClients } from './authenticate-client';
import { type BodyWording, mapBodyError } from './body-errors';
import { Exchange, type ExchangeHub, attachExchange, exchangeOf } from './exchange';
import { type OperationHandler, authenticate, createOperationHandlers } from './operation-handlers';
import { findLoneSurrogate } from './refuse-lone-surrogates';
import type { ResponseWriter } from './response-writer';
import { UNSERVED_VOUCHER_LISTS, unservedVoucherListError } from './unserved-routes';

/** The largest body and query string accepted (413 above). */
export const BODY_LIMIT_BYTES = 1024 * 1024;
export const QUERY_LIMIT_BYTES = 8 * 1024;

/** Headers a browser app sends to the API, allowed by the CORS preflight. */
const CORS_HEADERS = [
  'X-App-Id',
  'X-App-Token',
  ...CLIENT_CORS_HEADERS,
  'Authorization',
  'Content-Type',
  'X-Voucherify-Channel',
  'X-Voucherify-API-Version',
  'Prefer',
];

/** How the API words a body the parser refused. */
const API_BODY: BodyWording = {
  invalidKey: 'invalid_payload',
  tooLargeKey: 'query_too_large',
  limit: BODY_LIMIT_BYTES,
  tooLarge: (limit) => `The request body exceeds the limit of ${limit} bytes`,
  undecodable: (encoding, message) =>
    `The body does not decode as Content-Encoding ${JSON.stringify(encoding)}: ${message}`,
  notJson: (message) => `Malformed JSON: ${message}`,
  unsupported: (message) => message,
  otherwise: 'internal',
};

/** The API's paths, as Express routed them (without case): CORS and the HEAD refusal apply here only. */
const API_PATH = /^\/(client\/)?v1(\/|$)/i;
const JSON_TYPE = /^\s*application\/(?:json|[^;\s/]+\+json)\s*(?:;|$)/i;

export function isApiPath(path: string): boolean {
  return API_PATH.test(path);
}

export function isMockPath(path: string): boolean {
  return path === '/__mock' || path.startsWith('/__mock/');
}

/** deepObject parameters (`customer[source_id]`, `filters[x][conditions][$in][0]`) need nesting. */
export function parseQuery(text: string): Record<string, unknown> {
  // qs never writes to prototypes (`__proto__` keys are dropped) and its limits bound the work.
  return qs.parse(text, {
    depth: 5,
    arrayLimit: 100,
    parameterLimit: 1000,
    allowPrototypes: false,
    strictDepth: false,
  });
}

type NodeNext = (error?: unknown) => void;
type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: NodeNext) => void;

/**
 * What a forced answer or a scenario sees of a routed request (the QA tools plug in here; src/api knows nothing of
 * them).
 */
export interface ForcedAnswerRequest {
  req: IncomingMessage;
  res: ServerResponse;
  exchange: Exchange;
  operation: Operation;
  /** The parsed query string, not validated. */
  query(): Record<string, unknown>;
  body: unknown;
  /** The operation's own authentication: throws its 401/403. */
  authenticate(): void;
  /** Answers with a body checked against the operation's documented answer (strict mode). */
  send(status: number, body: unknown): void;
  /** Answers with an error of the mock's table, not checked against the operation. */
  sendError(error: ApiError): void;
}

export interface ForcedAnswers {
  /** Cheap, on every routed request: whether it could be forced at all (a Prefer header, a queued scenario). */
  applies(req: IncomingMessage): boolean;
  /** True when it answered (or dropped) the request, false to go on; an ApiError thrown is answered. */
  answer(request: ForcedAnswerRequest): Promise<boolean>;
}

export interface ApiHandlerOptions {
  api: Api;
  state: MockState;
  writer: ResponseWriter;
  exchanges: ExchangeHub;
  /** The address clients use, for asset URLs; by default from each request's Host. */
  publicUrl?: string;
  /** The path a host server mounted the mock under (mock-handler.ts), added to the Host-based address. */
  mountPrefixOf?(req: IncomingMessage): string;
  forcedAnswers?: ForcedAnswers;
}

/** Connect-style; `next` is called only for /__mock/ requests, which the tools answer. */
export type ApiHandler = (req: IncomingMessage, res: ServerResponse, next?: NodeNext) => void;

interface HandlerContext extends ApiHandlerOptions {
  handlers: ReadonlyMap<string, OperationHandler>;
  allowCors: NodeMiddleware;
  parseJson: NodeMiddleware;
}

const CONTINUE = 0;
/** The step called, or will call, `call.resume`. */
const PAUSED = 1;
/** The step answered (or handed the request on): nothing more runs. */
const DONE = 2;
type Outcome = typeof CONTINUE | typeof PAUSED | typeof DONE;
type Step = (call: ApiCall) => Outcome;

/** One request on its way through the steps. */
class ApiCall {
  index = 0;
  route: RouteResult | undefined;
  body: unknown = undefined;
  answerBody: unknown = undefined;
  query: Record<string, unknown> | undefined;
  private running = false;
  private resumed = false;
  private resumeError: unknown = undefined;

  constructor(
    readonly ctx: HandlerContext,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly next: NodeNext | undefined,
    readonly exchange: Exchange,
  ) {}

  get operation(): Operation | undefined {
    return this.route?.kind === 'operation' ? this.route.operation : undefined;
  }

  /** A header as Express's `req.get` read it (one value; Referer and Referrer are the same header). */
  readonly header = (name: string): string | undefined => {
    const lower = name.toLowerCase();
    const value =
      lower === 'referer' || lower === 'referrer'
        ? (this.req.headers.referrer ?? this.req.headers.referer)
        : this.req.headers[lower];
    return Array.isArray(value) ? value.join(', ') : value;
  };

  parsedQuery(): Record<string, unknown> {
    return (this.query ??= parseQuery(this.exchange.queryText));
  }

  baseUrl(): string {
    const { publicUrl, mountPrefixOf } = this.ctx;
    return (
      publicUrl ??
      `${(this.req.socket as TLSSocket).encrypted ? 'https' : 'http'}://${this.req.headers.host ?? '127.0.0.1'}${mountPrefixOf?.(this.req) ?? ''}`
    );
  }

  run(): void {
    this.running = true;
    try {
      while (this.index < API_STEPS.length) {
        const outcome = API_STEPS[this.index++]![1](this);
        if (outcome === CONTINUE) continue;
        if (outcome === DONE) break;
        if (!this.resumed) break;
        // Resumed before the step returned: go on here rather than recursing.
        this.resumed = false;
        if (this.resumeError !== undefined) {
          this.fail(this.resumeError);
          break;
        }
      }
    } catch (thrown) {
      this.fail(thrown);
    }
    this.running = false;
  }

  /** Called by a step that paused, when it is done (with the error to answer, if any). */
  readonly resume = (error?: unknown): void => {
    const failed = error === undefined || error === null ? undefined : error;
    if (this.running) {
      this.resumed = true;
      this.resumeError = failed;
      return;
    }
    if (failed !== undefined) this.fail(failed);
    else this.run();
  };

  /** Answers any failure: an ApiError as it says, anything else as a JSON 500 (logged). */
  fail(error: unknown): void {
    const apiError =
      error instanceof ApiError
        ? error
        : new ApiError('internal_error', error instanceof Error ? error.message : String(error));
    if (apiError.key === 'internal_error') console.error(error);
    this.index = API_STEPS.length;
    if (this.res.headersSent) return;
    this.ctx.writer.error(this.res, apiError.status < 500 ? this.operation : undefined, apiError, this.exchange);
  }
}

function allowCors(call: ApiCall): Outcome {
  if (!isApiPath(call.exchange.path)) return CONTINUE;
  call.ctx.allowCors(call.req, call.res, call.resume);
  return PAUSED;
}

function limitQuery(call: ApiCall): Outcome {
  if (call.exchange.queryText.length > QUERY_LIMIT_BYTES)
    throw new ApiError('query_too_large', `The query string exceeds the limit of ${QUERY_LIMIT_BYTES} bytes`);
  return CONTINUE;
}

function passToolsOn(call: ApiCall): Outcome {
  if (!call.exchange.tool) return CONTINUE;
  if (call.next) call.next();
  else
    throw new ApiError('not_found', `Cannot find route ${call.exchange.method} ${call.exchange.path}`, {
      id: call.exchange.path,
      type: 'route',
    });
  return DONE;
}

function routeBySpec(call: ApiCall): Outcome {
  call.route = call.ctx.api.router.route(call.exchange.method, call.exchange.path);
  if (call.route.kind === 'operation') call.exchange.operationId = call.route.operation.operationId;
  return CONTINUE;
}

/**
 * The JSON body. A host app's own parser may have read it already (`express.json()` mounted before the
 * mock): its `req.body` is taken when the request says it is JSON (text or bytes are parsed here), and
 * ignored otherwise, as a form or text body is not JSON to the API.
 */
function parseBody(call: ApiCall): Outcome {
  const req = call.req as IncomingMessage & { body?: unknown };
  if (req.body !== undefined) {
    call.body = JSON_TYPE.test(req.headers['content-type'] ?? '') ? readHostBody(req.body) : undefined;
    return CONTINUE;
  }
  // Nothing to read (what body-parser's hasBody checks): most GETs stop here.
  if (req.headers['transfer-encoding'] === undefined && req.headers['content-length'] === undefined) return CONTINUE;
  call.ctx.parseJson(req, call.res, (error?: unknown) => {
    if (error !== undefined && error !== null) {
      call.resume(mapBodyError(req, error, API_BODY));
      return;
    }
    call.body = req.body;
    call.resume();
  });
  return PAUSED;
}

function readHostBody(body: unknown): unknown {
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) return body;
  const text = body.toString();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError('invalid_payload', API_BODY.notJson(error instanceof Error ? error.message : String(error)));
  }
}

function refuseLoneSurrogates(call: ApiCall): Outcome {
  call.exchange.body = call.body;
  const found = call.body === undefined ? undefined : findLoneSurrogate(call.body);
  if (!found) return CONTINUE;
  const where = found.path === '' ? 'Payload' : `Payload property '${found.path}'`;
  throw new ApiError(
    'invalid_payload',
    `${where} holds a lone UTF-16 surrogate (${found.surrogate}): send well-formed Unicode text`,
  );
}

/** Express would have answered HEAD with GET's operation, and GET …/create publishes. */
function refuseHead(call: ApiCall): Outcome {
  const { method, path } = call.exchange;
  if (method !== 'HEAD' || !isApiPath(path)) return CONTINUE;
  const methods = call.ctx.api.router.allowedMethods(path);
  if (!methods) throw new ApiError('not_found', `Cannot find route HEAD ${path}`, { id: path, type: 'route' });
  call.res.setHeader('Allow', methods.join(', '));
  throw new ApiError(
    'method_not_allowed',
    `HEAD is not allowed on ${path}: it would run the operation; use ${methods.join(' or ')}`,
  );
}

function forceAnswer(call: ApiCall): Outcome {
  const hook = call.ctx.forcedAnswers;
  const operation = call.operation;
  if (!hook || !operation || !hook.applies(call.req)) return CONTINUE;
  const { ctx, res, exchange } = call;
  const request: ForcedAnswerRequest = {
    req: call.req,
    res,
    exchange,
    operation,
    query: () => call.parsedQuery(),
    body: call.body,
    authenticate: () =>
      authenticate(ctx.handlers.get(operation.operationId)?.credentials ?? 'server', call.header, ctx.state),
    send: (status, body) => ctx.writer.json(res, operation, status, body, exchange),
    sendError: (error) => ctx.writer.error(res, undefined, error, exchange),
  };
  hook.answer(request).then(
    (answered) => {
      if (!answered) call.resume();
    },
    (error: unknown) => call.resume(error),
  );
  return PAUSED;
}

function answerUnknownRoute(call: ApiCall): Outcome {
  const route = call.route!;
  const { method, path } = call.exchange;
  if (route.kind === 'method') {
    call.res.setHeader('Allow', route.allowed.join(', '));
    throw new ApiError('method_not_allowed', `${method} is not allowed on ${path}; use ${route.allowed.join(' or ')}`);
  }
  if (route.kind === 'operation' && call.ctx.handlers.has(route.operation.operationId)) return CONTINUE;
  if (method === 'GET' && UNSERVED_VOUCHER_LISTS.test(path)) throw unservedVoucherListError(path);
  // Thrown before routing to an operation, so the error is not checked against one.
  call.route = undefined;
  throw new ApiError('not_found', `Cannot find route ${method} ${path}`, { id: path, type: 'route' });
}

function authenticateRequest(call: ApiCall): Outcome {
  authenticate(call.ctx.handlers.get(call.operation!.operationId)!.credentials, call.header, call.ctx.state);
  return CONTINUE;
}

function runOperation(call: ApiCall): Outcome {
  const operation = call.operation!;
  const validator = call.ctx.api.requestValidator(operation);
  // Validation first (the query, then the body), then the rules and the rendering.
  const query = validator.query(call.parsedQuery());
  const body = validator.body(call.body);
  const params = call.route?.kind === 'operation' ? call.route.params : {};
  // The store's transaction settles later (PostgreSQL across the network, SQLite's queue): the step waits for it.
  call.ctx.handlers
    .get(operation.operationId)!
    .answer({ query, body, params, baseUrl: call.baseUrl() })
    .then(
      (answer) => {
        call.answerBody = answer;
        call.resume();
      },
      (error: unknown) => call.resume(answerableError(error)),
    );
  return PAUSED;
}

/** A store that cannot complete a transaction (the database gone, conflicts without end) is a 503, not a 500. */
function answerableError(error: unknown): unknown {
  if (!(error instanceof StoreUnavailableError)) return error;
  return new ApiError('service_unavailable', `The mock's database is unavailable (${error.reason}); retry shortly`);
}

function writeAnswer(call: ApiCall): Outcome {
  call.ctx.writer.json(call.res, call.operation, 200, call.answerBody, call.exchange);
  return DONE;
}

/** The steps, in the order every API request takes them. */
export const API_STEPS: ReadonlyArray<readonly [name: string, step: Step]> = [
  ['allow CORS on API paths', allowCors],
  ['limit the query string', limitQuery],
  ['pass /__mock/ on to the tools', passToolsOn],
  ['route by the spec', routeBySpec],
  ['parse the JSON body', parseBody],
  ['refuse lone surrogates', refuseLoneSurrogates],
  ['refuse HEAD on API paths', refuseHead],
  ['force an answer (Prefer, scenarios)', forceAnswer],
  ['answer an unknown route or method', answerUnknownRoute],
  ['authenticate', authenticateRequest],
  ['validate, run the rules, render', runOperation],
  ['write the answer', writeAnswer],
];

/** Announces a request's exchange when its response closes (`this` is the response; one listener for all requests). */
function announceExchange(this: ServerResponse): void {
  const exchange = exchangeOf(this.req);
  if (!exchange?.hub) return;
  exchange.close(this);
  exchange.hub.announce(exchange);
}

export function createApiHandler(options: ApiHandlerOptions): ApiHandler {
  const { state } = options;
  const ctx: HandlerContext = {
    ...options,
    handlers: createOperationHandlers(state),
    // The client-side API answers only the origins its client keys allow (authenticate-client.ts).
    allowCors: cors(
      corsOptionsForClients(
        {
          origin: true,
          allowedHeaders: CORS_HEADERS,
          exposedHeaders: ['Retry-After', 'Preference-Applied'],
          maxAge: 600,
        },
        () => state.fixtures.client_keys,
      ),
    ) as NodeMiddleware,
    parseJson: express.json({
      limit: BODY_LIMIT_BYTES,
      strict: false,
      type: ['application/json', 'application/*+json'],
    }) as NodeMiddleware,
  };
  return function handleApiRequest(req, res, next) {
    const url = req.url ?? '/';
    const at = url.indexOf('?');
    const exchange = new Exchange(
      req,
      at < 0 ? url : url.slice(0, at),
      at < 0 ? '' : url.slice(at + 1),
      state.clock.nowIso(),
    );
    exchange.tool = isMockPath(exchange.path);
    attachExchange(req, exchange);
    if (options.exchanges.size > 0) {
      exchange.hub = options.exchanges;
      res.on('close', announceExchange);
    }
    new ApiCall(ctx, req, res, next, exchange).run();
  };
}
