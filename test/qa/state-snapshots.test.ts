/**
 * State snapshots: GET /__mock/state returns all state as JSON (a named,
 * versioned format); PUT /__mock/state restores it, so QA attaches the file
 * to a bug report and anyone reproduces it. A restore continues the ids
 * exactly; a bad snapshot is a 400 naming what is wrong and changes nothing.
 */
import { WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { PAIR, TEST_NOW, type QaMock, qaMock, specViolations } from './support/qa-mock';

let mock: QaMock;
beforeEach(() => {
  mock = qaMock();
});
afterEach(() => mock.close());

function publish(api: QaMock['api'], sourceId: string) {
  return api
    .post('/v1/publications')
    .set(PAIR)
    .send({ customer: { source_id: sourceId }, campaign: { name: WELL_KNOWN.autoUpdateCampaignName } });
}

async function exported(target: QaMock = mock): Promise<Record<string, unknown>> {
  const res = await target.api.get('/__mock/state');
  expect(res.status).toBe(200);
  return res.body as Record<string, unknown>;
}

describe('GET /__mock/state', () => {
  it('names its format and version, the seed, and holds every table, counter and meta value', async () => {
    await publish(mock.api, 'snap-1');
    const snapshot = await exported();
    expect(snapshot).toMatchObject({
      format: 'voucherify-publications-mock/state',
      version: 1,
      exported_at: TEST_NOW,
      seed: 1,
    });
    const state = snapshot.state as Record<string, unknown[] | Record<string, unknown>>;
    expect(Object.keys(state).sort()).toEqual([
      'campaigns',
      'customers',
      'meta',
      'publications',
      'sequences',
      'vouchers',
    ]);
    expect((state.campaigns as unknown[]).length).toBeGreaterThan(5);
    expect(state.publications).toHaveLength(1);
    expect(state.sequences).toMatchObject({ publication: 1, customer: 1 });
    expect(state.meta).toEqual({ initialized_with_seed: '1', world_origin: JSON.stringify({ kind: 'generated' }) });
  });

  it('?download → the same JSON as an attachment with a file name', async () => {
    const res = await mock.api.get('/__mock/state?download=1');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?mock-state-seed1-2026-11-26T12-00-00-000Z\.json"?$/,
    );
    expect(res.body.format).toBe('voucherify-publications-mock/state');
  });
});

describe('PUT /__mock/state', () => {
  it(
    'restores the state: what was published after the snapshot is gone, ' +
      'and the next ids and codes are the ones made after it the first time',
    async () => {
      await publish(mock.api, 'a');
      const snapshot = await exported();
      const b = await publish(mock.api, 'b');
      await publish(mock.api, 'c');

      const restored = await mock.api.put('/__mock/state').send(snapshot);
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ restored: true, seed: 1, counts: { publications: 1 } });

      const list = await mock.api.get('/v1/publications').set(PAIR);
      expect(list.body.publications.map((p: { customer: { source_id: string } }) => p.customer.source_id)).toEqual([
        'a',
      ]);
      const again = await publish(mock.api, 'b');
      expect(again.body).toEqual(b.body);
    },
  );

  it('a snapshot taken from one mock reproduces it in another: the same listing, byte for byte', async () => {
    await publish(mock.api, 'x');
    await mock.api
      .post('/v1/publications')
      .set(PAIR)
      .send({ customer: { source_id: 'y' }, voucher: WELL_KNOWN.alreadyPublishedCode });
    const snapshot = await exported();
    const other = qaMock();
    try {
      expect((await other.api.put('/__mock/state').send(snapshot)).status).toBe(200);
      const mine = await mock.api.get('/v1/publications').set(PAIR);
      const theirs = await other.api.get('/v1/publications').set(PAIR);
      expect(theirs.text).toBe(mine.text);
      expect(specViolations('listPublications', theirs)).toEqual([]);
      expect(other.snapshot()).toEqual(mock.snapshot());
    } finally {
      other.close();
    }
  });

  it("takes snapshots larger than the API's 1 MB body limit", async () => {
    const snapshot = (await exported()) as { state: { customers: unknown[] } };
    for (let i = 0; i < 6000; i++) {
      snapshot.state.customers.push({
        id: `cust_bulk_${i}`,
        source_id: `bulk-${i}`,
        name: `Bulk Customer ${i}`,
        email: `bulk${i}@example.com`,
        phone: null,
        description: 'x'.repeat(60),
        birthdate: null,
        address: null,
        metadata: {},
        created_at: TEST_NOW,
        updated_at: null,
      });
    }
    const body = JSON.stringify(snapshot);
    expect(body.length).toBeGreaterThan(1024 * 1024);
    const res = await mock.api.put('/__mock/state').set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(200);
    expect(mock.state.store.findCustomerBySourceId('bulk-5999')?.id).toBe('cust_bulk_5999');
  });

  // Test data mangled freely, one line per case: typed loosely on purpose (tests only; src/ has no `any`).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each case breaks the snapshot's shape on purpose
  type Spoil = (snapshot: any) => void;
  it.each<[string, Spoil, RegExp]>([
    [
      'another format',
      (s) => (s.format = 'something-else'),
      /Snapshot property 'format' should be "voucherify-publications-mock\/state"/,
    ],
    ['a newer format version', (s) => (s.version = 2), /format version 2 is not one this mock reads \(version 1\)/],
    [
      'a missing table',
      (s) => delete s.state.vouchers,
      /Snapshot property 'state' should have required property 'vouchers'/,
    ],
    ['an unknown top-level property', (s) => (s.extra = true), /should NOT have additional property 'extra'/],
    [
      'a voucher missing its code',
      (s) => delete s.state.vouchers[0].code,
      /'state.vouchers.0' should have required property 'code'/,
    ],
    [
      'a campaign of an unknown type',
      (s) => (s.state.campaigns[0].type = 'COUPON'),
      /'state.campaigns.0.type' should be one of: "DISCOUNT_VOUCHER", "GIFT_VOUCHER", "LOYALTY_CARD"/,
    ],
    ['a negative counter', (s) => (s.state.sequences.publication = -1), /'state.sequences.publication' should be >= 0/],
    [
      'another seed',
      (s) => (s.seed = 7),
      /made by a mock running seed 7, this one runs seed 1; start the mock with --seed 7/,
    ],
    [
      'two vouchers with one code',
      (s) => (s.state.vouchers[1].code = s.state.vouchers[0].code),
      /two vouchers have code/,
    ],
    [
      'a voucher of a campaign not in it',
      (s) => (s.state.vouchers[0].campaign_id = 'camp_gone'),
      /voucher \S+ names campaign camp_gone, which is not in the snapshot/,
    ],
    [
      'a publication of a customer not in it',
      (s) => (s.state.publications[0].customer_id = 'cust_gone'),
      /publication \S+ names customer cust_gone, who is not in the snapshot/,
    ],
    [
      'a publication naming a voucher not in it',
      (s) => (s.state.publications[0].voucher_ids = ['v_gone']),
      /names voucher v_gone, which is not in the snapshot/,
    ],
    [
      'meta without the seed it was filled with',
      (s) => (s.state.meta = {}),
      /meta.initialized_with_seed should be "1"/,
    ],
    [
      'two successful publications with one source_id',
      (s) =>
        s.state.publications.push({ ...s.state.publications[0], id: 'pub_copy', seq: 99 }) &&
        (s.state.sequences.publication += 1),
      /UNIQUE constraint failed: publications.source_id/,
    ],
    // Counters that would make the next create fail (each of these was accepted, and every create after it was a 500).
    [
      'counters emptied',
      (s) => (s.state.sequences = {}),
      /'state.sequences.publication' is missing, but the snapshot holds 1 publication, each of which used one; it should be at least 1/,
    ],
    [
      'a counter of 1e308',
      (s) => (s.state.sequences.publication = 1e308),
      /'state.sequences.publication' should be <= 281474976710656/,
    ],
    [
      'the customer counter set back',
      (s) => (s.state.sequences.customer = 0),
      /'state.sequences.customer' is 0: the next customer id it gives, cust_\w{24}, is one the snapshot's records already use/,
    ],
    [
      'a counter name that is no counter',
      (s) => (s.state.sequences['not a counter'] = 1),
      /'state.sequences' property name must be valid|'state.sequences' should match pattern/,
    ],
    // Fields that drive work are bounded as in fixture files: a 300-character charset made the next code loop forever.
    [
      'a charset of 300 characters',
      (s) =>
        (s.state.campaigns[0].code_config = {
          charset: Array.from({ length: 300 }, (_, i) => String.fromCharCode(0x100 + i)).join(''),
        }),
      /'state.campaigns.0.code_config.charset' should NOT have more than 256 characters/,
    ],
    [
      'a charset naming a character twice',
      (s) => (s.state.campaigns[0].code_config = { charset: 'ABA' }),
      /'state.campaigns.0.code_config.charset' names "A" twice/,
    ],
    [
      'a code length of a million',
      (s) => (s.state.campaigns[0].code_config = { length: 1_000_000 }),
      /'state.campaigns.0.code_config.length' should be <= 64/,
    ],
    [
      'a code of 300 characters',
      (s) => (s.state.vouchers[0].code = 'C'.repeat(300)),
      /'state.vouchers.0.code' should NOT have more than 128 characters/,
    ],
  ])('%s → 400 invalid_snapshot, and the state is left as it was', async (_name, spoil, details) => {
    await mock.api
      .post('/v1/publications')
      .set(PAIR)
      .send({
        customer: { source_id: 'keep' },
        campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
        source_id: 'order-1',
      });
    const snapshot = await exported();
    spoil(snapshot);
    await publish(mock.api, 'after-export');
    const before = mock.snapshot();
    const res = await mock.api.put('/__mock/state').send(snapshot);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, key: 'invalid_snapshot', message: 'Invalid state snapshot' });
    expect(res.body.details).toMatch(details);
    expect(mock.snapshot()).toEqual(before);
  });

  it(
    'the voucher counter set back below a voucher the mock made → 400 ' +
      'naming it; as exported → restored, and creates go on',
    async () => {
      // The auto-update campaign's pool holds 2 codes: the third publication makes a voucher.
      for (const sourceId of ['v1', 'v2', 'v3']) expect((await publish(mock.api, sourceId)).status).toBe(200);
      const snapshot = (await exported()) as { state: { sequences: Record<string, number> } };
      expect(snapshot.state.sequences.voucher).toBe(1);
      const refused = await mock.api
        .put('/__mock/state')
        .send({ ...snapshot, state: { ...snapshot.state, sequences: { ...snapshot.state.sequences, voucher: 0 } } });
      expect(refused.status).toBe(400);
      expect(refused.body.details).toMatch(
        /'state.sequences.voucher' is 0: the next voucher id it gives, v_\w{32}, is one the snapshot's records already use/,
      );
      expect((await mock.api.put('/__mock/state').send(snapshot)).status).toBe(200);
      expect((await publish(mock.api, 'v4')).status).toBe(200);
    },
  );

  it.each([
    ['malformed JSON', '{"format": ', /The snapshot is not valid JSON/],
    ['an empty JSON body', '', /Snapshot should have required property 'format'/],
  ])('%s → 400 invalid_snapshot', async (_name, body, details) => {
    const res = await mock.api.put('/__mock/state').set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(400);
    expect(res.body.key).toBe('invalid_snapshot');
    expect(res.body.details).toMatch(details);
  });

  it(
    'a body sent as text/plain → 400 invalid_snapshot naming the ' +
      'Content-Type (json-content-type.test.ts covers every case)',
    async () => {
      const res = await mock.api.put('/__mock/state').set('Content-Type', 'text/plain').send('hello');
      expect(res.status).toBe(400);
      expect(res.body.key).toBe('invalid_snapshot');
      expect(res.body.details).toMatch(
        /must be sent as JSON, with Content-Type: application\/json; this request's Content-Type is text\/plain/,
      );
    },
  );
});
