/**
 * The spec-derived router: which operation a method and raw path name, or the path's methods (405), or nothing (404).
 */
import { createApiRouter } from './api-router';
import { listOperations } from './operations';

const router = createApiRouter(listOperations().values());

describe('route', () => {
  it.each<[string, string, string, string | undefined, Record<string, string>]>([
    ['a literal path', 'GET', '/v1/publications', 'listPublications', {}],
    ['the same path, another method', 'POST', '/v1/publications', 'createPublication', {}],
    [
      'literal paths compare without case, as Express routed them',
      'GET',
      '/V1/Publications/Create',
      'createPublicationFromQuery',
      {},
    ],
    ['a trailing slash is allowed', 'GET', '/v1/publications/', 'listPublications', {}],
    ['a parameter is one raw segment (not decoded)', 'GET', '/v1/vouchers/A%2FB', 'getVoucher', { code: 'A%2FB' }],
    ['a parameter named as the spec names it', 'GET', '/v1/customers/cust_1/', 'getCustomer', { customerId: 'cust_1' }],
    ['the client-side publish', 'POST', '/client/v1/publish', 'createPublicationClientSide', {}],
  ])('%s: %s %s → %s', (_name, method, path, operationId, params) => {
    const result = router.route(method, path);
    expect(result.kind).toBe('operation');
    if (result.kind !== 'operation') return;
    expect(result.operation.operationId).toBe(operationId);
    expect(result.params).toEqual(params);
  });

  it.each<[string, string, string, string[] | undefined]>([
    [
      'a method the path does not document → its methods, in the spec order',
      'DELETE',
      '/v1/publications',
      ['GET', 'POST'],
    ],
    ['HEAD is no method of the spec', 'HEAD', '/v1/vouchers/X', ['GET']],
    ['an unknown path → nothing', 'GET', '/v1/nothing', undefined],
    ['an empty parameter is no parameter', 'GET', '/v1/vouchers/', undefined],
    ['a parameter spans one segment only', 'GET', '/v1/vouchers/a/b', undefined],
    ['a prefix of a path is not the path', 'GET', '/v1', undefined],
  ])('%s: %s %s', (_name, method, path, allowed) => {
    const result = router.route(method, path);
    if (allowed === undefined) expect(result).toEqual({ kind: 'none' });
    else expect(result).toEqual({ kind: 'method', allowed });
  });

  it('lists every operation for error messages', () => {
    expect(router.listRoutes()).toBe(
      'GET /v1/publications/create, GET /v1/publications, POST ' +
        '/v1/publications, GET /v1/vouchers/{code}, GET ' +
        '/v1/customers/{customerId}, POST /client/v1/publish',
    );
  });
});
