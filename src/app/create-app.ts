/**
 * The app factory: the whole mock as an Express app over a given state, so
 * tests run it in-process on an in-memory store and never open a port. The
 * entry point (src/cli.ts) only parses options and listens.
 *
 * Order: log → CORS (API paths only) → journal → query limit → Host/Origin
 * guard (/__mock/ only) → /__mock/ tools (their own body parsers) → JSON body
 * → forced answers and scenarios → API routes → JSON 404/405 → errors.
 * Forced answers sit after the body parser (scenarios match body fields) and
 * before the routes (they run no handler, so change no state).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import qs from 'qs';
import { ApiError } from '../domain/api-error';
import { guardMockOrigin } from '../tools/guard-mock-origin';
import { injectFaults } from '../tools/inject-faults';
import { type QaTools, createQaTools } from '../tools/qa-tools';
import { recordRequests } from '../tools/record-requests';
import type { MockState } from './mock-state';
import { adminRoutes } from '../tools/admin-routes';
import { onApiPathsOnly } from '../api/api-cors';
import { CLIENT_CORS_HEADERS, corsOptionsForClients } from '../api/authenticate-client';
import { explainBodyErrors } from '../api/explain-body-errors';
import { refuseHeadOnApi } from '../api/refuse-head';
import { refuseLoneSurrogates } from '../api/refuse-lone-surrogates';
import { type NodeMiddleware, allowedMethodsFor, operationFor, publicationFastPath, publicationRoutes, serveFastPathFirst } from '../api/publication-routes';
import { ResponseWriter, errorKeys } from '../api/response-writer';

export interface AppOptions {
  state: MockState;
  /** Refuse to send any body that breaks the spec (500 naming the field). */
  strict?: boolean;
  /** One line per request; silent when absent. */
  log?: (line: string) => void;
  /** The address clients use, for asset URLs; by default taken from each request's Host. */
  publicUrl?: string;
  /** When set, every /__mock/ request that reads or changes state needs it in `X-Mock-Admin-Token`. */
  adminToken?: string;
  /** The address the server listens on (`--host`): a Host name the /__mock/ tools answer, besides loopback names and IP addresses. */
  host?: string;
  /** Requests the journal keeps (default 500; 0 turns it off). */
  journalSize?: number;
  /** The path a host server mounted the app under (src/mock-handler.ts): asset URLs and the docs' server carry it. */
  mountPrefixOf?: (req: IncomingMessage) => string;
  /** The largest snapshot `PUT /__mock/state` takes (default 100 MB); larger exports say they are too large to restore. */
  snapshotLimitBytes?: number;
}

/** The app and its QA tools, for callers that look at the journal or queue directly. */
export const qaToolsOf = new WeakMap<express.Express, QaTools>();

/** The largest body and query string accepted (413 above). */
export const BODY_LIMIT_BYTES = 1024 * 1024;
export const QUERY_LIMIT_BYTES = 8 * 1024;

/** Headers a browser app sends to the API, allowed by the CORS preflight. */
const CORS_HEADERS = ['X-App-Id', 'X-App-Token', ...CLIENT_CORS_HEADERS, 'Authorization', 'Content-Type', 'X-Voucherify-Channel', 'X-Voucherify-API-Version', 'Prefer'];

function parseQuery(text: string): Record<string, unknown> {
  // deepObject parameters (`customer[source_id]`, `filters[x][conditions][$in][0]`) need nesting;
  // qs never writes to prototypes (`__proto__` keys are dropped) and its limits bound the work.
  return qs.parse(text, { depth: 5, arrayLimit: 100, parameterLimit: 1000, allowPrototypes: false, strictDepth: false });
}

export function createApp(options: AppOptions): express.Express {
  const { state } = options;
  const writer = new ResponseWriter(options.strict ?? false, () => state.ids.requestId());
  const qa = createQaTools(state, { journalSize: options.journalSize, parseQuery });
  const app = express();
  qaToolsOf.set(app, qa);
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', parseQuery);

  // The API's middleware as named instances: the Express app and the fast path run the same ones, in this order.
  const logRequests = options.log ? requestLog(options.log) : undefined;
  // On the API's paths only: the /__mock/ tools answer their own origin (guardMockOrigin); the client-side API
  // answers only the origins its client keys allow (authenticate-client.ts).
  const allowCors = onApiPathsOnly(
    cors(corsOptionsForClients({ origin: true, allowedHeaders: CORS_HEADERS, exposedHeaders: ['Retry-After', 'Preference-Applied'], maxAge: 600 }, () => state.fixtures.client_keys)),
  );
  const journal = recordRequests(qa.journal, state.clock, qa.events);
  // A body that does not decompress as its Content-Encoding says is a 400 naming the encoding.
  const parseJson = explainBodyErrors(express.json({ limit: BODY_LIMIT_BYTES, strict: false, type: ['application/json', 'application/*+json'] }));

  if (logRequests) app.use(logRequests);
  app.use(allowCors);
  app.use(journal);
  app.use(limitQueryString);

  const baseUrl = (req: Request): string => options.publicUrl ?? `${req.protocol}://${req.get('host') ?? '127.0.0.1'}${options.mountPrefixOf?.(req) ?? ''}`;
  app.use(guardMockOrigin({ host: options.host, publicUrl: options.publicUrl }));
  app.use(adminRoutes({ state, qa, adminToken: options.adminToken, snapshotLimitBytes: options.snapshotLimitBytes, baseUrl }));
  app.use(parseJson);
  app.use(refuseLoneSurrogates);
  // Express would answer HEAD with GET's handler, and GET …/create publishes.
  app.use(refuseHeadOnApi(allowedMethodsFor));
  app.use(injectFaults({ state, writer, scenarios: qa.scenarios, events: qa.events }));
  app.use(publicationRoutes({ state, writer, baseUrl }));

  app.use(function answerUnknownRoute(req, res) {
    const allowed = allowedMethodsFor(req.path);
    if (allowed) {
      res.set('Allow', allowed.join(', '));
      writer.error(res, undefined, new ApiError('method_not_allowed', `${req.method} is not allowed on ${req.path}; use ${allowed.join(' or ')}`));
      return;
    }
    writer.error(res, undefined, new ApiError('not_found', `Cannot find route ${req.method} ${req.path}`, { id: req.path, type: 'route' }));
  });

  app.use(errorHandler(writer));

  // The API's operations without Express in the plain cases (publication-routes.ts); forced answers and scenarios stay with the app.
  const before: NodeMiddleware[] = [...(logRequests ? [logRequests as NodeMiddleware] : []), allowCors as NodeMiddleware, journal as NodeMiddleware, limitQueryString, parseJson as NodeMiddleware, refuseLoneSurrogates];
  serveFastPathFirst(
    app,
    publicationFastPath({ state, writer, publicUrl: options.publicUrl, mountPrefixOf: options.mountPrefixOf, before, parseQuery, toApiError, leaveToApp: (req) => req.headers.prefer !== undefined || qa.scenarios.size > 0 }),
  );
  return app;
}

/** 413 for a query string over the limit; on Express's request or Node's own (both paths set `originalUrl`). */
function limitQueryString(req: IncomingMessage & { originalUrl?: string }, _res: ServerResponse, next: (error?: unknown) => void): void {
  const url = req.originalUrl ?? req.url ?? '';
  const at = url.indexOf('?');
  if (at >= 0 && url.length - at - 1 > QUERY_LIMIT_BYTES) {
    next(new ApiError('query_too_large', `The query string exceeds the limit of ${QUERY_LIMIT_BYTES} bytes`));
    return;
  }
  next();
}

/** Maps body-parser's failures to the API's keys; anything unexpected becomes a JSON 500, never a crash. */
function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new ApiError('query_too_large', `The request body exceeds the limit of ${BODY_LIMIT_BYTES} bytes`);
  if (type === 'entity.parse.failed') return new ApiError('invalid_payload', `Malformed JSON: ${(error as Error).message}`);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new ApiError('invalid_payload', (error as Error).message);
  if (type === 'entity.verify.failed' || type === 'request.size.invalid') return new ApiError('invalid_payload', (error as Error).message);
  return new ApiError('internal_error', error instanceof Error ? error.message : String(error));
}

function errorHandler(writer: ResponseWriter): ErrorRequestHandler {
  return function answerError(error: unknown, req, res, _next) {
    const apiError = toApiError(error);
    if (apiError.key === 'internal_error') console.error(error);
    if (res.headersSent) return;
    writer.error(res, apiError.status < 500 ? operationFor(req.method, req.path) : undefined, apiError);
  };
}

function requestLog(log: (line: string) => void): RequestHandler {
  return function logRequest(req, res, next) {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const key = errorKeys.get(res);
      log(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)}ms${key ? ` ${key}` : ''}`);
    });
    next();
  };
}
