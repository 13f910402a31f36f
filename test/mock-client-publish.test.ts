/**
 * The browser SDK's client-side publish, `POST /client/v1/publish`, through
 * HTTP: the same rules and state as the server-side create, the client key
 * pair with the keys and origins a fixture file allows, and the CORS preflight
 * a browser sends first. Every body is checked against spec/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WELL_KNOWN } from '../src/fixtures/generate-fixtures';
import { writeClientKeysFixture } from './support/client-keys-fixture';
import { PAIR, type TestMock, specViolations, testMock } from './support/test-mock';

const OP = 'createPublicationClientSide';
const CLIENT = { 'X-Client-Application-Id': 'browser-app', 'X-Client-Token': 'browser-secret' };
const PAGE_ORIGIN = 'http://shop.test:3000';

let mock: TestMock;
afterEach(() => mock.close());

/**
 * As `VoucherifyClientSide.publish(campaign, payload)` sends it: the campaign in the query, the channel in the body.
 */
const publish = (body: object, query: Record<string, string> = {}, headers: Record<string, string> = CLIENT) =>
  mock.api
    .post(`/client/v1/publish?${new URLSearchParams(query).toString()}`)
    .set(headers)
    .send(body);
const sdkBody = (sourceId: string) => ({ customer: { source_id: sourceId }, channel: 'Voucherify.js' });

describe('POST /client/v1/publish with the default world (any non-empty client pair)', () => {
  beforeEach(() => {
    mock = testMock();
  });

  it('publishes from the campaign named in the query, as the browser SDK sends it', async () => {
    const res = await publish(sdkBody('browser-1'), { campaign: WELL_KNOWN.percentCampaignName });
    expect(res.status).toBe(200);
    expect(specViolations(OP, res)).toEqual([]);
    expect(res.body).toMatchObject({
      object: 'publication',
      result: 'SUCCESS',
      channel: 'Voucherify.js',
      tracking_id: 'browser-1',
      voucher: { campaign: WELL_KNOWN.percentCampaignName },
    });
    expect(res.body.voucher.holder_id).toBe(res.body.customer_id);
  });

  it('publishes from the campaign in the body, as the vendor documents it', async () => {
    const res = await publish({
      customer: { source_id: 'browser-2' },
      campaign: { name: WELL_KNOWN.giftCampaignName },
    });
    expect(res.status).toBe(200);
    expect(specViolations(OP, res)).toEqual([]);
    expect(res.body.voucher).toMatchObject({ campaign: WELL_KNOWN.giftCampaignName, type: 'GIFT_VOUCHER' });
  });

  it("with a campaign in both, the body's wins over the query's", async () => {
    const res = await publish(
      { customer: { source_id: 'browser-3' }, campaign: WELL_KNOWN.amountCampaignName },
      { campaign: WELL_KNOWN.percentCampaignName },
    );
    expect(res.status).toBe(200);
    expect(res.body.voucher.campaign).toBe(WELL_KNOWN.amountCampaignName);
  });

  it('publishes a specific voucher by code', async () => {
    const res = await publish({ customer: { source_id: 'browser-4' }, voucher: WELL_KNOWN.standaloneCode });
    expect(res.status).toBe(200);
    expect(specViolations(OP, res)).toEqual([]);
    expect(res.body.voucher).toMatchObject({ code: WELL_KNOWN.standaloneCode, campaign: null });
  });

  it.each([
    [
      'join_once=true in the query',
      (n: string) => publish(sdkBody(n), { campaign: WELL_KNOWN.fixedCampaignName, join_once: 'true' }),
    ],
    [
      'join_once: true in the body',
      (n: string) => publish({ ...sdkBody(n), join_once: true }, { campaign: WELL_KNOWN.fixedCampaignName }),
    ],
  ])('a repeat with %s returns the same code and consumes no other', async (_name, send) => {
    const first = await send('joiner');
    const second = await send('joiner');
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(specViolations(OP, second)).toEqual([]);
    expect(second.body.voucher.code).toBe(first.body.voucher.code);
    const campaigns = (await mock.api.get('/__mock/campaigns')).body.campaigns as Array<{
      name: string;
      vouchers_remaining: number;
    }>;
    expect(campaigns.find((c) => c.name === WELL_KNOWN.fixedCampaignName)?.vouchers_remaining).toBe(
      WELL_KNOWN.fixedCampaignSize - 1,
    );
  });

  it('without join_once, a repeat gets a new code', async () => {
    const codes = [
      (await publish(sdkBody('repeater'), { campaign: WELL_KNOWN.fixedCampaignName })).body.voucher.code,
      (await publish(sdkBody('repeater'), { campaign: WELL_KNOWN.fixedCampaignName })).body.voucher.code,
    ];
    expect(new Set(codes).size).toBe(2);
  });

  it(
    'shares the state of the server-side API: the publication is listed by ' +
      'GET /v1/publications with the same id and code',
    async () => {
      const res = await publish(sdkBody('listed-browser-customer'), { campaign: WELL_KNOWN.percentCampaignName });
      expect(res.status).toBe(200);
      const list = await mock.api.get(`/v1/publications?customer=${res.body.customer_id}`).set(PAIR);
      expect(list.status).toBe(200);
      expect(specViolations('listPublications', list)).toEqual([]);
      expect(
        list.body.publications.map((p: { id: string; voucher: { code: string } }) => [p.id, p.voucher.code]),
      ).toEqual([[res.body.id, res.body.voucher.code]]);
    },
  );

  it.each([
    ['the server pair X-App-Id + X-App-Token → 200', PAIR, 200, undefined],
    ['a bearer token → 200', { Authorization: 'Bearer some-token' }, 200, undefined],
    [
      'no credentials → 401',
      {},
      401,
      'Provide X-Client-Application-Id and X-Client-Token, X-App-Id and X-App-Token, or an Authorization Bearer token',
    ],
    [
      'only X-Client-Application-Id → 401 naming the missing token',
      { 'X-Client-Application-Id': 'browser-app' },
      401,
      /^X-Client-Token is missing\./,
    ],
    [
      'only X-Client-Token → 401 naming the missing application id',
      { 'X-Client-Token': 'browser-secret' },
      401,
      /^X-Client-Application-Id is missing\./,
    ],
    [
      'an empty X-Client-Token → 401',
      { 'X-Client-Application-Id': 'browser-app', 'X-Client-Token': ' ' },
      401,
      /^X-Client-Token is missing\./,
    ],
  ])('credentials: %s', async (_name, headers, status, details) => {
    const res = await publish(sdkBody('credentials'), { campaign: WELL_KNOWN.percentCampaignName }, headers);
    expect(res.status).toBe(status);
    expect(specViolations(OP, res)).toEqual([]);
    if (status === 401) {
      expect(res.body.key).toBe('unauthorized');
      if (typeof details === 'string') expect(res.body.details).toBe(details);
      else expect(res.body.details).toMatch(details!);
    }
  });

  it.each([
    [
      'no credentials, no body → 401 before any validation',
      () => mock.api.post('/client/v1/publish').send(),
      401,
      'unauthorized',
    ],
    [
      'no customer → 400 invalid_payload',
      () => publish({ channel: 'Voucherify.js' }, { campaign: WELL_KNOWN.percentCampaignName }),
      400,
      'invalid_payload',
    ],
    [
      'join_once=maybe → 400 invalid_query_params',
      () => publish(sdkBody('q'), { campaign: WELL_KNOWN.percentCampaignName, join_once: 'maybe' }),
      400,
      'invalid_query_params',
    ],
    ['neither campaign nor voucher → 400 missing_vouchers', () => publish(sdkBody('none')), 400, 'missing_vouchers'],
    [
      'an unknown campaign in the query → 404 not_found',
      () => publish(sdkBody('unknown'), { campaign: 'No Such Campaign' }),
      404,
      'not_found',
    ],
  ])('errors: %s', async (_name, send, status, key) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body.key).toBe(key);
    expect(specViolations(OP, res)).toEqual([]);
  });

  it.each([
    ['the client pair with Prefer: code=404 → the documented 404, no state changed', CLIENT, 404],
    ['no credentials with Prefer: code=404 → 401 (credentials are checked first)', {}, 401],
  ])('forced answers: %s', async (_name, headers, status) => {
    const res = await publish(
      sdkBody('forced'),
      { campaign: WELL_KNOWN.percentCampaignName },
      { ...headers, Prefer: 'code=404' },
    );
    expect(res.status).toBe(status);
    expect(specViolations(OP, res)).toEqual([]);
    expect((await mock.api.get('/v1/publications').set(PAIR)).body.total).toBe(0);
  });

  it('GET /client/v1/publish → 405 with Allow: POST', async () => {
    const res = await mock.api.get('/client/v1/publish').set(CLIENT);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  it('the CORS preflight allows the headers the browser SDK sends, from any origin', async () => {
    const res = await mock.api.options('/client/v1/publish').set({
      Origin: PAGE_ORIGIN,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type,x-client-application-id,x-client-token,x-voucherify-channel',
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(PAGE_ORIGIN);
    const allowed = String(res.headers['access-control-allow-headers']).toLowerCase().split(',');
    expect(allowed).toEqual(
      expect.arrayContaining(['x-client-application-id', 'x-client-token', 'x-voucherify-channel', 'content-type']),
    );
    expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
  });
});

describe('POST /client/v1/publish with client_keys from a fixture file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'client-keys-'));
    writeClientKeysFixture(join(dir, 'fixtures.yaml'), PAGE_ORIGIN);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    mock = testMock({ fixtures: join(dir, 'fixtures.yaml') });
  });

  const SHOP = { 'X-Client-Application-Id': 'shop-app', 'X-Client-Token': 'shop-secret' };

  it.each([
    ['the configured key from its allowed origin → 200', { ...SHOP, Origin: PAGE_ORIGIN }, 200, undefined],
    [
      'the allowed origin in other case and with a trailing slash → 200',
      { ...SHOP, Origin: `${PAGE_ORIGIN.toUpperCase()}/` },
      200,
      undefined,
    ],
    [
      'the configured key from another origin → 401 naming the origin',
      { ...SHOP, Origin: 'https://evil.example' },
      401,
      "Origin 'https://evil.example' is not allowed for client application 'shop-app'",
    ],
    [
      'the configured key without an Origin header → 401',
      SHOP,
      401,
      "Client application 'shop-app' is only allowed from its origins, and the request has no Origin header",
    ],
    [
      'an application id not configured → 401 naming it',
      { 'X-Client-Application-Id': 'other-app', 'X-Client-Token': 'shop-secret', Origin: PAGE_ORIGIN },
      401,
      "Client application 'other-app' is not a configured client key",
    ],
    [
      'the wrong token → 401',
      { 'X-Client-Application-Id': 'shop-app', 'X-Client-Token': 'guess', Origin: PAGE_ORIGIN },
      401,
      "X-Client-Token is not the token of client application 'shop-app'",
    ],
  ])('%s', async (_name, headers, status, details) => {
    const res = await publish(sdkBody('fixture-customer'), { campaign: 'Browser Sale' }, headers);
    expect(res.status).toBe(status);
    expect(specViolations(OP, res)).toEqual([]);
    if (status === 200) expect(res.body.voucher.code).toMatch(/^BROWSER-[12]$/);
    else expect(res.body).toMatchObject({ key: 'unauthorized', details });
  });

  it.each([
    ['/client/v1/publish from the allowed origin → allowed', '/client/v1/publish', PAGE_ORIGIN, PAGE_ORIGIN],
    [
      '/client/v1/publish from another origin → no Access-Control-Allow-Origin, so the browser stops the call',
      '/client/v1/publish',
      'https://evil.example',
      undefined,
    ],
    [
      '/v1/publications from another origin → allowed (client keys restrict the client-side API only)',
      '/v1/publications',
      'https://evil.example',
      'https://evil.example',
    ],
  ])('the CORS preflight for %s', async (_name, path, origin, allowOrigin) => {
    const res = await mock.api.options(path).set({
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'x-client-application-id,x-client-token',
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(allowOrigin);
  });
});
