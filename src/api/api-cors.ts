/**
 * CORS where browser apps need it, and nowhere else: on the API's paths
 * (`/v1/…`, and the client-side API's `/client/v1/…`), never on the mock's
 * own tools under `/__mock/` (the dashboard is same-origin; a page on another
 * origin must not read the journal or the state, nor preflight a write).
 * Works on Node's own request too (the API's fast path runs it).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** The API's paths, as Express routes them (without case). */
const API_PATH = /^\/(client\/)?v1(\/|$)/i;

export function isApiPath(path: string): boolean {
  return API_PATH.test(path);
}

/** `cors` (or any middleware) run only for requests to the API's paths. */
export function onApiPathsOnly(middleware: Middleware): Middleware {
  return function corsOnApiPaths(req, res, next) {
    const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    if (isApiPath(url)) middleware(req, res, next);
    else next();
  };
}
