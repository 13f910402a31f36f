/**
 * Shared deployments: with an admin token (MOCK_ADMIN_TOKEN / --admin-token),
 * every /__mock/ request that reads or changes state needs it in
 * X-Mock-Admin-Token (401 admin_token_required otherwise, and nothing changes
 * or is shown); the dashboard's files, the docs, the spec and the voucher
 * images stay open, and the API itself is not affected.
 */
import type { Test } from 'supertest';
import { WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { PAIR, type QaMock, qaMock } from './support/qa-mock';

const TOKEN = 'let-me-in';
const SCENARIO = { method: 'POST', path: '/v1/publications', fault: { type: 'server_error' } };

let mock: QaMock;
afterEach(() => mock.close());

async function snapshotBody(): Promise<unknown> {
  return (await mock.api.get('/__mock/state').set('X-Mock-Admin-Token', TOKEN)).body;
}

const CHANGES: Array<[string, (m: QaMock, body: unknown) => Test]> = [
  ['POST /__mock/reset', (m) => m.api.post('/__mock/reset')],
  ['PUT /__mock/state', (m, body) => m.api.put('/__mock/state').send(body as object)],
  ['POST /__mock/scenarios', (m) => m.api.post('/__mock/scenarios').send(SCENARIO)],
  ['DELETE /__mock/scenarios', (m) => m.api.delete('/__mock/scenarios')],
  ['DELETE /__mock/scenarios/scn_1', (m) => m.api.delete('/__mock/scenarios/scn_1')],
];

describe('with MOCK_ADMIN_TOKEN set', () => {
  beforeEach(async () => {
    mock = qaMock({ adminToken: TOKEN });
    await mock.api
      .post('/v1/publications')
      .set(PAIR)
      .send({ customer: { source_id: 'kept' }, campaign: { name: WELL_KNOWN.autoUpdateCampaignName } });
    await mock.api
      .post('/__mock/scenarios')
      .set('X-Mock-Admin-Token', TOKEN)
      .send({ ...SCENARIO, method: 'GET', path: '/v1/publications/create' });
  });

  it.each(CHANGES)('%s without the token → 401 admin_token_required, and nothing changes', async (_name, send) => {
    const body = await snapshotBody();
    const before = mock.snapshot();
    const scenarios = (await mock.api.get('/__mock/scenarios').set('X-Mock-Admin-Token', TOKEN)).body;
    const res = await send(mock, body);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 401, key: 'admin_token_required', message: 'Admin token required' });
    expect(res.body.details).toMatch(/X-Mock-Admin-Token/);
    expect(mock.snapshot()).toEqual(before);
    expect((await mock.api.get('/__mock/scenarios').set('X-Mock-Admin-Token', TOKEN)).body).toEqual(scenarios);
  });

  it.each(CHANGES)('%s with a wrong token → 401', async (_name, send) => {
    const res = await send(mock, await snapshotBody()).set('X-Mock-Admin-Token', 'guess');
    expect(res.status).toBe(401);
    expect(res.body.details).toMatch(/does not match/);
  });

  it.each(CHANGES)('%s with the token → done', async (_name, send) => {
    const res = await send(mock, await snapshotBody()).set('X-Mock-Admin-Token', TOKEN);
    expect(res.status).toBeLessThan(300);
  });

  it.each([
    '/__mock/',
    '/__mock/dashboard/dashboard.js',
    '/__mock/openapi.json',
    '/__mock/docs/',
    `/__mock/assets/qr/${WELL_KNOWN.exampleVoucherCode}.png`,
  ])('GET %s (files, the spec, images: nothing of the state) stays open', async (url) => {
    expect((await mock.api.get(url)).status).toBe(200);
  });

  // These used to be open to anyone who could reach the mock: the journal and the state hold customers' emails.
  it.each([
    '/__mock/overview',
    '/__mock/campaigns',
    '/__mock/requests',
    '/__mock/state',
    '/__mock/state?download=1',
    '/__mock/scenarios',
    '/__mock/events',
  ])('GET %s needs the token: 401 without it, showing nothing; 200 with it', async (url) => {
    const refused = await mock.api.get(url);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 401, key: 'admin_token_required' });
    expect(refused.text).not.toMatch(/kept|cust_|@/);
    if (url === '/__mock/events') return; // a stream that stays open; its 200 is pinned in live-events.test.ts
    const res = await mock.api.get(url).set('X-Mock-Admin-Token', TOKEN);
    expect(res.status).toBe(200);
  });

  it('the event stream with the token: 200, text/event-stream', async () => {
    const res = await mock.api
      .get('/__mock/events')
      .set('X-Mock-Admin-Token', TOKEN)
      .buffer(false)
      .parse((response, callback) => {
        response.once('data', () => (response as unknown as { destroy(): void }).destroy());
        response.once('close', () => callback(null, null));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
  });

  it('the overview tells the dashboard a token is required (never the token)', async () => {
    const res = await mock.api.get('/__mock/overview').set('X-Mock-Admin-Token', TOKEN);
    expect(res.body.admin_token_required).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
  });

  it('the API does not ask for it', async () => {
    expect((await mock.api.get('/v1/publications').set(PAIR)).status).toBe(200);
  });
});

describe('without an admin token', () => {
  beforeEach(() => {
    mock = qaMock();
  });

  it.each(CHANGES.filter(([name]) => !name.includes('scn_1')))('%s is open', async (_name, send) => {
    const res = await send(mock, await snapshotBody());
    expect(res.status).toBeLessThan(300);
  });

  it('the overview says no token is required', async () => {
    expect((await mock.api.get('/__mock/overview')).body.admin_token_required).toBe(false);
  });
});
