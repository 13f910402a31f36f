/**
 * HEAD never changes state. Express answers HEAD with a route's GET handler,
 * and `GET /v1/publications/create` publishes: three HEADs took three codes
 * from a pool. The API documents no HEAD, so on the API's paths (`/v1/…`,
 * `/client/v1/…`) a HEAD runs no handler: 405 with `Allow` listing the
 * documented methods, or 404 on a path the API does not have. The mock's own
 * tools under /__mock/ only read on GET, and keep HEAD.
 */
import type { RequestHandler } from 'express';
import { ApiError } from '../domain/api-error';
import { isApiPath } from './api-cors';

/** `allowedMethodsFor` gives the methods an API path (lowercase, no trailing slash) answers, undefined for none. */
export function refuseHeadOnApi(allowedMethodsFor: (path: string) => readonly string[] | undefined): RequestHandler {
  return function refuseHead(req, res, next) {
    if (req.method !== 'HEAD' || !isApiPath(req.path)) {
      next();
      return;
    }
    // Found the way Express routes: without case, and with or without a trailing slash.
    const lower = req.path.toLowerCase();
    const path = lower.length > 1 && lower.endsWith('/') ? lower.slice(0, -1) : lower;
    const methods = allowedMethodsFor(path);
    if (!methods) {
      next(new ApiError('not_found', `Cannot find route HEAD ${req.path}`, { id: req.path, type: 'route' }));
      return;
    }
    res.set('Allow', methods.join(', '));
    next(new ApiError('method_not_allowed', `HEAD is not allowed on ${req.path}: it would run the operation; use ${methods.join(' or ')}`));
  };
}
