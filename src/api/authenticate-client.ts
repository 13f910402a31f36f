/**
 * Credentials of the client-side API (`/client/v1/…`, the browser SDK's): the
 * X-Client-Application-Id + X-Client-Token pair, checked against the fixtures'
 * `client_keys` and the origins each allows; the server pair and a bearer token
 * are accepted too, as the spec says. Also the CORS options of the API, since a
 * key's allowed origins decide which pages may call the client-side API.
 */
import type { IncomingMessage } from 'node:http';
import type { CorsOptions, CorsOptionsDelegate } from 'cors';
import type { ClientKey } from '../domain/fixtures';
import { ApiError } from '../domain/api-error';

/** Where the client-side API lives; the CORS restriction by origin applies only here. */
export const CLIENT_API_PREFIX = '/client/v1/';

/** The request headers the browser SDK sends to the client-side API, for the CORS preflight. */
export const CLIENT_CORS_HEADERS = ['X-Client-Application-Id', 'X-Client-Token'];

/**
 * Accepts the request's credentials or throws a 401 `unauthorized` naming why.
 * `get` reads a header by name (Express's `req.get`, or the fast path's).
 * With no client keys configured, any non-empty client pair is accepted.
 */
export function authenticateClient(get: (name: string) => string | undefined, clientKeys: readonly ClientKey[]): void {
  const appId = get('x-client-application-id')?.trim();
  const token = get('x-client-token')?.trim();
  if (appId && token) {
    checkClientKey(appId, token, get('origin'), clientKeys);
    return;
  }
  if (get('x-app-id')?.trim() && get('x-app-token')?.trim()) return;
  if (/^Bearer\s+\S/i.test(get('authorization') ?? '')) return;
  const half = appId ? 'X-Client-Token is missing. ' : token ? 'X-Client-Application-Id is missing. ' : '';
  throw new ApiError(
    'unauthorized',
    `${half}Provide X-Client-Application-Id and X-Client-Token, X-App-Id ` +
      `and X-App-Token, or an Authorization Bearer token`,
  );
}

function checkClientKey(
  appId: string,
  token: string,
  origin: string | undefined,
  clientKeys: readonly ClientKey[],
): void {
  if (clientKeys.length === 0) return;
  const key = clientKeys.find((k) => k.app_id === appId);
  if (!key) throw new ApiError('unauthorized', `Client application '${appId}' is not a configured client key`);
  if (key.app_token !== token)
    throw new ApiError('unauthorized', `X-Client-Token is not the token of client application '${appId}'`);
  if (!key.allowed_origins?.length) return;
  if (origin === undefined)
    throw new ApiError(
      'unauthorized',
      `Client application '${appId}' is only allowed from its origins, and the request has no Origin header`,
    );
  if (!isOriginAllowed(key.allowed_origins, origin))
    throw new ApiError('unauthorized', `Origin '${origin}' is not allowed for client application '${appId}'`);
}

/** Origins compare as browsers send them: scheme and host without case, no trailing slash. */
function isOriginAllowed(allowed: readonly string[], origin: string): boolean {
  const normalize = (value: string) => value.trim().toLowerCase().replace(/\/+$/, '');
  const wanted = normalize(origin);
  return allowed.some((entry) => normalize(entry) === wanted);
}

/**
 * The origins pages may call the client-side API from: all of them (`true`)
 * unless every configured client key restricts its origins, then their union.
 */
function clientOrigins(clientKeys: readonly ClientKey[]): true | string[] {
  if (clientKeys.length === 0 || clientKeys.some((k) => !k.allowed_origins?.length)) return true;
  return clientKeys.flatMap((k) => k.allowed_origins ?? []);
}

/**
 * CORS options per request: `base` as given for the API, except that on the
 * client-side API an origin none of the client keys allows gets no
 * Access-Control-Allow-Origin, so the browser stops the call as the real API's
 * would. The keys are read per request: a reset or a fixture change applies at once.
 */
export function corsOptionsForClients(
  base: CorsOptions,
  clientKeys: () => readonly ClientKey[],
): CorsOptionsDelegate<IncomingMessage> {
  return function decideCors(req, callback) {
    const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
    if (!url.toLowerCase().startsWith(CLIENT_API_PREFIX)) {
      callback(null, base);
      return;
    }
    const origins = clientOrigins(clientKeys());
    const origin = req.headers.origin;
    const allowed = origins === true || (origin !== undefined && isOriginAllowed(origins, origin));
    // An empty list, not `false`: cors still answers the preflight (204), only without Access-Control-Allow-Origin.
    callback(null, { ...base, origin: allowed ? base.origin : [] });
  };
}
