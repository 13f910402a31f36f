/**
 * The HTTP surface: credentials, unknown paths and methods, malformed and
 * oversized input, prototype keys, CORS and strict mode. No client input,
 * however odd, gets a 5xx, and every error is a Voucherify-shaped JSON body.
 */
import request from 'supertest';
import { WELL_KNOWN } from '../src/fixtures/generate-fixtures';
import { createApp } from '../src/app/create-app';
import { ResponseWriter } from '../src/api/response-writer';
import { loadApi } from '../src/spec/load-api';
import { getOperation } from '../src/spec/operations';
import { PAIR, TEST_NOW, type TestMock, queryString, specViolations, testMock } from './support/test-mock';
import { createMockState } from '../src/app/server';

let mock: TestMock;
beforeEach(() => {
  mock = testMock();
});
afterEach(() => mock.close());

const createQuery = `?${queryString({
  customer: { source_id: 'http-test' },
  campaign: { name: WELL_KNOWN.exampleCampaignName },
})}`;

describe('credentials', () => {
  it.each([
    ['the X-App-Id + X-App-Token pair → 200', PAIR, 200],
    ['only a bearer token → 200', { Authorization: 'Bearer some-token' }, 200],
    ['no credentials → 401 unauthorized', {}, 401],
    ['only X-App-Id → 401 unauthorized', { 'X-App-Id': 'a' }, 401],
    ['an empty X-App-Token → 401 unauthorized', { 'X-App-Id': 'a', 'X-App-Token': '' }, 401],
    ['Authorization without a token → 401 unauthorized', { Authorization: 'Bearer ' }, 401],
    ['Basic authorization → 401 unauthorized', { Authorization: 'Basic YTpi' }, 401],
  ])('GET /v1/publications/create with %s', async (_name, headers, status) => {
    const res = await mock.api.get(`/v1/publications/create${createQuery}`).set(headers);
    expect(res.status).toBe(status);
    expect(specViolations('createPublicationFromQuery', res)).toEqual([]);
    if (status === 401) expect(res.body.key).toBe('unauthorized');
  });

  it.each([
    ['POST /v1/publications', (api: TestMock['api']) => api.post('/v1/publications').send({})],
    ['GET /v1/publications', (api: TestMock['api']) => api.get('/v1/publications')],
  ])('%s without credentials → 401 before any validation', async (_name, send) => {
    const res = await send(mock.api);
    expect(res.status).toBe(401);
    expect(res.body.key).toBe('unauthorized');
  });

  it(
    'with integration keys configured, GET …/create with another pair → ' +
      '403 integration_api_key_required (no details, no request_id)',
    async () => {
      mock.state.fixtures.integration_keys = [{ app_id: 'integration-app', app_token: 'integration-secret' }];
      const refused = await mock.api.get(`/v1/publications/create${createQuery}`).set(PAIR);
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ code: 403, key: 'integration_api_key_required', message: 'Forbidden' });
      expect(specViolations('createPublicationFromQuery', refused)).toEqual([]);
      const bearer = await mock.api.get(`/v1/publications/create${createQuery}`).set({ Authorization: 'Bearer t' });
      expect(bearer.status).toBe(403);
      const accepted = await mock.api
        .get(`/v1/publications/create${createQuery}`)
        .set({ 'X-App-Id': 'integration-app', 'X-App-Token': 'integration-secret' });
      expect(accepted.status).toBe(200);
      // The other operations take any credentials.
      expect((await mock.api.get('/v1/publications').set(PAIR)).status).toBe(200);
    },
  );
});

describe('requests outside the API and malformed input', () => {
  it.each([
    ['an unknown path → 404 JSON', () => mock.api.get('/v1/nothing-here').set(PAIR), 404, 'not_found'],
    [
      'DELETE /v1/publications → 405 with Allow',
      () => mock.api.delete('/v1/publications').set(PAIR),
      405,
      'method_not_allowed',
    ],
    [
      'POST /v1/publications/create → 405 with Allow',
      () => mock.api.post('/v1/publications/create').set(PAIR),
      405,
      'method_not_allowed',
    ],
    [
      'malformed JSON → 400 invalid_payload',
      () => mock.api.post('/v1/publications').set(PAIR).set('Content-Type', 'application/json').send('{"customer": {'),
      400,
      'invalid_payload',
    ],
    [
      'a JSON array body → 400 invalid_payload',
      () => mock.api.post('/v1/publications').set(PAIR).send([1, 2]),
      400,
      'invalid_payload',
    ],
    [
      'a JSON string body → 400 invalid_payload',
      () => mock.api.post('/v1/publications').set(PAIR).set('Content-Type', 'application/json').send('"hello"'),
      400,
      'invalid_payload',
    ],
    [
      'a JSON null body → 400 invalid_payload',
      () => mock.api.post('/v1/publications').set(PAIR).set('Content-Type', 'application/json').send('null'),
      400,
      'invalid_payload',
    ],
    ['no body at all → 400 invalid_payload', () => mock.api.post('/v1/publications').set(PAIR), 400, 'invalid_payload'],
    [
      'a text/plain body → 400 invalid_payload',
      () => mock.api.post('/v1/publications').set(PAIR).set('Content-Type', 'text/plain').send('customer=1'),
      400,
      'invalid_payload',
    ],
    [
      'an unsupported charset → 400 invalid_payload',
      () =>
        mock.api.post('/v1/publications').set(PAIR).set('Content-Type', 'application/json; charset=klingon').send('{}'),
      400,
      'invalid_payload',
    ],
    [
      'a body over 1 MB → 413 query_too_large',
      () =>
        mock.api
          .post('/v1/publications')
          .set(PAIR)
          .send({ customer: { source_id: 'x', description: 'a'.repeat(1_100_000) }, voucher: 'X' }),
      413,
      'query_too_large',
    ],
    [
      'a query string over 8 KiB → 413 query_too_large',
      () => mock.api.get(`/v1/publications?source_id=${'a'.repeat(10_000)}`).set(PAIR),
      413,
      'query_too_large',
    ],
    [
      'a repeated scalar parameter → 400 invalid_query_params',
      () => mock.api.get('/v1/publications?limit=1&limit=2').set(PAIR),
      400,
      'invalid_query_params',
    ],
    [
      'a bracket where a scalar belongs → 400 invalid_query_params',
      () => mock.api.get('/v1/publications?limit[x]=1').set(PAIR),
      400,
      'invalid_query_params',
    ],
    [
      'an infinite page number → 400 invalid_query_params',
      () => mock.api.get('/v1/publications?page=1e400').set(PAIR),
      400,
      'invalid_query_params',
    ],
    [
      'a huge finite page number → 400 page_over_limit',
      () => mock.api.get('/v1/publications?page=1e300').set(PAIR),
      400,
      'page_over_limit',
    ],
    [
      'infinite metadata in a query → 400 invalid_query_params',
      () => mock.api.get(`/v1/publications/create?customer[source_id]=i&voucher=X&campaign[count]=1e999`).set(PAIR),
      400,
      'invalid_query_params',
    ],
    [
      'a huge limit → 400 invalid_query_params',
      () => mock.api.get('/v1/publications?limit=1e400').set(PAIR),
      400,
      'invalid_query_params',
    ],
    [
      'a huge campaign count in JSON → 400 invalid_payload',
      () =>
        mock.api
          .post('/v1/publications')
          .set(PAIR)
          .set('Content-Type', 'application/json')
          .send('{"customer":{"source_id":"h"},"campaign":{"name":"x","count":1e400}}'),
      400,
      'invalid_payload',
    ],
    [
      'deeply nested brackets → 400 invalid_query_params',
      () => mock.api.get(`/v1/publications/create?customer${'[a]'.repeat(40)}=1`).set(PAIR),
      400,
      'invalid_query_params',
    ],
    [
      'broken percent-encoding → a JSON answer, not a crash',
      () => mock.api.get('/v1/publications?source_id=%E0%A4%A').set(PAIR),
      200,
      undefined,
    ],
  ])('%s', async (_name, send, status, key) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    if (key) {
      expect(res.body).toMatchObject({ code: status, key });
      expect(typeof res.body.message).toBe('string');
      expect(typeof res.body.details).toBe('string');
      expect(res.body.request_id).toMatch(/^v-[0-9a-f]{18}$/);
    }
    if (status === 405) expect(res.headers.allow).toBeDefined();
  });

  it.each([
    [
      '__proto__ in a JSON body',
      '{"customer":{"source_id":"p1","metadata":{"__proto__":{"polluted":true}}},"voucher":"STANDALONE-10",' +
        '"metadata":{"constructor":{"prototype":{"polluted":true}}}}',
    ],
    [
      '__proto__ at the top of a JSON body',
      '{"__proto__":{"polluted":true},"customer":{"source_id":"p2"},"voucher":"STANDALONE-10"}',
    ],
  ])('%s never reaches a prototype', async (_name, text) => {
    const res = await mock.api.post('/v1/publications').set(PAIR).set('Content-Type', 'application/json').send(text);
    expect(res.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('__proto__ and constructor in a query string never reach a prototype', async () => {
    const res = await mock.api
      .get(
        '/v1/publications/create?customer[source_id]=q1&customer[__proto__][polluted]=1' +
          `&metadata[constructor][prototype][polluted]=1&voucher=${WELL_KNOWN.standaloneCode}`,
      )
      .set(PAIR);
    expect(res.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a rejected request changes nothing', async () => {
    const before = mock.state.store.listPublications({
      must: [],
      filters: [],
      junction: 'and',
      order: { field: 'created_at', direction: 'desc' },
      limit: 100,
      offset: 0,
    }).total;
    const customersBefore = mock.state.store.listCustomers(1000).length;
    await mock.api
      .post('/v1/publications')
      .set(PAIR)
      .send({ customer: { source_id: 'never-made' }, campaign: { name: WELL_KNOWN.exampleCampaignName, count: 99 } });
    await mock.api
      .post('/v1/publications')
      .set(PAIR)
      .send({ customer: { source_id: 'never-made' }, campaign: 'No Such Campaign' });
    expect(mock.state.store.findCustomerBySourceId('never-made')).toBeUndefined();
    expect(mock.state.store.listCustomers(1000).length).toBe(customersBefore);
    expect(
      mock.state.store.listPublications({
        must: [],
        filters: [],
        junction: 'and',
        order: { field: 'created_at', direction: 'desc' },
        limit: 100,
        offset: 0,
      }).total,
    ).toBe(before);
  });
});

describe('CORS', () => {
  it("the preflight allows the API's headers from another origin", async () => {
    const res = await mock.api
      .options('/v1/publications')
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'POST')
      .set(
        'Access-Control-Request-Headers',
        'x-app-id,x-app-token,authorization,content-type,x-voucherify-channel,x-voucherify-api-version',
      );
    expect(res.status).toBeLessThan(300);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const allowed = String(res.headers['access-control-allow-headers']).toLowerCase();
    for (const h of [
      'x-app-id',
      'x-app-token',
      'authorization',
      'content-type',
      'x-voucherify-channel',
      'x-voucherify-api-version',
    ])
      expect(allowed).toContain(h);
  });

  it('an actual cross-origin answer carries Access-Control-Allow-Origin', async () => {
    const res = await mock.api.get('/v1/publications').set(PAIR).set('Origin', 'http://localhost:5173');
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });
});

describe('strict mode', () => {
  it('refuses to send a body that breaks the spec: 500 naming the field', async () => {
    const state = createMockState({ now: TEST_NOW });
    // On SQLite the world is filled synchronously; the promise only reports how.
    void state.initialize();
    const writer = new ResponseWriter({ check: loadApi().checkResponse, nextRequestId: () => 'v-000000000000000000' });
    const app = createApp({ state, strict: true });
    // A drifting handler, mounted in front of the real app, answers through the strict writer.
    const express = (await import('express')).default;
    const outer = express();
    outer.get('/drift', (_req, res) =>
      writer.json(res, getOperation('listPublications'), 200, {
        object: 'list',
        data_ref: 'publications',
        publications: [],
        total: '0',
      }),
    );
    outer.use(app);
    const res = await request(outer).get('/drift');
    expect(res.status).toBe(500);
    expect(res.body.key).toBe('mock_response_invalid');
    expect(res.body.details).toContain('at /total');
    state.store.close();
  });
});
