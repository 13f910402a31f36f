/**
 * The mock's tools (/__mock/) answer only their own origin: a Host check
 * against DNS rebinding (loopback names, IP addresses, --host and
 * --public-url), an Origin / Sec-Fetch-Site check against pages of other
 * origins, and CORS only on the API's paths. Voucher images stay reachable
 * from anywhere (API answers link them). In-process, over supertest.
 */
import request from 'supertest';
import { WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { createApp } from '../../src/app/create-app';
import { createMockState } from '../../src/app/server';
import type { MockState } from '../../src/app/mock-state';
import { TEST_NOW } from './support/qa-mock';

let state: MockState;
beforeEach(() => {
  state = createMockState({ now: TEST_NOW });
  // On SQLite the world is filled synchronously; the promise only reports how.
  void state.initialize();
});
afterEach(() => state.store.close());

const app = (options: { host?: string; publicUrl?: string } = {}) =>
  request(createApp({ state, strict: true, ...options }));

describe('Host: against DNS rebinding', () => {
  it.each<[string, string, { host?: string; publicUrl?: string }, number]>([
    ['a name the attacker controls', 'rebound.example:4010', {}, 403],
    ['a name that merely ends like localhost', 'evil-localhost:4010', {}, 403],
    ['localhost', 'localhost:4010', {}, 200],
    ['a subdomain of localhost', 'app.localhost:4010', {}, 200],
    ['127.0.0.1', '127.0.0.1:4010', {}, 200],
    ['[::1]', '[::1]:4010', {}, 200],
    ['an IP address on the network (--host 0.0.0.0)', '192.168.1.5:4010', { host: '0.0.0.0' }, 200],
    ['the name given as --host', 'qa-box:4010', { host: 'qa-box' }, 200],
    ['the host of --public-url', 'mock.example.com', { publicUrl: 'https://mock.example.com' }, 200],
    ['another name than --public-url', 'other.example.com', { publicUrl: 'https://mock.example.com' }, 403],
  ])('%s (Host: %s) → %i', async (_name, host, options, status) => {
    for (const path of ['/__mock/state', '/__mock/', '/__mock/requests']) {
      const res = await app(options).get(path).set('Host', host);
      expect(res.status).toBe(status);
      if (status === 403) {
        expect(res.body).toMatchObject({ code: 403, key: 'host_not_allowed' });
        expect(res.body.details).toContain(host);
      }
    }
  });

  it('a refused Host changes nothing: a reset from a rebound name is a 403 and the state stays', async () => {
    await app()
      .post('/v1/publications')
      .set({ 'X-App-Id': 'a', 'X-App-Token': 'b' })
      .send({ customer: { source_id: 'stays' }, campaign: { name: WELL_KNOWN.autoUpdateCampaignName } });
    const res = await app().post('/__mock/reset').set('Host', 'rebound.example:4010');
    expect(res.status).toBe(403);
    expect(state.store.findCustomerBySourceId('stays')).toBeDefined();
  });
});

describe('Origin and Sec-Fetch-Site: against pages of other origins', () => {
  it.each<[string, Record<string, string>, number, string | null]>([
    ['another origin', { Origin: 'http://127.0.0.1:5173' }, 403, 'origin_not_allowed'],
    ['an opaque origin (a sandboxed frame, a file)', { Origin: 'null' }, 403, 'origin_not_allowed'],
    ["the mock's own origin", { Host: '127.0.0.1:4010', Origin: 'http://127.0.0.1:4010' }, 200, null],
    [
      'a browser marking the request cross-site',
      { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors' },
      403,
      'origin_not_allowed',
    ],
    [
      'a browser marking it same-site (another port of this host)',
      { 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'cors' },
      403,
      'origin_not_allowed',
    ],
    ['a browser marking it same-origin', { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' }, 200, null],
    [
      'the user opening the page from a link elsewhere (a top-level navigation)',
      { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' },
      200,
      null,
    ],
    ['a tool that is not a browser (no Origin, no Sec-Fetch-Site)', {}, 200, null],
  ])('GET /__mock/state from %s → %i', async (_name, headers, status, key) => {
    const res = await app().get('/__mock/state').set(headers);
    expect(res.status).toBe(status);
    if (key !== null) expect(res.body.key).toBe(key);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it(
    'a cross-site navigation may open a page, not change state: POST ' +
      '/__mock/reset marked navigate from another origin → 403',
    async () => {
      const res = await app()
        .post('/__mock/reset')
        .set({ Origin: 'http://127.0.0.1:5173', 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'navigate' });
      expect(res.status).toBe(403);
    },
  );

  it("voucher images are left out: another origin's page shows them, whatever its Host and Origin", async () => {
    const res = await app().get(`/__mock/assets/qr/${WELL_KNOWN.exampleVoucherCode}.png`).set({
      Host: 'shop.example',
      Origin: 'http://shop.example',
      'Sec-Fetch-Site': 'cross-site',
      'Sec-Fetch-Mode': 'no-cors',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
  });
});

describe('CORS: on the API (and the client-side API), never on /__mock/', () => {
  it.each(['/v1/publications', '/client/v1/publications'])(
    'a preflight to %s from another origin is allowed',
    async (path) => {
      const res = await app().options(path).set({
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'x-app-id,x-app-token,content-type',
      });
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    },
  );

  it.each(['/__mock/reset', '/__mock/state', '/__mock/scenarios'])(
    'a preflight to %s from another origin is refused, without CORS headers',
    async (path) => {
      const res = await app().options(path).set({
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'x-mock-admin-token,content-type',
      });
      expect(res.status).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-headers']).toBeUndefined();
    },
  );

  it('a same-origin /__mock/ answer carries no CORS headers either', async () => {
    const res = await app().get('/__mock/campaigns');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
