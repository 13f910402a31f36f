/**
 * Credentials, as the API takes them: the X-App-Id + X-App-Token pair, or an
 * OAuth bearer token. Alternatives, not all three at once. `GET …/create` also
 * needs integration keys when the fixtures name some (403 otherwise).
 */
import { ApiError } from '../domain/api-error';

export type Credentials = { kind: 'pair'; appId: string; appToken: string } | { kind: 'bearer' };

/** A request header by name (lowercase), one value. */
export type HeaderReader = (name: string) => string | undefined;

export function readCredentials(get: HeaderReader): Credentials {
  const appId = get('x-app-id')?.trim();
  const appToken = get('x-app-token')?.trim();
  if (appId && appToken) return { kind: 'pair', appId, appToken };
  const bearer = /^Bearer\s+(\S+)/i.exec(get('authorization') ?? '');
  if (bearer) return { kind: 'bearer' };
  throw new ApiError('unauthorized', 'Provide X-App-Id and X-App-Token, or an Authorization Bearer token');
}

/** With no integration keys configured, any non-empty pair is accepted. */
export function requireIntegrationKeys(
  credentials: Credentials,
  keys: ReadonlyArray<{ app_id: string; app_token: string }>,
): void {
  if (keys.length === 0) return;
  const ok =
    credentials.kind === 'pair' &&
    keys.some((k) => k.app_id === credentials.appId && k.app_token === credentials.appToken);
  // Documented: "Forbidden", with neither details nor request_id.
  if (!ok) throw new ApiError('integration_api_key_required');
}
