/**
 * The app factory: the whole mock over a given state, as one request handler,
 * so tests run it in-process on an in-memory store and never open a port. The
 * entry point (src/cli.ts) only parses options and listens.
 *
 * Composition: the API handler (src/api/api-handler.ts) answers every request
 * but the mock's own tools; Express serves the tools (/__mock/…, static pages,
 * their body parsers, the Host/Origin guard), with the API handler mounted
 * ahead of them (`app.use(apiHandler)`), which opens the tools' exchanges and
 * passes them on. The returned handler sends API requests to the API handler
 * directly, without Express's request and response prototypes (see
 * docs/decisions/0002-api-handler-outside-express.md), and /__mock/ requests
 * to the Express app. The app's exchanges (one per request) are announced on
 * its own ExchangeHub: the request log and the journal subscribe to it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from 'express';
import { ApiError } from '../domain/api-error';
import { guardMockOrigin } from '../tools/guard-mock-origin';
import { injectFaults } from '../tools/inject-faults';
import { type QaTools, createQaTools } from '../tools/qa-tools';
import { recordRequests } from '../tools/record-requests';
import type { MockState } from './mock-state';
import { adminRoutes } from '../tools/admin-routes';
import { type ApiHandler, createApiHandler, isMockPath, parseQuery } from '../api/api-handler';
import { type Exchange, ExchangeHub, exchangeOf } from '../api/exchange';
import { ResponseWriter } from '../api/response-writer';
import { type Api, loadApi } from '../spec/load-api';

export { BODY_LIMIT_BYTES, QUERY_LIMIT_BYTES } from '../api/api-handler';

export interface AppOptions {
  state: MockState;
  /** What the mock derives from the spec (load-api.ts); built from the default spec when absent. */
  api?: Api;
  /** Refuse to send any body that breaks the spec (500 naming the field). */
  strict?: boolean;
  /** One line per request; silent when absent. */
  log?: (line: string) => void;
  /** The address clients use, for asset URLs; by default taken from each request's Host. */
  publicUrl?: string;
  /** When set, every /__mock/ request that reads or changes state needs it in `X-Mock-Admin-Token`. */
  adminToken?: string;
  /**
   * The address the server listens on (`--host`): a Host name the /__mock/ tools answer, besides loopback names and IP
   * addresses.
   */
  host?: string;
  /** Requests the journal keeps (default 500; 0 turns it off). */
  journalSize?: number;
  /** The path a host server mounted the app under (src/mock-handler.ts): asset URLs and the docs' server carry it. */
  mountPrefixOf?: (req: IncomingMessage) => string;
  /**
   * The largest snapshot `PUT /__mock/state` takes (default 100 MB); larger exports say they are too large to restore.
   */
  snapshotLimitBytes?: number;
}

/** The mock as a connect-style handler, with what it is made of. */
export interface MockApp {
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  /** The one API handler (answers every request but /__mock/…). */
  apiHandler: ApiHandler;
  /** The Express app of the tools, with the API handler mounted ahead of them. */
  express: Express;
  /** The app's QA tools: the journal, the scenario queue, the dashboard's events. */
  qa: QaTools;
  /** One exchange per request, announced when its response closes. */
  exchanges: ExchangeHub;
  api: Api;
}

export function createApp(options: AppOptions): MockApp {
  const { state } = options;
  const api = options.api ?? loadApi();
  const writer = new ResponseWriter({
    check: options.strict ? api.checkResponse : undefined,
    nextRequestId: () => state.ids.requestId(),
  });
  const qa = createQaTools(state, { journalSize: options.journalSize, parseQuery });
  const exchanges = new ExchangeHub();
  if (options.log) exchanges.subscribe(logExchange(options.log));
  exchanges.subscribe(recordRequests(qa.journal, qa.events));

  const apiHandler = createApiHandler({
    api,
    state,
    writer,
    exchanges,
    publicUrl: options.publicUrl,
    mountPrefixOf: options.mountPrefixOf,
    forcedAnswers: injectFaults({ state, scenarios: qa.scenarios, events: qa.events }),
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', parseQuery);
  const baseUrl = (req: IncomingMessage): string =>
    options.publicUrl ??
    `${(req as Request).protocol}://${req.headers.host ?? '127.0.0.1'}${options.mountPrefixOf?.(req) ?? ''}`;
  app.use(apiHandler);
  app.use(guardMockOrigin({ host: options.host, publicUrl: options.publicUrl }));
  app.use(
    adminRoutes({
      state,
      qa,
      adminToken: options.adminToken,
      snapshotLimitBytes: options.snapshotLimitBytes,
      baseUrl,
      router: api.router,
      spec: api.doc,
    }),
  );
  app.use(function answerUnknownToolRoute(req, res) {
    writer.error(
      res,
      undefined,
      new ApiError('not_found', `Cannot find route ${req.method} ${req.path}`, { id: req.path, type: 'route' }),
      exchangeOf(req),
    );
  });
  app.use(answerToolError(writer));

  const serveMock = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void => {
    const url = req.url ?? '/';
    const at = url.indexOf('?');
    if (isMockPath(at < 0 ? url : url.slice(0, at))) app(req as Request, res as Response, next ?? (() => undefined));
    else apiHandler(req, res, next);
  };
  return Object.assign(serveMock, { apiHandler, express: app, qa, exchanges, api });
}

/** The tools' failures: an ApiError as it says, anything unexpected a JSON 500 (logged), never a crash. */
function answerToolError(writer: ResponseWriter): ErrorRequestHandler {
  return function answerError(error: unknown, req, res, _next) {
    const apiError =
      error instanceof ApiError
        ? error
        : new ApiError('internal_error', error instanceof Error ? error.message : String(error));
    if (apiError.key === 'internal_error') console.error(error);
    if (res.headersSent) return;
    writer.error(res, undefined, apiError, exchangeOf(req));
  };
}

function logExchange(log: (line: string) => void): (exchange: Exchange) => void {
  return function logRequest(exchange) {
    // Only answered requests, as before: a dropped connection is the journal's to show.
    if (exchange.status === null) return;
    log(
      `${exchange.method} ${exchange.originalUrl} ${exchange.status} ` +
        `${exchange.durationMs.toFixed(1)}ms${exchange.errorKey ? ` ${exchange.errorKey}` : ''}`,
    );
  };
}
