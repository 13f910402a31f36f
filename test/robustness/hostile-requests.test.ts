/**
 * Requests no client should send, and what the mock answers: a body that
 * does not decompress as its Content-Encoding says (a 400 naming the
 * encoding, not a 500 with a stack trace), HEAD on the API (never runs a
 * handler: HEAD /v1/publications/create used to publish), and strings with
 * lone UTF-16 surrogates (refused with a 400 naming the field: SQLite cannot
 * store them, so the create's answer and the list disagreed).
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { POOL_SIZE, WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { type RunningMock, startMock } from '../../src/app/server';
import { PAIR, type TestMock, queryString, testMock } from '../support/test-mock';

let mock: TestMock;
let server: RunningMock;
let errors: jest.SpyInstance;
beforeEach(() => {
  mock = testMock();
  errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  errors.mockRestore();
  mock.close();
});

const body = JSON.stringify({
  customer: { source_id: 'encoded' },
  campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
});

/** A raw POST or PUT over a real socket (supertest re-encodes Buffer bodies sent with a Content-Encoding). */
async function sendEncoded(
  path: string,
  method: 'POST' | 'PUT',
  encoding: string,
  payload: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...headers, 'Content-Type': 'application/json', 'Content-Encoding': encoding },
    body: new Uint8Array(payload),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Content-Encoding: a body that does not decode is a 400 invalid_payload naming the encoding', () => {
  beforeEach(async () => {
    server = await startMock({ port: 0, now: '2026-11-26T12:00:00.000Z' });
  });
  afterEach(() => server.close());

  it.each<[string, string, Buffer]>([
    ['gzip that is not gzip', 'gzip', Buffer.from('not compressed at all')],
    ['deflate that is not deflate', 'deflate', Buffer.from('not compressed at all')],
    ['br that is not brotli', 'br', Buffer.from('not compressed at all')],
    ['gzip cut short', 'gzip', gzipSync(Buffer.from(body)).subarray(0, 20)],
    [
      'deflate with a corrupt stream',
      'deflate',
      Buffer.concat([deflateSync(Buffer.from(body)).subarray(0, 6), Buffer.from([0xff, 0xff, 0xff, 0xff])]),
    ],
  ])('%s (with and without credentials)', async (_name, encoding, payload) => {
    for (const credentials of [PAIR, {}]) {
      const res = await sendEncoded('/v1/publications', 'POST', encoding, payload, credentials);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 400, key: 'invalid_payload' });
      expect(res.body.details).toContain(`Content-Encoding "${encoding}"`);
    }
    expect(errors).not.toHaveBeenCalled();
  });

  it.each([['zstd'], ['compress'], ['gzip, br']])(
    'an encoding the mock does not decode (%s) → 400 invalid_payload naming it',
    async (encoding) => {
      const res = await sendEncoded('/v1/publications', 'POST', encoding, Buffer.from('{}'), PAIR);
      expect(res.status).toBe(400);
      expect(res.body.key).toBe('invalid_payload');
      expect(res.body.details).toContain(encoding);
    },
  );

  it.each<[string, Buffer]>([
    ['gzip', gzipSync(Buffer.from(body))],
    ['deflate', deflateSync(Buffer.from(body))],
    ['br', brotliCompressSync(Buffer.from(body))],
  ])('a body that is what its Content-Encoding says (%s) is read', async (encoding, payload) => {
    expect((await sendEncoded('/v1/publications', 'POST', encoding, payload, PAIR)).status).toBe(200);
  });

  it('a snapshot that does not decode → 400 invalid_snapshot naming the encoding', async () => {
    const res = await sendEncoded('/__mock/state', 'PUT', 'gzip', Buffer.from('garbage'), {});
    expect(res.status).toBe(400);
    expect(res.body.key).toBe('invalid_snapshot');
    expect(res.body.details).toMatch(/The snapshot does not decode as Content-Encoding "gzip"/);
  });
});

describe('HEAD never changes state: on the API it runs no handler', () => {
  const create = `/v1/publications/create?${queryString({
    customer: { source_id: 'header' },
    campaign: { name: WELL_KNOWN.percentCampaignName },
  })}`;
  const left = () =>
    mock.state.store.campaignStock(mock.state.store.findCampaignByName(WELL_KNOWN.percentCampaignName)!.id).publishable;

  // Three HEADs once took three codes from a five-code pool.
  it('three HEAD /v1/publications/create: 405 with Allow: GET each, no code taken, no customer made', async () => {
    expect(left()).toBe(POOL_SIZE);
    for (let i = 0; i < 3; i++) {
      const res = await mock.api.head(create).set(PAIR);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET');
    }
    expect(left()).toBe(POOL_SIZE);
    expect(mock.state.store.findCustomerBySourceId('header')).toBeUndefined();
    // GET still publishes.
    expect((await mock.api.get(create).set(PAIR)).status).toBe(200);
    expect(left()).toBe(POOL_SIZE - 1);
  });

  it.each<[string, number, string | null]>([
    ['/V1/Publications/Create/', 405, 'GET'],
    ['/v1/publications', 405, 'GET, POST'],
    ['/v1/nothing-here', 404, null],
    ['/client/v1/nothing-here', 404, null],
    ['/client/v1/publish', 405, 'POST'],
    ['/v1/vouchers/cEsMn0uA', 405, 'GET'],
    ['/v1/customers/cust_BB6F97yf0XqCe7hxVUV7M4sS', 405, 'GET'],
  ])('HEAD %s → %i', async (path, status, allow) => {
    const res = await mock.api.head(path).set(PAIR);
    expect(res.status).toBe(status);
    expect(res.headers.allow).toBe(allow ?? undefined);
  });

  it('a HEAD with a Prefer header or a matching scenario changes nothing either', async () => {
    await mock.api
      .post('/__mock/scenarios')
      .send({ method: 'GET', path: '/v1/publications/create', fault: { type: 'server_error' } });
    const res = await mock.api.head(create).set(PAIR).set('Prefer', 'code=200');
    expect(res.status).toBe(405);
    expect(left()).toBe(POOL_SIZE);
    expect((await mock.api.get('/__mock/scenarios')).body.scenarios[0].remaining).toBe(1);
  });

  it("the mock's own pages keep HEAD (they only read)", async () => {
    expect((await mock.api.head('/__mock/campaigns')).status).toBe(200);
  });
});

describe('lone UTF-16 surrogates are refused with a 400 naming the field (SQLite cannot keep them)', () => {
  const raw = (customer: string, extra = '') =>
    `{"customer":${customer},"campaign":{"name":${JSON.stringify(WELL_KNOWN.autoUpdateCampaignName)}}${extra}}`;

  // The create used to answer with the surrogate, and the list with U+FFFD in its place.
  it.each<[string, string, Record<string, string>, RegExp]>([
    [
      'a high surrogate in customer.source_id',
      raw('{"source_id":"a\\ud800b"}'),
      {},
      /Payload property 'customer.source_id' holds a lone UTF-16 surrogate \(U\+D800\)/,
    ],
    [
      'a low surrogate alone',
      raw('{"source_id":"\\udc00"}'),
      {},
      /Payload property 'customer.source_id' holds a lone UTF-16 surrogate \(U\+DC00\)/,
    ],
    [
      'a surrogate at the end of a metadata value',
      raw('{"source_id":"ok"}', ',"metadata":{"note":"x\\ud83d"}'),
      {},
      /Payload property 'metadata.note' holds a lone UTF-16 surrogate \(U\+D83D\)/,
    ],
    [
      'a surrogate in a metadata name',
      raw('{"source_id":"ok","metadata":{"k\\ud800":1}}'),
      {},
      /Payload property 'customer.metadata.k.' holds a lone UTF-16 surrogate/,
    ],
    [
      'through the Express path too (a Prefer header)',
      raw('{"source_id":"a\\ud800b"}'),
      { Prefer: 'return=minimal' },
      /Payload property 'customer.source_id' holds a lone UTF-16 surrogate/,
    ],
  ])('%s → 400 invalid_payload, nothing stored', async (_name, text, headers, details) => {
    const res = await mock.api
      .post('/v1/publications')
      .set(PAIR)
      .set(headers)
      .set('Content-Type', 'application/json')
      .send(text);
    expect(res.status).toBe(400);
    expect(res.body.key).toBe('invalid_payload');
    expect(res.body.details).toMatch(details);
    expect(mock.state.store.exportState().publications).toEqual([]);
  });

  it(
    'well-formed text outside the BMP (a surrogate pair) is kept, and ' +
      'answered the same by the create and the list',
    async () => {
      const sourceId = 'emoji-😀-𝄞';
      const created = await mock.api
        .post('/v1/publications')
        .set(PAIR)
        .set('Content-Type', 'application/json')
        .send(raw(JSON.stringify({ source_id: sourceId })));
      expect(created.status).toBe(200);
      expect(created.body.customer.source_id).toBe(sourceId);
      const listed = await mock.api
        .get(`/v1/publications?${queryString({ customer: created.body.customer.id })}`)
        .set(PAIR);
      expect(listed.body.publications[0].customer.source_id).toBe(sourceId);
      expect(listed.body.publications[0].tracking_id).toBe(created.body.tracking_id);
    },
  );

  it('a snapshot holding a lone surrogate → 400 invalid_snapshot naming the field', async () => {
    const snapshot = (await mock.api.get('/__mock/state')).body as {
      state: { customers: Array<{ name: string | null }> };
    };
    snapshot.state.customers[0]!.name = 'MARKER';
    const text = JSON.stringify(snapshot).replace('"MARKER"', '"x\\udfff"');
    const res = await mock.api.put('/__mock/state').set('Content-Type', 'application/json').send(text);
    expect(res.status).toBe(400);
    expect(res.body.key).toBe('invalid_snapshot');
    expect(res.body.details).toMatch(/property 'state.customers.0.name' holds a lone UTF-16 surrogate \(U\+DFFF\)/);
  });
});
