import fc from 'fast-check';
import { maskSecrets, maskedJson } from './mask-secrets';

describe('maskSecrets hides fields named like credentials, at any depth, and copies the rest', () => {
  it.each<[string, unknown, unknown]>([
    [
      'token, secret, password, api key, authorization',
      {
        token: 'a',
        client_secret: 'b',
        password: 'c',
        passwd: 'c2',
        apiKey: 'd',
        'api-key': 'e',
        authorization: 'f',
        name: 'g',
      },
      {
        token: '***',
        client_secret: '***',
        password: '***',
        passwd: '***',
        apiKey: '***',
        'api-key': '***',
        authorization: '***',
        name: 'g',
      },
    ],
    ['case does not matter', { X_App_Token: 'a', RefreshToken: 'b' }, { X_App_Token: '***', RefreshToken: '***' }],
    [
      'key, private…, session, pin',
      {
        key: 'a',
        private_key: 'b',
        privateKey: 'c',
        privkey: 'c2',
        session: 'd',
        sessionId: 'e',
        pin: 'f',
        card_pin: 'g',
        'x-api-key': 'h',
      },
      {
        key: '***',
        private_key: '***',
        privateKey: '***',
        privkey: '***',
        session: '***',
        sessionId: '***',
        pin: '***',
        card_pin: '***',
        'x-api-key': '***',
      },
    ],
    [
      'auth…',
      { auth: 'a', auth_code: 'b', authToken: 'c', authentication: 'd', Authorization: 'e' },
      { auth: '***', auth_code: '***', authToken: '***', authentication: '***', Authorization: '***' },
    ],
    [
      'run-together names',
      { accesstoken: 'a', clientsecret: 'b', apikey: 'c', userpassword: 'd' },
      { accesstoken: '***', clientsecret: '***', apikey: '***', userpassword: '***' },
    ],
    [
      'names that only contain those letters stay',
      {
        privacy: 'p',
        shipping: 'a',
        author: 'b',
        keyboard: 'c',
        monkey: 'd',
        opinion: 'e',
        spinner: 'f',
        tokenize: 'g',
      },
      {
        privacy: 'p',
        shipping: 'a',
        author: 'b',
        keyboard: 'c',
        monkey: 'd',
        opinion: 'e',
        spinner: 'f',
        tokenize: 'g',
      },
    ],
    ['nested objects and arrays', { a: [{ b: { password: 'p', ok: 1 } }] }, { a: [{ b: { password: '***', ok: 1 } }] }],
    ['a secret-named object is masked whole', { credentials: { user: 'u', pass: 'p' } }, { credentials: '***' }],
    [
      'null and missing values stay as they are',
      { token: null, secret: undefined },
      { token: null, secret: undefined },
    ],
    ['scalars pass through', 'token', 'token'],
    ['null passes through', null, null],
  ])('%s', (_name, input, expected) => {
    expect(maskSecrets(input)).toEqual(expected);
  });

  it(
    'a `__proto__` field (JSON.parse makes it an own property) stays a ' +
      'field, with its secrets masked, as maskedJson writes it',
    () => {
      const input = JSON.parse('{"__proto__": {"token": "t", "ok": 1}, "a": ""}') as unknown;
      const masked = maskSecrets(input) as Record<string, unknown>;
      expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
      expect(JSON.stringify(masked)).toBe('{"__proto__":{"token":"***","ok":1},"a":""}');
      expect(maskedJson(input, 1000).text).toBe(JSON.stringify(masked));
    },
  );

  it('does not change its input', () => {
    const input = { token: 'a', nested: { secret: 'b' } };
    maskSecrets(input);
    expect(input).toEqual({ token: 'a', nested: { secret: 'b' } });
  });

  it('maskedJson writes JSON.stringify(maskSecrets(value)), or its first `limit` characters', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.integer({ min: 0, max: 300 }), (value, limit) => {
        const whole = JSON.stringify(maskSecrets(value)) ?? 'null';
        expect(maskedJson(value, limit)).toEqual({ text: whole.slice(0, limit), cut: whole.length > limit });
      }),
      { numRuns: 300 },
    );
  });

  it('maskedJson of a huge value does work for what it keeps only: a 1 MB string costs its first characters', () => {
    const value = { description: 'x'.repeat(1_000_000), list: Array.from({ length: 300_000 }, () => ({})) };
    expect(maskedJson(value, 64)).toEqual({ text: JSON.stringify(value).slice(0, 64), cut: true });
  });
});
