/**
 * The credentials the suite sends, read from the environment, and the one place
 * that knows how to keep them out of every report: headers are masked where
 * they are recorded, and `secretsOf` feeds the final redaction pass.
 */
import { ConfigError } from './config-error';

/** The spec's two security alternatives: the key pair or a bearer token, never both. */
export type Credentials = { kind: 'pair'; appId: string; appToken: string } | { kind: 'bearer'; token: string };

export const MASK = '***';

/** Masked wherever headers are recorded; cookies too, as a HAR capture carries them. */
const CREDENTIAL_HEADERS = new Set([
  'x-app-id',
  'x-app-token',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
]);

/** VOUCHERIFY_APP_ID + VOUCHERIFY_APP_TOKEN, or VOUCHERIFY_BEARER. */
export function credentialsFromEnv(env: Record<string, string | undefined>): Credentials {
  const appId = env.VOUCHERIFY_APP_ID?.trim() ?? '';
  const appToken = env.VOUCHERIFY_APP_TOKEN?.trim() ?? '';
  const bearer = env.VOUCHERIFY_BEARER?.trim() ?? '';
  if ((appId || appToken) && bearer) {
    throw new ConfigError('set either VOUCHERIFY_APP_ID and VOUCHERIFY_APP_TOKEN, or VOUCHERIFY_BEARER, not both');
  }
  if (bearer) return { kind: 'bearer', token: bearer };
  if (appId && appToken) return { kind: 'pair', appId, appToken };
  if (appId || appToken) {
    throw new ConfigError(
      `${appId ? 'VOUCHERIFY_APP_TOKEN' : 'VOUCHERIFY_APP_ID'} is not set: the key pair needs both`,
    );
  }
  throw new ConfigError('no credentials: set VOUCHERIFY_APP_ID and VOUCHERIFY_APP_TOKEN, or VOUCHERIFY_BEARER');
}

export function authHeaders(credentials: Credentials): Record<string, string> {
  return credentials.kind === 'pair'
    ? { 'X-App-Id': credentials.appId, 'X-App-Token': credentials.appToken }
    : { Authorization: `Bearer ${credentials.token}` };
}

/** The values that must never appear in a report. */
export function secretsOf(credentials: Credentials | undefined): string[] {
  if (!credentials) return [];
  return credentials.kind === 'pair' ? [credentials.appId, credentials.appToken] : [credentials.token];
}

export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADERS.has(name.toLowerCase());
}

/** A copy of `headers` with every credential header's value masked. */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isCredentialHeader(name) ? (/^bearer /i.test(value) ? `Bearer ${MASK}` : MASK) : value;
  }
  return out;
}
