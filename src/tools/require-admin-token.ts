/**
 * Shared deployments: with `MOCK_ADMIN_TOKEN` set, every /__mock/ request that
 * reads or changes state (the journal, the state, the event stream, the
 * scenario queue and the overview; reset, restore, queueing or clearing
 * scenarios) must carry it in `X-Mock-Admin-Token`: the journal and the state
 * hold customers' details. One token for reading and writing: whoever may see
 * the state may as well restore it. A separate header, not `Authorization`,
 * so it can never be mistaken for API credentials (and the journal never sees
 * it: /__mock/ is not journaled).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from '../domain/api-error';

export const ADMIN_TOKEN_HEADER = 'X-Mock-Admin-Token';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Passes every request when `token` is undefined or empty. */
export function requireAdminToken(token: string | undefined): RequestHandler {
  if (!token) {
    return function noAdminToken(_req, _res, next) {
      next();
    };
  }
  const expected = digest(token);
  return function checkAdminToken(req, _res, next) {
    const given = req.get(ADMIN_TOKEN_HEADER);
    // Compared as digests in constant time: the length of the token leaks nothing either.
    if (given !== undefined && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    next(
      new ApiError(
        'admin_token_required',
        given === undefined
          ? `Send the mock's admin token in the ${ADMIN_TOKEN_HEADER} header (the ` +
              `mock was started with MOCK_ADMIN_TOKEN)`
          : `The ${ADMIN_TOKEN_HEADER} header does not match the mock's admin token`,
      ),
    );
  };
}
