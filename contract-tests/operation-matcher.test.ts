/** A method and URL map to the spec operation they exercise, under any base path. */
import { matchOperation } from './operation-matcher';

describe('matchOperation', () => {
  it.each([
    ['GET', 'https://api.voucherify.io/v1/publications/create?customer[id]=c', 'createPublicationFromQuery'],
    ['POST', 'https://api.voucherify.io/v1/publications', 'createPublication'],
    ['get', 'http://127.0.0.1:4010/v1/publications?limit=5', 'listPublications'],
    ['GET', 'https://staging.example.com/api/v1/publications/', 'listPublications'],
    ['GET', '/v1/publications/create', 'createPublicationFromQuery'],
    ['POST', 'https://api.voucherify.io/v1/publications/create', undefined],
    ['GET', 'https://api.voucherify.io/v1/vouchers/cEsMn0uA', undefined],
    ['GET', 'https://api.voucherify.io/v1/xpublications', undefined],
  ])('%s %s → %s', (method, url, operationId) => {
    expect(matchOperation(method, url)?.operationId).toBe(operationId);
  });
});
