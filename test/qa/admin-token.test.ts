/**
 * Shared deployments: with an admin token (MOCK_ADMIN_TOKEN / --admin-token),
 * every /__mock/ request that changes state needs it in X-Mock-Admin-Token
 * (401 admin_token_required otherwise, and nothing changes); reading stays
 * open, and the API itself is not affected.
 */
import type { Test } from 'supertest';
import { WELL_KNOWN } from '../../mocks/generate-fixtures';
import { PAIR, type QaMock, qaMock } from './support/qa-mock';

const TOKEN = 'let-me-in';
const SCENARIO = { method: 'POST', path: '/v1/publications', fault: { type: 'server_error' } };

let mock: QaMock;
afterEach(() => mock.close());

async function snapshotBody(): Promise<unknown> {
  return (await mock.api.get('/__mock/state')).body;
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
    await mock.api.post('/v1/publications').set(PAIR).send({ customer: { source_id: 'kept' }, campaign: { name: WELL_KNOWN.autoUpdateCampaignName } });
    await mock.api.post('/__mock/scenarios').set('X-Mock-Admin-Token', TOKEN).send({ ...SCENARIO, method: 'GET', path: '/v1/publications/create' });
  });

  it.each(CHANGES)('%s without the token → 401 admin_token_required, and nothing changes', async (_name, send) => {
    const body = await snapshotBody();
    const before = mock.snapshot();
    const scenarios = (await mock.api.get('/__mock/scenarios')).body;
    const res = await send(mock, body);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 401, key: 'admin_token_required', message: 'Admin token required' });
    expect(res.body.details).toMatch(/X-Mock-Admin-Token/);
    expect(mock.snapshot()).toEqual(before);
    expect((await mock.api.get('/__mock/scenarios')).body).toEqual(scenarios);
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
    '/__mock/overview',
    '/__mock/campaigns',
    '/__mock/requests',
    '/__mock/state',
    '/__mock/scenarios',
    '/__mock/openapi.json',
    '/__mock/docs/',
    `/__mock/assets/qr/${WELL_KNOWN.exampleVoucherCode}.png`,
  ])('GET %s stays open', async (url) => {
    expect((await mock.api.get(url)).status).toBe(200);
  });

  it('the overview tells the dashboard a token is required (never the token)', async () => {
    const res = await mock.api.get('/__mock/overview');
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
