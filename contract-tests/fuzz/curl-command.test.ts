/**
 * A failing request as a curl command: pasted into a shell, it sends what the
 * suite sent (brackets readable, hence `-g`; the body as sent, single-quoted),
 * with the credentials taken from the environment, never their values.
 */
import { execFileSync } from 'node:child_process';
import type { ExchangeRequest } from '../exchange';
import { curlCommand } from './curl-command';

const pairHeaders = { Accept: 'application/json', 'X-App-Id': '***', 'X-App-Token': '***' };

describe('curlCommand', () => {
  it.each<[string, ExchangeRequest, 'pair' | 'bearer', string]>([
    [
      'a GET with deepObject brackets → -g, brackets and $ readable, the key ' +
        'pair from VOUCHERIFY_APP_ID and VOUCHERIFY_APP_TOKEN',
      {
        method: 'GET',
        url: 'http://127.0.0.1:1/v1/publications?filters%5Bresult%5D%5Bconditions%5D%5B%24in%5D%5B0%5D=SUCCESS&limit=101',
        path: '',
        headers: pairHeaders,
      },
      'pair',
      `curl -g -sS -i ` +
        `'http://127.0.0.1:1/v1/publications?filters[result][conditions][$in][0]=SUCCESS&limit=101' ` +
        `-H 'Accept: application/json' -H "X-App-Id: $VOUCHERIFY_APP_ID" -H ` +
        `"X-App-Token: $VOUCHERIFY_APP_TOKEN"`,
    ],
    [
      'a POST with a JSON body holding a quote → -X POST, --data-raw single-quoted',
      {
        method: 'POST',
        url: 'http://127.0.0.1:1/v1/publications',
        path: '',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ***' },
        body: { customer: { name: "O'Brien" } },
      },
      'bearer',
      `curl -sS -i -X POST 'http://127.0.0.1:1/v1/publications' -H ` +
        `'Content-Type: application/json' -H "Authorization: Bearer ` +
        `$VOUCHERIFY_BEARER" --data-raw '{"customer":{"name":"O'\\''Brien"}}'`,
    ],
    [
      'a body sent as text (no JSON) → that text, as sent',
      {
        method: 'POST',
        url: 'http://127.0.0.1:1/v1/publications',
        path: '',
        headers: { 'Content-Type': 'text/plain' },
        body: '{"customer":',
        bodyText: '{"customer":',
      },
      'pair',
      `curl -sS -i -X POST 'http://127.0.0.1:1/v1/publications' -H ` +
        `'Content-Type: text/plain' --data-raw '{"customer":'`,
    ],
    [
      'half the key pair sent → only that half',
      { method: 'GET', url: 'http://127.0.0.1:1/v1/vouchers/x', path: '', headers: { 'X-App-Id': '***' } },
      'pair',
      `curl -sS -i 'http://127.0.0.1:1/v1/vouchers/x' -H "X-App-Id: $VOUCHERIFY_APP_ID"`,
    ],
  ])('%s', (_name, request, credentials, expected) => {
    expect(curlCommand(request, credentials)).toBe(expected);
  });

  it(
    'the shell reads it back as the arguments meant: the body byte for ' +
      'byte, the variables expanded by the shell only',
    () => {
      const body = { customer: { name: "O'Brien $HOME `x`", note: 'a\\b' } };
      const command = curlCommand(
        { method: 'POST', url: 'http://127.0.0.1:1/v1/publications', path: '', headers: { 'X-App-Id': '***' }, body },
        'pair',
      );
      // printf in place of curl: each argument on its own line, as the shell passes them.
      const args = execFileSync('sh', ['-c', `${command.replace(/^curl/, "printf '%s\\n'")}`], {
        env: { VOUCHERIFY_APP_ID: 'from-env' },
        encoding: 'utf8',
      }).split('\n');
      expect(args).toContain('X-App-Id: from-env');
      expect(args).toContain(JSON.stringify(body));
    },
  );
});
