/**
 * GET /__mock/state is streamed from one consistent view of the store: the
 * same bytes as JSON.stringify of the whole snapshot, of the moment the export
 * began (writes made while it is written are not in it), in memory and on a
 * data file. An export larger than the restore limit says so, in the file and
 * in a header, and every export within it is restored by PUT /__mock/state.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { createApp } from '../../src/app/create-app';
import { buildExport } from '../../src/tools/state-export';
import { exportSnapshot } from '../../src/tools/state-snapshot';
import { createMockState } from '../../src/app/server';
import type { MockState } from '../../src/app/mock-state';
import { PAIR, TEST_NOW } from './support/qa-mock';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mock-state-export-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const where: Array<[string, () => string | undefined]> = [
  ['in memory', () => undefined],
  ['on a data file', () => join(dir, `state-${Math.random().toString(36).slice(2)}.db`)],
];

function stateAt(data: string | undefined): MockState {
  const state = createMockState({ now: TEST_NOW, data });
  // On SQLite the world is filled synchronously; the promise only reports how.
  void state.initialize();
  return state;
}

async function publishSome(state: MockState, count: number, prefix: string): Promise<void> {
  const api = request(createApp({ state }));
  for (let i = 0; i < count; i++) {
    const res = await api
      .post('/v1/publications')
      .set(PAIR)
      .send({
        customer: { source_id: `${prefix}-${i}`, email: `${prefix}-${i}@example.com` },
        campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
      });
    expect(res.status).toBe(200);
  }
}

describe.each(where)('the streamed export, %s', (_name, dataFile) => {
  let state: MockState;
  beforeEach(async () => {
    state = stateAt(dataFile());
    await publishSome(state, 30, 'before');
  });
  afterEach(() => state.store.close());

  it('is byte for byte JSON.stringify of the whole snapshot', async () => {
    const expected = JSON.stringify(await exportSnapshot(state));
    const res = await request(createApp({ state }))
      .get('/__mock/state')
      .buffer(true)
      .parse((response, callback) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => callback(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(expected)));
    expect(res.body).toBe(expected);
  });

  it('holds the moment it began: records written while it is being written are not in it', async () => {
    const before = JSON.stringify(await exportSnapshot(state));
    const built = buildExport(state, 100 * 1024 * 1024, () => false);
    // The view is taken when the export starts, before it reads a record: these land before any is read.
    state.store.insertCustomer({
      id: 'cust_during_export',
      source_id: 'during',
      name: null,
      email: 'during@example.com',
      phone: null,
      description: null,
      birthdate: null,
      address: null,
      metadata: {},
      created_at: TEST_NOW,
      updated_at: null,
    });
    state.store.setMeta('written_during_export', 'yes');
    await publishSome(state, 5, 'during');
    const done = await built;
    try {
      expect(readFileSync(done.file, 'utf8')).toBe(before);
      expect(done.tooLarge).toBeUndefined();
    } finally {
      done.remove();
    }
    expect(JSON.stringify(await exportSnapshot(state))).not.toBe(before);
  });
});

describe.each(where)("the SQLite store's export view, %s", (_name, dataFile) => {
  it('sees the store as it was when opened, whatever is written after, and is read record by record', async () => {
    const state = stateAt(dataFile());
    try {
      await publishSome(state, 3, 'seen');
      const before = state.store.exportState();
      const view = state.store.openExportView!();
      try {
        await publishSome(state, 3, 'unseen');
        state.store.setMeta('after', '1');
        expect({
          campaigns: [...view.campaigns()],
          vouchers: [...view.vouchers()],
          customers: [...view.customers()],
          publications: [...view.publications()],
          sequences: view.sequences(),
          meta: view.meta(),
        }).toEqual(before);
      } finally {
        view.close();
      }
      expect(state.store.exportState()).not.toEqual(before);
    } finally {
      state.store.close();
    }
  });
});

describe('the restore limit and exports', () => {
  it(
    'an export within the limit is restored by PUT; one above it says so ' + '(file and header) and its PUT is refused',
    async () => {
      const state = stateAt(undefined);
      try {
        const small = JSON.stringify(await exportSnapshot(state)).length;
        const api = request(createApp({ state, snapshotLimitBytes: small + 2000 }));
        const within = await api.get('/__mock/state');
        expect(within.status).toBe(200);
        expect(within.headers['x-mock-snapshot-too-large']).toBeUndefined();
        expect(within.body.too_large_to_restore).toBeUndefined();
        expect((await api.put('/__mock/state').send(within.body)).status).toBe(200);

        await publishSome(state, 10, 'grow');
        const above = await api.get('/__mock/state');
        expect(above.status).toBe(200);
        expect(above.headers['x-mock-snapshot-too-large']).toMatch(
          /^\d+ bytes; PUT \/__mock\/state restores snapshots up to \d+ bytes$/,
        );
        expect(above.body.too_large_to_restore).toEqual({ bytes: expect.any(Number), limit: small + 2000 });
        expect(above.body.too_large_to_restore.bytes).toBeGreaterThan(small + 2000);
        const refused = await api.put('/__mock/state').set('Content-Type', 'application/json').send(above.text);
        expect(refused.status).toBe(413);
        // Trimmed back under the limit by hand, it still says what it is.
        const edited = await request(createApp({ state }))
          .put('/__mock/state')
          .send({ ...above.body, state: within.body.state });
        expect(edited.status).toBe(400);
        expect(edited.body.details).toMatch(/says it is too large to restore/);
      } finally {
        state.store.close();
      }
    },
  );
});
