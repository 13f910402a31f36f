/**
 * The request journal at GET /__mock/requests: recent API requests, newest
 * first, with time, method, path, query, body (credentials masked), status,
 * duration and error key; filterable by path, status and customer; bounded;
 * cleared by reset. The mock's own /__mock/ requests are not journaled.
 */
import { WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { PAIR, TEST_NOW, type QaMock, qaMock, queryString } from './support/qa-mock';

let mock: QaMock;

interface Entry {
  id: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  headers: Record<string, string>;
  status: number | null;
  duration_ms: number;
  error_key: string | null;
  forced: string | null;
  customer: { id: string | null; source_id: string | null };
  publication_id: string | null;
  voucher_codes: string[];
  error: unknown;
}

async function journal(query = ''): Promise<Entry[]> {
  const res = await mock.api.get(`/__mock/requests${query}`);
  expect(res.status).toBe(200);
  return res.body.requests as Entry[];
}

function publish(sourceId: string, extra: Record<string, unknown> = {}) {
  return mock.api
    .post('/v1/publications')
    .set(PAIR)
    .send({ customer: { source_id: sourceId }, campaign: { name: WELL_KNOWN.autoUpdateCampaignName }, ...extra });
}

describe('what an entry holds', () => {
  beforeEach(() => {
    mock = qaMock();
  });
  afterEach(() => mock.close());

  it(
    'a successful POST: time, method, path, body, status, duration, ' + 'customer, publication and code; newest first',
    async () => {
      await mock.api.get('/v1/publications?limit=1').set(PAIR);
      const res = await publish('journal-1', { metadata: { year: 2026 } });
      const [entry, older] = await journal();
      expect(entry).toMatchObject({
        time: TEST_NOW,
        method: 'POST',
        path: '/v1/publications',
        query: {},
        body: {
          customer: { source_id: 'journal-1' },
          campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
          metadata: { year: 2026 },
        },
        status: 200,
        error_key: null,
        forced: null,
        customer: { id: res.body.customer.id, source_id: 'journal-1' },
        publication_id: res.body.id,
        voucher_codes: [res.body.voucher.code],
        error: null,
      });
      expect(entry!.duration_ms).toBeGreaterThanOrEqual(0);
      expect(entry!.headers).toMatchObject({
        'x-app-id': PAIR['X-App-Id'],
        'content-type': expect.stringMatching(/json/),
      });
      expect(older).toMatchObject({ method: 'GET', path: '/v1/publications', query: { limit: '1' }, status: 200 });
      expect(entry!.id).toBeGreaterThan(older!.id);
    },
  );

  it('an error answer: status, the error key the writer set, and the error body', async () => {
    await publish('journal-2', { voucher: WELL_KNOWN.alreadyPublishedCode });
    const [entry] = await journal();
    expect(entry).toMatchObject({
      status: 400,
      error_key: 'voucher_already_published',
      error: { key: 'voucher_already_published' },
    });
  });

  it.each([
    ['an unknown route', () => mock.api.get('/v1/vouchers'), 404, 'not_found'],
    ['a wrong method', () => mock.api.delete('/v1/publications'), 405, 'method_not_allowed'],
    ['no credentials', () => mock.api.get('/v1/publications'), 401, 'unauthorized'],
    [
      'malformed JSON',
      () => mock.api.post('/v1/publications').set(PAIR).set('Content-Type', 'application/json').send('{'),
      400,
      'invalid_payload',
    ],
  ])('%s is journaled with its status and key', async (_name, send, status, key) => {
    await send();
    const [entry] = await journal();
    expect(entry).toMatchObject({ status, error_key: key });
  });

  it(
    'credentials are masked: X-App-Token, Authorization, and body fields ' +
      'named like token / secret / password / api key, at any depth',
    async () => {
      await mock.api
        .post('/v1/publications')
        .set(PAIR)
        .set('Authorization', 'Bearer sk_live_123')
        .send({
          customer: { source_id: 'm', metadata: { api_key: 'k-1', nested: [{ password: 'p' }] } },
          campaign: WELL_KNOWN.autoUpdateCampaignName,
          token: 't',
          client_secret: 's',
        });
      const [entry] = await journal();
      expect(entry!.headers['x-app-token']).toBe('***');
      expect(entry!.headers.authorization).toBe('Bearer ***');
      expect(entry!.body).toEqual({
        customer: { source_id: 'm', metadata: { api_key: '***', nested: [{ password: '***' }] } },
        campaign: WELL_KNOWN.autoUpdateCampaignName,
        token: '***',
        client_secret: '***',
      });
      expect(JSON.stringify(await journal())).not.toMatch(/sk_live_123|test-secret|k-1|"p"|"t"|"s"/);
    },
  );

  it(
    'masking is by field, not by text: a token that is an ordinary word is ' +
      'masked as the header and left alone elsewhere',
    async () => {
      await mock.api
        .post('/v1/publications')
        .set({ 'X-App-Id': 'shop', 'X-App-Token': 'publication' })
        .send({
          customer: { source_id: 'publication-fan', metadata: { note: 'publication' } },
          campaign: WELL_KNOWN.autoUpdateCampaignName,
          channel: 'publication',
        });
      const [entry] = await journal();
      expect(entry!.headers['x-app-token']).toBe('***');
      expect(entry!.body).toMatchObject({
        customer: { source_id: 'publication-fan', metadata: { note: 'publication' } },
        channel: 'publication',
      });
    },
  );

  it(
    'every credential-like name is masked: key, secret, token, password, ' +
      'pin, session, private…, auth…, in the body and the query',
    async () => {
      const metadata = {
        private_key: 'pk-1',
        session: 'sess-1',
        pin: '1234',
        card_pin: '9876',
        authCode: 'ac-1',
        signing_key: 'sk-1',
        shipping: 'express',
      };
      await mock.api
        .post('/v1/publications')
        .set(PAIR)
        .send({
          customer: { source_id: 'mask-body', metadata },
          campaign: WELL_KNOWN.autoUpdateCampaignName,
          metadata: { session_id: 'sid-1' },
        });
      await mock.api
        .get(
          `/v1/publications/create?${queryString({
            customer: { source_id: 'mask-query' },
            campaign: { name: WELL_KNOWN.exampleCampaignName },
            metadata,
          })}`,
        )
        .set(PAIR);
      const [query, body] = await journal();
      const masked = {
        private_key: '***',
        session: '***',
        pin: '***',
        card_pin: '***',
        authCode: '***',
        signing_key: '***',
        shipping: 'express',
      };
      expect((body!.body as { customer: { metadata: unknown } }).customer.metadata).toEqual(masked);
      expect((body!.body as { metadata: unknown }).metadata).toEqual({ session_id: '***' });
      expect(query!.query.metadata).toEqual(masked);
      expect(JSON.stringify(await journal())).not.toMatch(/pk-1|sess-1|1234|9876|ac-1|sk-1|sid-1/);
    },
  );

  it('a request answered 401 keeps nothing of its body', async () => {
    await mock.api
      .post('/v1/publications')
      .send({ customer: { source_id: 'no-credentials' }, campaign: WELL_KNOWN.autoUpdateCampaignName });
    const [entry] = await journal();
    expect(entry).toMatchObject({ status: 401, error_key: 'unauthorized', body: null, body_truncated: true });
  });

  it('a query string is shown parsed, with secret-named fields masked', async () => {
    await mock.api
      .get(
        `/v1/publications/create?${queryString({
          customer: { source_id: 'q' },
          campaign: { name: WELL_KNOWN.exampleCampaignName },
          access_token: 'abc',
        })}`,
      )
      .set(PAIR);
    const [entry] = await journal();
    expect(entry!.query).toEqual({
      customer: { source_id: 'q' },
      campaign: { name: WELL_KNOWN.exampleCampaignName },
      access_token: '***',
    });
  });

  it('forced answers say why (Prefer or a scenario), and a dropped connection has no status', async () => {
    await mock.api.post('/v1/publications').set(PAIR).set('Prefer', 'code=404').send({});
    await mock.api
      .post('/__mock/scenarios')
      .send({ method: 'POST', path: '/v1/publications', fault: { type: 'drop' } });
    await publish('dropped').catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [dropped, forced] = await journal();
    expect(dropped).toMatchObject({ status: null, error_key: 'connection_dropped', forced: 'scenario scn_1 (drop)' });
    expect(forced).toMatchObject({
      status: 404,
      error_key: 'not_found',
      forced: 'Prefer code=404 (example not_found)',
    });
  });

  it("the mock's own /__mock/ requests are not journaled", async () => {
    await mock.api.get('/__mock/campaigns');
    await mock.api.get('/__mock/overview');
    await mock.api.get('/__mock/requests');
    expect(await journal()).toEqual([]);
  });
});

describe('filters', () => {
  beforeAll(async () => {
    mock = qaMock();
    await publish('alice');
    await publish('bob');
    await mock.api.get('/v1/publications').set(PAIR);
    await mock.api.get('/v1/publications/create').set(PAIR);
    await mock.api.get('/nowhere');
    await mock.api.get(`/v1/publications?${queryString({ customer: 'cust_zzz' })}`).set(PAIR);
  });
  afterAll(() => mock.close());

  const summary = (entries: Entry[]) => entries.map((e) => `${e.method} ${e.path} ${e.status}`);

  it.each<[string, string, string[]]>([
    ['path prefix /v1/publications/create', '?path=/v1/publications/create', ['GET /v1/publications/create 400']],
    [
      'path prefix /v1/publications (covers /create)',
      '?path=/v1/publications',
      [
        'GET /v1/publications 200',
        'GET /v1/publications/create 400',
        'GET /v1/publications 200',
        'POST /v1/publications 200',
        'POST /v1/publications 200',
      ],
    ],
    ['status 404', '?status=404', ['GET /nowhere 404']],
    ['status class 4xx', '?status=4xx', ['GET /nowhere 404', 'GET /v1/publications/create 400']],
    ['customer by source_id in the request', '?customer=bob', ['POST /v1/publications 200']],
    ['customer by id in a list query', '?customer=cust_zzz', ['GET /v1/publications 200']],
    ['method', '?method=post', ['POST /v1/publications 200', 'POST /v1/publications 200']],
    ['limit', '?limit=2', ['GET /v1/publications 200', 'GET /nowhere 404']],
    ['path and status together', '?path=/v1&status=2xx&limit=1', ['GET /v1/publications 200']],
  ])('%s', async (_name, query, expected) => {
    expect(summary(await journal(query))).toEqual(expected);
  });

  it.each<[string, string, number, number]>([
    ['no filter: every entry', '', 6, 6],
    ['path prefix', '?path=/v1/publications', 5, 5],
    ['status class, limited to 1: total still counts both', '?status=4xx&limit=1', 1, 2],
    ['method and limit', '?method=POST&limit=1', 1, 2],
    ['path and status, limited', '?path=/v1&status=2xx&limit=1', 1, 4],
    ['nothing matches', '?customer=nobody', 0, 0],
  ])('total counts what the filters match, not the whole journal (%s)', async (_name, query, shown, total) => {
    const res = await mock.api.get(`/__mock/requests${query}`);
    expect({ shown: res.body.requests.length, total: res.body.total, size: res.body.size }).toEqual({
      shown,
      total,
      size: 6,
    });
  });

  it('customer by the id the answer gave (the request only named a source_id)', async () => {
    const [alice] = await journal('?customer=alice');
    const id = alice!.customer.id!;
    expect(id).toMatch(/^cust_/);
    expect((await journal(`?customer=${id}`)).map((e) => e.id)).toEqual([alice!.id]);
  });

  it('after=<id>: only newer entries (for polling)', async () => {
    const all = await journal();
    expect((await journal(`?after=${all[2]!.id}`)).map((e) => e.id)).toEqual([all[0]!.id, all[1]!.id]);
  });

  it.each<[string, RegExp]>([
    ['?status=600', /'status' should be a status \(404\), a class \(4xx\) or dropped/],
    ['?limit=0', /'limit' should be from 1 to 500/],
    ['?limit=501', /'limit' should be from 1 to 500/],
    ['?path=v1', /'path' should be a path starting with \//],
    ['?colour=red', /additional property 'colour'; filters: path, status, customer, method, after, limit/],
    ['?customer[id]=x', /'customer' should be a customer id or source_id/],
  ])('a bad filter %s → 400 naming it', async (query, details) => {
    const res = await mock.api.get(`/__mock/requests${query}`);
    expect(res.status).toBe(400);
    expect(res.body.key).toBe('invalid_query_params');
    expect(res.body.details).toMatch(details);
  });
});

describe('bounded and cleared by reset', () => {
  afterEach(() => mock.close());
  it('keeps only the newest `journalSize` requests', async () => {
    mock = qaMock({ journalSize: 3 });
    for (let i = 0; i < 7; i++) await mock.api.get(`/v1/publications?limit=${i + 1}`).set(PAIR);
    const res = await mock.api.get('/__mock/requests');
    expect(res.body.total).toBe(3);
    expect(res.body.size).toBe(3);
    expect(res.body.capacity).toBe(3);
    expect(res.body.requests.map((e: Entry) => e.query.limit)).toEqual(['7', '6', '5']);
  });

  it('the default size is 500', async () => {
    mock = qaMock();
    for (let i = 0; i < 510; i++) await mock.api.get('/nowhere');
    const res = await mock.api.get('/__mock/requests?limit=500');
    expect(res.body.total).toBe(500);
    expect(res.body.requests).toHaveLength(500);
    expect(res.body.requests[0].id).toBe(510);
    expect(res.body.requests[499].id).toBe(11);
  });

  it('POST /__mock/reset empties it', async () => {
    mock = qaMock();
    await publish('before-reset');
    await mock.api.post('/__mock/reset');
    expect(await journal()).toEqual([]);
    await publish('after-reset');
    expect((await journal()).map((e) => [e.id, e.customer.source_id])).toEqual([[1, 'after-reset']]);
  });
});
