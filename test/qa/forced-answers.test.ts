/**
 * Forced answers with Prism's `Prefer` header: `code=N` answers the spec's
 * first example for that status, `example=<name>` that named example, and
 * `delay=<ms>` delays the real answer. A forced answer changes no state;
 * an undocumented code or example is a 400 listing the valid ones.
 * Credentials are still checked first, as Prism does, except when the
 * forced status is 401 or 403 itself.
 */
import { WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { getOperation } from '../../src/spec/operations';
import { PAIR, type QaMock, qaMock, queryString, specViolations } from './support/qa-mock';

let mock: QaMock;
beforeEach(() => {
  mock = qaMock();
});
afterEach(() => mock.close());

const PUBLISH_BODY = { customer: { source_id: 'forced-1' }, campaign: { name: WELL_KNOWN.autoUpdateCampaignName } };
const CREATE_QUERY = queryString({
  customer: { source_id: 'forced-2' },
  campaign: { name: WELL_KNOWN.exampleCampaignName },
});

function example(operationId: string, status: number, name: string): Record<string, unknown> {
  return getOperation(operationId).responses.get(status)!.examples[name] as Record<string, unknown>;
}

/** The example, with the request_id the mock makes fresh for each answer left out. */
function withoutRequestId(body: unknown): unknown {
  const { request_id: _ignored, ...rest } = body as Record<string, unknown>;
  return rest;
}

describe('Prefer: code / example answer the documented example', () => {
  it.each<[string, 'post' | 'get', string, string, number, string]>([
    [
      'POST /v1/publications, code=404 → the first 404 example',
      'post',
      '/v1/publications',
      'code=404',
      404,
      'not_found',
    ],
    [
      'POST /v1/publications, code=400, example=voucher_already_published → that example',
      'post',
      '/v1/publications',
      'code=400, example=voucher_already_published',
      400,
      'voucher_already_published',
    ],
    [
      'POST /v1/publications, example=not_found_campaign alone → found under 404',
      'post',
      '/v1/publications',
      'example=not_found_campaign',
      404,
      'not_found_campaign',
    ],
    [
      'POST /v1/publications, code=200 → the first 200 example (one voucher)',
      'post',
      '/v1/publications',
      'code=200',
      200,
      'one_voucher',
    ],
    [
      'POST /v1/publications, code=200, example=many_vouchers',
      'post',
      '/v1/publications',
      'code=200, example=many_vouchers',
      200,
      'many_vouchers',
    ],
    [
      'GET /v1/publications, code=400, example=page_over_limit',
      'get',
      '/v1/publications',
      'code=400, example=page_over_limit',
      400,
      'page_over_limit',
    ],
    [
      'GET /v1/publications/create, code=413',
      'get',
      `/v1/publications/create?${CREATE_QUERY}`,
      'code=413',
      413,
      'query_too_large',
    ],
    [
      'keys in any case, separated by ";" and a quoted value',
      'post',
      '/v1/publications',
      'CODE=404; Example="not_found_voucher"',
      404,
      'not_found_voucher',
    ],
    [
      'separated by spaces only',
      'post',
      '/v1/publications',
      'code=400 example=missing_vouchers',
      400,
      'missing_vouchers',
    ],
    [
      'preferences the mock does not know are ignored (RFC 7240)',
      'post',
      '/v1/publications',
      'return=minimal, respond-async, code=401',
      401,
      'unauthorized',
    ],
    [
      'GET /v1/vouchers/{code} (a path with a parameter), code=404',
      'get',
      '/v1/vouchers/NOSUCHCODE',
      'code=404',
      404,
      'not_found',
    ],
    [
      'GET /v1/customers/{customerId}, code=200 → its documented customer',
      'get',
      '/v1/customers/anyone',
      'code=200',
      200,
      'customer',
    ],
  ])('%s', async (_name, method, url, prefer, status, name) => {
    const call = method === 'post' ? mock.api.post(url).send(PUBLISH_BODY) : mock.api.get(url);
    const res = await call.set(PAIR).set('Prefer', prefer);
    expect(res.status).toBe(status);
    const operationId = url.startsWith('/v1/publications/create')
      ? 'createPublicationFromQuery'
      : url.startsWith('/v1/vouchers/')
        ? 'getVoucher'
        : url.startsWith('/v1/customers/')
          ? 'getCustomer'
          : method === 'post'
            ? 'createPublication'
            : 'listPublications';
    expect(withoutRequestId(res.body)).toEqual(withoutRequestId(example(operationId, status, name)));
    expect(specViolations(operationId, res)).toEqual([]);
    expect(res.headers['preference-applied']).toMatch(/code=|example=/);
  });

  it('a forced error gets a fresh request_id, not the one written in the spec', async () => {
    const res = await mock.api.post('/v1/publications').set(PAIR).set('Prefer', 'code=404').send(PUBLISH_BODY);
    expect(res.body.request_id).toMatch(/^v-[0-9a-f]{18}$/);
    expect(res.body.request_id).not.toBe(example('createPublication', 404, 'not_found').request_id);
  });

  it('code=429 → the documented 429 with a Retry-After header', async () => {
    const res = await mock.api.post('/v1/publications').set(PAIR).set('Prefer', 'code=429').send(PUBLISH_BODY);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body.key).toBe('too_many_requests');
  });

  it('a forced answer changes no state: no publication, no customer, no counter moves', async () => {
    const before = mock.snapshot();
    for (const prefer of ['code=200', 'code=400, example=voucher_already_published', 'code=404', 'code=429']) {
      await mock.api.post('/v1/publications').set(PAIR).set('Prefer', prefer).send(PUBLISH_BODY);
      await mock.api
        .get(`/v1/publications/create?${CREATE_QUERY}`)
        .set(PAIR)
        .set('Prefer', prefer.replace('example=voucher_already_published', ''));
    }
    expect(mock.snapshot()).toEqual(before);
  });
});

describe('Prefer: credentials are checked first, except for a forced 401 or 403', () => {
  it.each<[string, Record<string, string>, string, number, string]>([
    ['code=404 without credentials → 401 unauthorized (not the 404)', {}, 'code=404', 401, 'unauthorized'],
    ['code=401 without credentials → the 401 example', {}, 'code=401', 401, 'unauthorized'],
    ['code=401 with credentials → the 401 example', PAIR, 'code=401', 401, 'unauthorized'],
    ['code=200 with a bearer token → the 200 example', { Authorization: 'Bearer abc' }, 'code=200', 200, ''],
  ])('%s', async (_name, headers, prefer, status, key) => {
    const res = await mock.api.post('/v1/publications').set(headers).set('Prefer', prefer).send(PUBLISH_BODY);
    expect(res.status).toBe(status);
    if (key) expect(res.body.key).toBe(key);
    expect(specViolations('createPublication', res)).toEqual([]);
  });

  it('GET …/create, code=403 → the documented 403 (no request_id, as documented)', async () => {
    const res = await mock.api.get(`/v1/publications/create?${CREATE_QUERY}`).set('Prefer', 'code=403');
    expect(res.status).toBe(403);
    expect(res.body).toEqual(example('createPublicationFromQuery', 403, 'integration_api_key_required'));
  });
});

describe(
  'Prefer: an unknown code or example → 400 invalid_prefer_header ' + 'listing the valid ones, and nothing changes',
  () => {
    it.each<[string, string, RegExp]>([
      [
        'code=418 (not documented)',
        'code=418',
        /does not document status 418; documented: 200, 400, 401, 404, 413, 429/,
      ],
      ['code=500 (not documented)', 'code=500', /documented: 200, 400, 401, 404, 413, 429/],
      [
        'code=404, example=nope',
        'code=404, example=nope',
        /no example "nope" for status 404; its 404 examples: not_found, not_found_campaign, not_found_voucher/,
      ],
      [
        'example=nope',
        'example=nope',
        /no example named "nope"; its examples by status: 200: one_voucher, many_vouchers; 400: invalid_payload/,
      ],
      ['code=abc', 'code=abc', /code should be an HTTP status from 100 to 599, got "abc"/],
      ['code= (no value)', 'code=', /code needs a value/],
      ['delay=-5', 'delay=-5', /delay should be a whole number of milliseconds from 0 to 60000/],
      ['delay=600000 (over a minute)', 'delay=600000', /from 0 to 60000/],
      ['an unclosed quote', 'example="not_found', /quoted value of example is not closed/],
    ])('%s', async (_name, prefer, details) => {
      const before = mock.snapshot();
      const res = await mock.api.post('/v1/publications').set(PAIR).set('Prefer', prefer).send(PUBLISH_BODY);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 400, key: 'invalid_prefer_header', message: 'Invalid Prefer header' });
      expect(res.body.details).toMatch(details);
      expect(res.body.request_id).toMatch(/^v-/);
      expect(mock.snapshot()).toEqual(before);
    });
  },
);

describe('Prefer: delay=<ms> delays the real answer', () => {
  it(
    'POST /v1/publications with delay=300 → the real 200, at least 300 ms ' + 'later, and the publication is made',
    async () => {
      const started = Date.now();
      const res = await mock.api.post('/v1/publications').set(PAIR).set('Prefer', 'delay=300').send(PUBLISH_BODY);
      expect(Date.now() - started).toBeGreaterThanOrEqual(295);
      expect(res.status).toBe(200);
      expect(res.headers['preference-applied']).toBe('delay=300');
      expect(specViolations('createPublication', res)).toEqual([]);
      const list = await mock.api.get('/v1/publications').set(PAIR);
      expect(list.body.publications.map((p: { id: string }) => p.id)).toContain(res.body.id);
    },
  );

  it('code=404, delay=200 → the forced 404, at least 200 ms later', async () => {
    const started = Date.now();
    const res = await mock.api
      .post('/v1/publications')
      .set(PAIR)
      .set('Prefer', 'code=404, delay=200')
      .send(PUBLISH_BODY);
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
    expect(res.status).toBe(404);
  });
});

describe('Prefer outside the API', () => {
  it.each([
    ['GET /__mock/campaigns', '/__mock/campaigns', 200],
    ['an unknown route', '/v1/vouchers', 404],
  ])('%s ignores Prefer: code=500', async (_name, url, status) => {
    const res = await mock.api.get(url).set(PAIR).set('Prefer', 'code=500');
    expect(res.status).toBe(status);
  });
});
