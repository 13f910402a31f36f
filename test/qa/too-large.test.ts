/**
 * A 413's key says what was too large. The /__mock/ tools, which the spec does
 * not describe, answer `body_too_large` for a body over their limit, naming
 * the snapshot or the scenario. The API's own operations answer with the one
 * key the spec documents for their 413 (`query_too_large`, for a body and a
 * query string alike), and the details name which of the two it was; their
 * answers conform to the spec (strict mode is on).
 */
import request from 'supertest';
import { createApp } from '../../src/app/create-app';
import { createMockState } from '../../src/app/server';
import { PAIR, TEST_NOW, specViolations } from './support/qa-mock';

const state = createMockState({ now: TEST_NOW });
// On SQLite the world is filled synchronously; the promise only reports how.
void state.initialize();
const SNAPSHOT_LIMIT = 50_000;
const api = request(
  createApp({ state, strict: true, publicUrl: 'http://mock.test', snapshotLimitBytes: SNAPSHOT_LIMIT }),
);
afterAll(() => state.store.close());

const big = (bytes: number): string => 'a'.repeat(bytes);

it.each<[string, () => request.Test, string, RegExp, string | undefined]>([
  [
    'PUT /__mock/state, a snapshot over the restore limit → body_too_large, naming the snapshot',
    () =>
      api
        .put('/__mock/state')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ format: 'x', padding: big(SNAPSHOT_LIMIT + 10) })),
    'body_too_large',
    new RegExp(`^The snapshot exceeds the limit of ${SNAPSHOT_LIMIT} bytes$`),
    undefined,
  ],
  [
    'POST /__mock/scenarios, a scenario over 64 KiB → body_too_large, naming the scenario',
    () =>
      api
        .post('/__mock/scenarios')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ method: 'GET', path: '/v1/publications', note: big(70_000) })),
    'body_too_large',
    /^The scenario exceeds the limit of 65536 bytes$/,
    undefined,
  ],
  [
    "POST /v1/publications, a body over 1 MB → the spec's 413 key, the details naming the body",
    () =>
      api
        .post('/v1/publications')
        .set(PAIR)
        .send({ customer: { source_id: 'x', description: big(1_100_000) }, voucher: 'X' }),
    'query_too_large',
    /^The request body exceeds the limit of 1048576 bytes$/,
    'createPublication',
  ],
  [
    "GET /v1/publications, a query string over 8 KiB → the spec's 413 key, the details naming the query string",
    () => api.get(`/v1/publications?source_id=${big(10_000)}`).set(PAIR),
    'query_too_large',
    /^The query string exceeds the limit of 8192 bytes$/,
    'listPublications',
  ],
])('%s', async (_name, send, key, details, operationId) => {
  const res = await send();
  expect(res.status).toBe(413);
  expect(res.body).toMatchObject({ code: 413, key });
  expect(res.body.details).toMatch(details);
  if (operationId) expect(specViolations(operationId, res)).toEqual([]);
});
