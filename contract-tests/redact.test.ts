/**
 * Credentials are masked where they stand as credentials, never as arbitrary
 * substrings (redact.ts): the value of a credential-like field or header, and
 * in free text a secret right after a credential-like word. A token that is an
 * ordinary word (`publication`) leaves the report's own words alone; an
 * implementation echoing the token in an error still has it masked.
 */
import { MASK } from './credentials';
import { redactSecrets } from './redact';
import { runContract } from './runner';
import { type RunningMock, startMock } from '../src/app/server';

describe('redactSecrets', () => {
  it.each<[string, unknown, string[], unknown]>([
    ["a credential field's value", { app_token: 'publication' }, ['publication'], { app_token: MASK }],
    [
      'a credential header, any case, with Bearer',
      { headers: { Authorization: 'Bearer s3cret-tok' } },
      ['s3cret-tok'],
      { headers: { Authorization: `Bearer ${MASK}` } },
    ],
    ["the key pair's id under its header name", { 'X-App-Id': 'my-app-1' }, ['my-app-1'], { 'X-App-Id': MASK }],
    [
      'a nested credential field in an answer',
      { customer: { metadata: { api_key: 'publication' } } },
      ['publication'],
      { customer: { metadata: { api_key: MASK } } },
    ],
    [
      'an ordinary field holding the same word: kept',
      { object: 'publication', data_ref: 'publications' },
      ['publication'],
      { object: 'publication', data_ref: 'publications' },
    ],
    [
      'an error key containing the word: kept (not a whole word)',
      { key: 'not_found' },
      ['found'],
      { key: 'not_found' },
    ],
    [
      'free text echoing the pair: masked after its labels',
      { details: 'app my-app-1 token s3cret-tok is not allowed' },
      ['my-app-1', 's3cret-tok'],
      { details: `app ${MASK} token ${MASK} is not allowed` },
    ],
    [
      'free text with a header line',
      { details: 'X-App-Token: s3cret-tok' },
      ['s3cret-tok'],
      { details: `X-App-Token: ${MASK}` },
    ],
    [
      'free text with a JSON field',
      { received: '{"app_token":"s3cret-tok"}' },
      ['s3cret-tok'],
      { received: `{"app_token":"${MASK}"}` },
    ],
    [
      'free text with the word but no credential label: kept',
      { details: 'Cannot find publication with id pub_1' },
      ['publication'],
      { details: 'Cannot find publication with id pub_1' },
    ],
    [
      'a secret inside a longer word after a label: kept',
      { details: 'token s3cret-token-2' },
      ['s3cret'],
      { details: 'token s3cret-token-2' },
    ],
    ['object keys are never rewritten', { publication: 1 }, ['publication'], { publication: 1 }],
  ])('%s', (_name, input, secrets, expected) => {
    expect(redactSecrets(input, secrets)).toEqual(expected);
  });

  it('keeps a __proto__ key as an own property, and changes no prototype', () => {
    const input = JSON.parse('{"__proto__": {"app_token": "s3cret-tok"}, "a": 1}') as Record<string, unknown>;
    const out = redactSecrets(input, ['s3cret-tok']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe(`{"__proto__":{"app_token":"${MASK}"},"a":1}`);
  });
});

describe('a run whose token is an ordinary word (the mock accepts any pair)', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({ port: 0 });
  });
  afterAll(() => mock.close());

  it('the report keeps every "object": "publication"; the credential headers it recorded are masked', async () => {
    const report = await runContract({
      target: mock.url,
      credentials: { kind: 'pair', appId: 'voucher', appToken: 'publication' },
      checks: 'schema',
    });
    expect(report.exitCode).toBe(0);
    const text = JSON.stringify(report);
    expect(text).toContain('"object":"publication"');
    expect(text).toContain('"object":"voucher"');
    for (const exchange of report.exchanges) {
      for (const [name, value] of Object.entries(exchange.requestHeaders)) {
        if (/^x-app-(id|token)$/i.test(name)) expect(value).toBe(MASK);
      }
    }
  });
});
