/**
 * A failing request as a `curl` command to paste into a shell: the URL with
 * its deepObject brackets readable (hence `-g`, so curl does not glob them),
 * the headers as sent, the body as sent, and the credentials as environment
 * variables, never their values (the exchange only holds them masked anyway).
 */
import type { Credentials } from '../credentials';
import type { ExchangeRequest } from '../exchange';

/** The variables a credential header is sent from, as the suite reads them. */
const FROM_ENVIRONMENT: Record<string, string> = {
  'x-app-id': '$VOUCHERIFY_APP_ID',
  'x-app-token': '$VOUCHERIFY_APP_TOKEN',
  authorization: 'Bearer $VOUCHERIFY_BEARER',
};

/** One argument in single quotes: nothing in it is expanded by the shell. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Brackets and `$` shown as typed (`filters[result][conditions][$in][0]`); everything else stays encoded. */
function readableUrl(url: string): string {
  return url.replace(/%5B/gi, '[').replace(/%5D/gi, ']').replace(/%24/g, '$');
}

export function curlCommand(request: ExchangeRequest, credentials: Credentials['kind']): string {
  const url = readableUrl(request.url);
  const parts = ['curl', ...(/[[\]{}]/.test(url) ? ['-g'] : []), '-sS', '-i'];
  if (request.method !== 'GET') parts.push('-X', request.method);
  parts.push(quote(url));
  for (const [name, value] of Object.entries(request.headers)) {
    const variable = FROM_ENVIRONMENT[name.toLowerCase()];
    if (variable === undefined) {
      parts.push('-H', quote(`${name}: ${value}`));
    } else {
      // The header is sent the way the run sent it; only the kind of credentials decides which variables hold it.
      const bearer = name.toLowerCase() === 'authorization';
      if (bearer !== (credentials === 'bearer')) continue;
      parts.push('-H', `"${name}: ${variable}"`);
    }
  }
  const body = request.bodyText ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  if (body !== undefined) parts.push('--data-raw', quote(body));
  return parts.join(' ');
}
