import { maskSecrets } from './mask-secrets';

describe('maskSecrets hides fields named like credentials, at any depth, and copies the rest', () => {
  it.each<[string, unknown, unknown]>([
    ['token, secret, password, api key, authorization', { token: 'a', client_secret: 'b', password: 'c', passwd: 'c2', apiKey: 'd', 'api-key': 'e', authorization: 'f', name: 'g' }, { token: '***', client_secret: '***', password: '***', passwd: '***', apiKey: '***', 'api-key': '***', authorization: '***', name: 'g' }],
    ['case does not matter', { X_App_Token: 'a', RefreshToken: 'b' }, { X_App_Token: '***', RefreshToken: '***' }],
    ['nested objects and arrays', { a: [{ b: { password: 'p', ok: 1 } }] }, { a: [{ b: { password: '***', ok: 1 } }] }],
    ['a secret-named object is masked whole', { credentials: { user: 'u', pass: 'p' } }, { credentials: '***' }],
    ['null and missing values stay as they are', { token: null, secret: undefined }, { token: null, secret: undefined }],
    ['scalars pass through', 'token', 'token'],
    ['null passes through', null, null],
  ])('%s', (_name, input, expected) => {
    expect(maskSecrets(input)).toEqual(expected);
  });

  it('does not change its input', () => {
    const input = { token: 'a', nested: { secret: 'b' } };
    maskSecrets(input);
    expect(input).toEqual({ token: 'a', nested: { secret: 'b' } });
  });
});
