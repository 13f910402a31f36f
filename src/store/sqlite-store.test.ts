import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { CampaignRecord, CustomerRecord, PublicationRecord, VoucherRecord } from '../domain/records';
import { SCHEMA_VERSION, openSqliteStore } from './sqlite-store';
import type { Condition, OrderField, PublicationQuery, Store, StoreSnapshot } from './store';

const T0 = '2024-05-01T10:00:00.000Z';

function at(seconds: number): string {
  return new Date(Date.parse(T0) + seconds * 1000).toISOString();
}

function campaign(id: string, overrides: Partial<CampaignRecord> = {}): CampaignRecord {
  return {
    id,
    name: `Campaign ${id}`,
    type: 'DISCOUNT_VOUCHER',
    is_referral: false,
    auto_update: false,
    active: true,
    code_config: {},
    discount: null,
    gift: null,
    loyalty_card: null,
    start_date: null,
    expiration_date: null,
    redemption_quantity: null,
    category: null,
    category_id: null,
    metadata: {},
    created_at: T0,
    ...overrides,
  };
}

function voucher(id: string, overrides: Partial<VoucherRecord> = {}): VoucherRecord {
  return {
    id,
    code: `CODE-${id}`,
    campaign_id: null,
    type: 'DISCOUNT_VOUCHER',
    discount: null,
    gift: null,
    loyalty_card: null,
    category: null,
    category_id: null,
    start_date: null,
    expiration_date: null,
    validity_timeframe: null,
    validity_day_of_week: null,
    active: true,
    additional_info: null,
    metadata: {},
    is_referral_code: false,
    holder_id: null,
    publish_count: 0,
    redemption_quantity: null,
    redeemed_quantity: 0,
    created_at: T0,
    updated_at: null,
    ...overrides,
  };
}

function customer(id: string, overrides: Partial<CustomerRecord> = {}): CustomerRecord {
  return {
    id,
    source_id: null,
    name: null,
    email: null,
    phone: null,
    description: null,
    birthdate: null,
    address: null,
    metadata: {},
    created_at: T0,
    updated_at: null,
    ...overrides,
  };
}

function publication(id: string, overrides: Partial<PublicationRecord> = {}): PublicationRecord {
  return {
    id,
    created_at: T0,
    customer_id: 'cust_a',
    tracking_id: null,
    metadata: {},
    channel: 'API',
    source_id: null,
    result: 'SUCCESS',
    campaign_id: null,
    voucher_ids: [],
    multiple: false,
    failure_code: null,
    failure_message: null,
    ...overrides,
  };
}

function query(overrides: Partial<PublicationQuery> = {}): PublicationQuery {
  return {
    must: [],
    filters: [],
    junction: 'and',
    order: { field: 'created_at', direction: 'asc' },
    limit: 100,
    offset: 0,
    ...overrides,
  };
}

const stores: Store[] = [];
const tempDirs: string[] = [];

function memoryStore(): Store {
  const store = openSqliteStore({});
  stores.push(store);
  return store;
}

function tempFile(name = 'store.db'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-store-test-'));
  tempDirs.push(dir);
  return path.join(dir, name);
}

afterEach(() => {
  for (const store of stores.splice(0)) {
    try {
      store.close();
    } catch {
      // already closed by the test
    }
  }
});

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('round trips', () => {
  const campaigns: Array<[string, CampaignRecord]> = [
    [
      'a discount campaign with every field set',
      campaign('camp_full', {
        name: 'Black Friday',
        is_referral: true,
        auto_update: true,
        active: false,
        code_config: { prefix: 'BF-', postfix: '-X', length: 6, charset: 'ABC123', pattern: 'BF-####' },
        discount: { type: 'PERCENT', percent_off: 20, amount_limit: 1000, effect: 'APPLY_TO_ORDER' },
        start_date: '2024-01-01T00:00:00.000Z',
        expiration_date: '2024-12-31T23:59:59.999Z',
        redemption_quantity: 3,
        category: 'seasonal',
        category_id: 'cat_1',
        metadata: { region: 'EU', tags: ['a', 'b'], nested: { deep: null, n: 1.5, yes: true }, empty: {} },
      }),
    ],
    ['a campaign with nulls and empty objects', campaign('camp_empty')],
    [
      'a gift campaign',
      campaign('camp_gift', { type: 'GIFT_VOUCHER', gift: { amount: 5000, balance: 5000, effect: 'APPLY_TO_ORDER' } }),
    ],
    [
      'a loyalty campaign',
      campaign('camp_loyalty', {
        type: 'LOYALTY_CARD',
        loyalty_card: { points: 100, balance: 40, next_expiration_date: '2025-01-01' },
      }),
    ],
  ];
  test.each(campaigns)('a campaign round-trips: %s', (_name, record) => {
    const store = memoryStore();
    store.insertCampaign(record);
    expect(store.getCampaign(record.id)).toStrictEqual(record);
    expect(store.findCampaignByName(record.name)).toStrictEqual(record);
    expect(store.listCampaigns()).toStrictEqual([record]);
  });

  const vouchers: Array<[string, VoucherRecord]> = [
    [
      'a published voucher with every field set',
      voucher('v_full', {
        code: 'FULL-1',
        campaign_id: 'camp_1',
        discount: { type: 'AMOUNT', amount_off: 300, effect: 'APPLY_TO_ITEMS' },
        category: 'c',
        category_id: 'cat_2',
        start_date: '2024-01-01T00:00:00.000Z',
        expiration_date: '2024-02-01T00:00:00.000Z',
        validity_timeframe: { interval: 'P2D', duration: 'PT1H' },
        validity_day_of_week: [1, 3, 5],
        active: false,
        additional_info: 'for VIPs',
        metadata: { a: [1, { b: null }], c: {} },
        is_referral_code: true,
        holder_id: 'cust_1',
        publish_count: 2,
        redemption_quantity: 10,
        redeemed_quantity: 4,
        updated_at: at(60),
      }),
    ],
    ['an unpublished voucher with nulls and empty objects', voucher('v_empty')],
    ['a voucher valid on no day of the week (empty array)', voucher('v_days', { validity_day_of_week: [] })],
    [
      'a gift voucher',
      voucher('v_gift', {
        type: 'GIFT_VOUCHER',
        gift: { amount: 1000, subtracted_amount: 200, balance: 800, effect: 'APPLY_TO_ITEMS' },
      }),
    ],
    ['a loyalty card', voucher('v_loyalty', { type: 'LOYALTY_CARD', loyalty_card: { points: 10, balance: 10 } })],
  ];
  test.each(vouchers)('a voucher round-trips: %s', (_name, record) => {
    const store = memoryStore();
    store.insertVoucher(record);
    expect(store.getVoucher(record.id)).toStrictEqual(record);
    expect(store.findVoucherByCode(record.code)).toStrictEqual(record);
  });

  const customers: Array<[string, CustomerRecord]> = [
    [
      'a customer with every field set',
      customer('cust_full', {
        source_id: 'jane@example.com',
        name: 'Jane',
        email: 'jane@example.com',
        phone: '+48 123',
        description: 'VIP',
        birthdate: '1990-01-01',
        address: { city: 'Warsaw', line_2: null },
        metadata: { tier: 'gold', score: 7 },
        updated_at: at(5),
      }),
    ],
    ['a customer with nulls and empty objects', customer('cust_empty')],
    ['a customer with an empty address', customer('cust_addr', { source_id: 'addr', address: {} })],
  ];
  test.each(customers)('a customer round-trips: %s', (_name, record) => {
    const store = memoryStore();
    store.insertCustomer(record);
    expect(store.getCustomer(record.id)).toStrictEqual(record);
    if (record.source_id !== null) expect(store.findCustomerBySourceId(record.source_id)).toStrictEqual(record);
    expect(store.listCustomers(10)).toStrictEqual([record]);
  });

  const publications: Array<[string, PublicationRecord]> = [
    [
      'a success with several vouchers, kept in publishing order',
      publication('pub_multi', {
        customer_id: 'cust_1',
        tracking_id: 'track-1',
        metadata: { order: { id: 'o1', lines: [1, 2] }, flag: false, none: null },
        channel: 'voucherify-website',
        source_id: 'src-1',
        campaign_id: 'camp_1',
        voucher_ids: ['v_3', 'v_1', 'v_2'],
        multiple: true,
      }),
    ],
    [
      'a success with one voucher and empty metadata',
      publication('pub_one', { campaign_id: 'camp_1', voucher_ids: ['v_2'] }),
    ],
    [
      'a failure without vouchers',
      publication('pub_fail', {
        result: 'FAILURE',
        source_id: 'src-1',
        failure_code: 'no_voucher_suitable_for_publication',
        failure_message: 'No voucher',
      }),
    ],
  ];
  test.each(publications)('a publication round-trips with its seq: %s', (_name, record) => {
    const store = memoryStore();
    store.insertCampaign(campaign('camp_1'));
    for (const id of ['v_1', 'v_2', 'v_3']) store.insertVoucher(voucher(id, { campaign_id: 'camp_1' }));
    const stored = store.insertPublication(record);
    expect(stored).toStrictEqual({ ...record, seq: 1 });
    expect(store.getPublication(record.id)).toStrictEqual(stored);
    expect(store.listPublications(query()).publications).toStrictEqual([stored]);
  });

  test('insertPublication assigns increasing seqs and does not keep a reference to the caller voucher_ids', () => {
    const store = memoryStore();
    store.insertVoucher(voucher('v_1'));
    const ids = ['v_1'];
    const first = store.insertPublication(publication('pub_1', { voucher_ids: ids }));
    const second = store.insertPublication(publication('pub_2', { seq: 99 }));
    ids.push('mutated');
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(first.voucher_ids).toEqual(['v_1']);
    expect(store.getPublication('pub_2')?.seq).toBe(2);
  });

  test('lookups of unknown keys return undefined', () => {
    const store = memoryStore();
    expect(store.getCampaign('nope')).toBeUndefined();
    expect(store.findCampaignByName('nope')).toBeUndefined();
    expect(store.getVoucher('nope')).toBeUndefined();
    expect(store.findVoucherByCode('nope')).toBeUndefined();
    expect(store.findPublishableVoucher('nope')).toBeUndefined();
    expect(store.getCustomer('nope')).toBeUndefined();
    expect(store.findCustomerBySourceId('nope')).toBeUndefined();
    expect(store.getPublication('nope')).toBeUndefined();
    expect(store.findPublicationBySourceId('nope')).toBeUndefined();
    expect(store.findJoinedPublication('nope', 'nope')).toBeUndefined();
    expect(store.getMeta('nope')).toBeUndefined();
    expect(store.campaignStock('nope')).toEqual({ total: 0, publishable: 0 });
  });
});

describe('updates', () => {
  test('updateVoucher replaces every field of the voucher', () => {
    const store = memoryStore();
    store.insertVoucher(voucher('v_1', { campaign_id: 'camp_1' }));
    const updated = voucher('v_1', {
      campaign_id: 'camp_1',
      holder_id: 'cust_1',
      publish_count: 1,
      metadata: { published: true },
      validity_day_of_week: [0],
      updated_at: at(10),
    });
    store.updateVoucher(updated);
    expect(store.getVoucher('v_1')).toStrictEqual(updated);
  });

  test('updateCustomer replaces every field of the customer, including its source_id', () => {
    const store = memoryStore();
    store.insertCustomer(customer('cust_1', { source_id: 'old', name: 'Old' }));
    const updated = customer('cust_1', { source_id: 'new', name: null, address: { city: 'Paris' }, updated_at: at(1) });
    store.updateCustomer(updated);
    expect(store.getCustomer('cust_1')).toStrictEqual(updated);
    expect(store.findCustomerBySourceId('old')).toBeUndefined();
    expect(store.findCustomerBySourceId('new')).toStrictEqual(updated);
  });

  test.each([
    ['updateVoucher', (store: Store) => store.updateVoucher(voucher('v_missing'))],
    ['updateCustomer', (store: Store) => store.updateCustomer(customer('cust_missing'))],
  ])('%s of an unknown id throws', (_name, update) => {
    expect(() => update(memoryStore())).toThrow(/no (voucher|customer)/);
  });
});

describe('unique constraints', () => {
  function seeded(): Store {
    const store = memoryStore();
    store.insertCampaign(campaign('camp_1'));
    store.insertVoucher(voucher('v_1', { code: 'DUP' }));
    store.insertCustomer(customer('cust_1', { source_id: 'src' }));
    store.insertPublication(publication('pub_1', { source_id: 'src-1', voucher_ids: ['v_1'] }));
    return store;
  }

  test.each<[string, (store: Store) => void]>([
    ['a duplicate campaign id', (store) => store.insertCampaign(campaign('camp_1'))],
    ['a duplicate voucher id', (store) => store.insertVoucher(voucher('v_1', { code: 'OTHER' }))],
    ['a duplicate voucher code', (store) => store.insertVoucher(voucher('v_2', { code: 'DUP' }))],
    ['a duplicate customer id', (store) => store.insertCustomer(customer('cust_1', { source_id: 'other' }))],
    ['a duplicate customer source_id', (store) => store.insertCustomer(customer('cust_2', { source_id: 'src' }))],
    ['a duplicate publication id', (store) => store.insertPublication(publication('pub_1', { source_id: 'src-2' }))],
    [
      'a second successful publication with the same source_id',
      (store) => store.insertPublication(publication('pub_2', { source_id: 'src-1' })),
    ],
  ])('inserting %s throws', (_name, insert) => {
    const store = seeded();
    expect(() => insert(store)).toThrow(/UNIQUE constraint failed/);
  });

  test.each<[string, (store: Store) => void]>([
    ['customers without a source_id', (store) => store.insertCustomer(customer('cust_2'))],
    [
      'a failure reusing a successful source_id',
      (store) =>
        store.insertPublication(publication('pub_2', { source_id: 'src-1', result: 'FAILURE', failure_code: 'x' })),
    ],
    [
      'several failures with one source_id, then a success with it',
      (store) => {
        store.insertPublication(publication('pub_2', { source_id: 'src-2', result: 'FAILURE' }));
        store.insertPublication(publication('pub_3', { source_id: 'src-2', result: 'FAILURE' }));
        store.insertPublication(publication('pub_4', { source_id: 'src-2' }));
      },
    ],
    [
      'successes without a source_id',
      (store) => {
        store.insertPublication(publication('pub_2'));
        store.insertPublication(publication('pub_3'));
      },
    ],
  ])('%s are accepted', (_name, insert) => {
    const store = seeded();
    store.insertCustomer(customer('cust_0'));
    expect(() => insert(store)).not.toThrow();
  });

  test('a rejected publication leaves no row and no voucher link behind', () => {
    const store = seeded();
    store.insertVoucher(voucher('v_2'));
    expect(() => store.insertPublication(publication('pub_2', { source_id: 'src-1', voucher_ids: ['v_2'] }))).toThrow();
    expect(store.getPublication('pub_2')).toBeUndefined();
    const byCode = query({ must: [{ field: 'voucher_code', op: '$is', value: 'CODE-v_2' }] });
    expect(store.listPublications(byCode).total).toBe(0);
  });

  test.each<[string, PublicationRecord, RegExp]>([
    ['an unknown voucher', publication('pub_x', { voucher_ids: ['v_1', 'v_missing'] }), /unknown voucher v_missing/],
    ['an unknown campaign', publication('pub_x', { campaign_id: 'camp_missing' }), /unknown campaign camp_missing/],
  ])('insertPublication refuses a publication of %s and stores nothing', (_name, record, message) => {
    const store = seeded();
    expect(() => store.insertPublication(record)).toThrow(message);
    expect(store.getPublication('pub_x')).toBeUndefined();
  });
});

describe('transaction', () => {
  test('returns the function result and commits its writes', () => {
    const store = memoryStore();
    const result = store.transaction(() => {
      store.insertCampaign(campaign('camp_1'));
      return store.nextSequence('pub');
    });
    expect(result).toBe(1);
    expect(store.getCampaign('camp_1')).toBeDefined();
  });

  test('a throw rolls back every write, sequences included', () => {
    const store = memoryStore();
    expect(() =>
      store.transaction(() => {
        store.insertCampaign(campaign('camp_1'));
        store.nextSequence('pub');
        store.setMeta('k', 'v');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.getCampaign('camp_1')).toBeUndefined();
    expect(store.getMeta('k')).toBeUndefined();
    expect(store.nextSequence('pub')).toBe(1);
  });

  test('a nested transaction joins the outer one: its throw, caught outside, undoes only its own writes', () => {
    const store = memoryStore();
    store.transaction(() => {
      store.insertCampaign(campaign('camp_outer'));
      expect(() =>
        store.transaction(() => {
          store.insertCampaign(campaign('camp_inner'));
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    expect(store.getCampaign('camp_outer')).toBeDefined();
    expect(store.getCampaign('camp_inner')).toBeUndefined();
  });

  test('a nested transaction that succeeded is still undone when the outer one throws', () => {
    const store = memoryStore();
    expect(() =>
      store.transaction(() => {
        store.transaction(() => store.insertCampaign(campaign('camp_inner')));
        store.insertPublication(publication('pub_1'));
        throw new Error('outer');
      }),
    ).toThrow('outer');
    expect(store.getCampaign('camp_inner')).toBeUndefined();
    expect(store.getPublication('pub_1')).toBeUndefined();
  });
});

describe('campaigns', () => {
  test('listCampaigns returns campaigns in insertion order and findCampaignByName matches the exact name', () => {
    const store = memoryStore();
    const records = [
      campaign('camp_b', { name: 'Beta' }),
      campaign('camp_a', { name: 'Alpha' }),
      campaign('camp_c', { name: 'alpha' }),
    ];
    for (const record of records) store.insertCampaign(record);
    expect(store.listCampaigns().map((c) => c.id)).toEqual(['camp_b', 'camp_a', 'camp_c']);
    expect(store.findCampaignByName('Alpha')?.id).toBe('camp_a');
    expect(store.findCampaignByName('alpha')?.id).toBe('camp_c');
    expect(store.findCampaignByName('Alph')).toBeUndefined();
  });
});

describe('findPublishableVoucher and campaignStock', () => {
  function seeded(): Store {
    const store = memoryStore();
    store.insertCampaign(campaign('camp_1'));
    store.insertCampaign(campaign('camp_2'));
    store.insertVoucher(voucher('v_held', { campaign_id: 'camp_1', created_at: at(1), holder_id: 'cust_x' }));
    store.insertVoucher(voucher('v_inactive', { campaign_id: 'camp_1', created_at: at(2), active: false }));
    store.insertVoucher(voucher('v_third', { campaign_id: 'camp_1', created_at: at(4) }));
    store.insertVoucher(voucher('v_other_campaign', { campaign_id: 'camp_2', created_at: at(0) }));
    store.insertVoucher(voucher('v_standalone', { created_at: at(0) }));
    store.insertVoucher(voucher('v_fourth_same_time_later_insert', { campaign_id: 'camp_1', created_at: at(4) }));
    store.insertVoucher(voucher('v_last', { campaign_id: 'camp_1', created_at: at(5) }));
    store.insertVoucher(voucher('v_oldest_inserted_late', { campaign_id: 'camp_1', created_at: at(0) }));
    return store;
  }

  const title =
    'findPublishableVoucher returns the oldest active unpublished voucher of the campaign, ' +
    'ties in insertion order, until the pool is dry';
  test(title, () => {
    const store = seeded();
    const expected = ['v_oldest_inserted_late', 'v_third', 'v_fourth_same_time_later_insert', 'v_last'];
    const stock = [store.campaignStock('camp_1')];
    const published: string[] = [];
    let found = store.findPublishableVoucher('camp_1');
    for (; found !== undefined; found = store.findPublishableVoucher('camp_1')) {
      published.push(found.id);
      store.updateVoucher({ ...found, holder_id: 'cust_1', publish_count: 1 });
      stock.push(store.campaignStock('camp_1'));
    }
    expect(published).toEqual(expected);
    expect(stock).toEqual([4, 3, 2, 1, 0].map((publishable) => ({ total: 6, publishable })));
    expect(store.findPublishableVoucher('camp_2')?.id).toBe('v_other_campaign');
  });

  test('a voucher made active again, or released by its holder, is publishable again', () => {
    const store = seeded();
    const inactive = store.getVoucher('v_inactive');
    const held = store.getVoucher('v_held');
    if (inactive === undefined || held === undefined) throw new Error('seed missing');
    store.updateVoucher({ ...inactive, active: true });
    store.updateVoucher({ ...held, holder_id: null });
    expect(store.campaignStock('camp_1')).toEqual({ total: 6, publishable: 6 });
    expect(store.findPublishableVoucher('camp_1')?.id).toBe('v_oldest_inserted_late');
    const oldest = voucher('v_oldest_inserted_late', { campaign_id: 'camp_1', created_at: at(0), active: false });
    store.updateVoucher(oldest);
    expect(store.findPublishableVoucher('camp_1')?.id).toBe('v_held');
  });
});

describe('listHeldLoyaltyCards', () => {
  test('returns the loyalty cards held by the customer, oldest first, and no other voucher', () => {
    const store = memoryStore();
    const card = { type: 'LOYALTY_CARD' as const, loyalty_card: { points: 100, balance: 100 } };
    store.insertVoucher(voucher('v_card_late', { ...card, holder_id: 'cust_1', created_at: at(5) }));
    store.insertVoucher(voucher('v_card_early', { ...card, holder_id: 'cust_1', created_at: at(1) }));
    store.insertVoucher(voucher('v_card_other_holder', { ...card, holder_id: 'cust_2' }));
    store.insertVoucher(voucher('v_card_unpublished', card));
    store.insertVoucher(voucher('v_discount_held', { holder_id: 'cust_1' }));
    expect(store.listHeldLoyaltyCards('cust_1').map((v) => v.id)).toEqual(['v_card_early', 'v_card_late']);
    expect(store.listHeldLoyaltyCards('cust_1')[0]?.loyalty_card).toEqual({ points: 100, balance: 100 });
    expect(store.listHeldLoyaltyCards('cust_3')).toEqual([]);
    // A card published later joins the list.
    store.updateVoucher({ ...voucher('v_card_unpublished', card), holder_id: 'cust_3' });
    expect(store.listHeldLoyaltyCards('cust_3').map((v) => v.id)).toEqual(['v_card_unpublished']);
  });
});

describe('customers', () => {
  test('listCustomers returns the newest first, ties newest-inserted first, up to the limit', () => {
    const store = memoryStore();
    store.insertCustomer(customer('cust_1', { created_at: at(1) }));
    store.insertCustomer(customer('cust_2', { created_at: at(3) }));
    store.insertCustomer(customer('cust_3', { created_at: at(1) }));
    store.insertCustomer(customer('cust_4', { created_at: at(2) }));
    expect(store.listCustomers(10).map((c) => c.id)).toEqual(['cust_2', 'cust_4', 'cust_3', 'cust_1']);
    expect(store.listCustomers(2).map((c) => c.id)).toEqual(['cust_2', 'cust_4']);
    expect(store.listCustomers(0)).toEqual([]);
  });
});

describe('publication lookups', () => {
  function seeded(): Store {
    const store = memoryStore();
    store.insertCampaign(campaign('camp_1'));
    store.insertCampaign(campaign('camp_2'));
    for (const id of ['v_1', 'v_2', 'v_3']) store.insertVoucher(voucher(id, { campaign_id: 'camp_1' }));
    const inCampaign = { customer_id: 'cust_a', campaign_id: 'camp_1' };
    store.insertPublication(publication('pub_fail', { ...inCampaign, result: 'FAILURE', source_id: 'src-1' }));
    store.insertPublication(publication('pub_first', { ...inCampaign, voucher_ids: ['v_1'], source_id: 'src-1' }));
    store.insertPublication(publication('pub_second', { ...inCampaign, voucher_ids: ['v_2'] }));
    store.insertPublication(
      publication('pub_b_fail', { ...inCampaign, customer_id: 'cust_b', result: 'FAILURE', source_id: 'src-2' }),
    );
    return store;
  }

  test.each<[string, string, string, string | undefined]>([
    ['returns the first success, ignoring an earlier failure', 'cust_a', 'camp_1', 'pub_first'],
    ['ignores a customer who only failed', 'cust_b', 'camp_1', undefined],
    ['is per campaign', 'cust_a', 'camp_2', undefined],
  ])('findJoinedPublication %s', (_name, customerId, campaignId, expected) => {
    expect(seeded().findJoinedPublication(customerId, campaignId)?.id).toBe(expected);
  });

  test.each<[string, string, string | undefined]>([
    ['returns the success, not the failure made with the same source_id', 'src-1', 'pub_first'],
    ['ignores failures', 'src-2', undefined],
  ])('findPublicationBySourceId %s', (_name, sourceId, expected) => {
    const found = seeded().findPublicationBySourceId(sourceId);
    expect(found?.id).toBe(expected);
    if (expected !== undefined) expect(found?.voucher_ids).toEqual(['v_1']);
  });
});

/**
 * The listing data set, all published at the same instant (a frozen clock), so
 * the default order is insertion order. Publication n has id PUB[n].
 */
const PUB: Record<number, string> = {
  1: 'pub_e',
  2: 'pub_c',
  3: 'pub_h',
  4: 'pub_a',
  5: 'pub_g',
  6: 'pub_b',
  7: 'pub_f',
  8: 'pub_d',
};
const ALL = [1, 2, 3, 4, 5, 6, 7, 8];

function listingStore(): Store {
  const store = memoryStore();
  store.insertCampaign(campaign('camp_summer', { name: 'Summer 100% Sale' }));
  store.insertCampaign(campaign('camp_winter', { name: 'Winter_Promo', type: 'GIFT_VOUCHER' }));
  store.insertCampaign(campaign('camp_winter2', { name: 'Winter-Promo', type: 'GIFT_VOUCHER' }));
  store.insertCampaign(campaign('camp_refer', { name: 'Refer a friend', is_referral: true }));
  store.insertVoucher(voucher('v_sum1', { code: 'SUM-001', campaign_id: 'camp_summer' }));
  store.insertVoucher(voucher('v_sum2', { code: 'SUM-002', campaign_id: 'camp_summer' }));
  store.insertVoucher(voucher('v_pct', { code: '50%_OFF', campaign_id: 'camp_summer' }));
  store.insertVoucher(voucher('v_gift', { code: 'GIFT-1', campaign_id: 'camp_winter', type: 'GIFT_VOUCHER' }));
  store.insertVoucher(voucher('v_ref', { code: 'REF-1', campaign_id: 'camp_refer', is_referral_code: true }));
  store.insertVoucher(voucher('v_loy', { code: 'LOY-1', type: 'LOYALTY_CARD' }));
  store.insertVoucher(voucher('v_wp', { code: 'WP-1', campaign_id: 'camp_winter2', type: 'GIFT_VOUCHER' }));
  const failure = { result: 'FAILURE' as const, failure_message: 'failed' };
  const rows: PublicationRecord[] = [
    publication(PUB[1] ?? '', {
      customer_id: 'cust_a',
      tracking_id: 'track-a',
      campaign_id: 'camp_summer',
      voucher_ids: ['v_sum1'],
      source_id: 'src-1',
    }),
    publication(PUB[2] ?? '', {
      customer_id: 'cust_b',
      tracking_id: 'track-b',
      campaign_id: 'camp_summer',
      voucher_ids: ['v_sum2', 'v_pct'],
      multiple: true,
      channel: 'voucherify-website',
    }),
    publication(PUB[3] ?? '', {
      customer_id: 'cust_a',
      tracking_id: 'track-a',
      campaign_id: 'camp_winter',
      voucher_ids: ['v_gift'],
      source_id: '',
    }),
    publication(PUB[4] ?? '', {
      customer_id: 'cust_c',
      tracking_id: 'track-c',
      campaign_id: 'camp_refer',
      voucher_ids: ['v_ref'],
      channel: 'Automation',
      source_id: 'src-4',
    }),
    publication(PUB[5] ?? '', {
      customer_id: 'cust_b',
      tracking_id: 'track-b',
      voucher_ids: ['v_loy'],
      source_id: 'src-5',
    }),
    publication(PUB[6] ?? '', {
      ...failure,
      customer_id: 'cust_c',
      tracking_id: 'track-c',
      campaign_id: 'camp_summer',
      source_id: 'src-1',
      failure_code: 'no_voucher_suitable_for_publication',
    }),
    publication(PUB[7] ?? '', { ...failure, customer_id: 'cust_a', failure_code: 'not_found' }),
    publication(PUB[8] ?? '', {
      customer_id: 'cust_d',
      tracking_id: 'track-d',
      campaign_id: 'camp_winter2',
      voucher_ids: ['v_wp'],
      source_id: 'src-8',
    }),
  ];
  store.transaction(() => {
    for (const row of rows) store.insertPublication(row);
  });
  return store;
}

function listedNumbers(store: Store, q: PublicationQuery): number[] {
  const byId = new Map(Object.entries(PUB).map(([n, id]) => [id, Number(n)]));
  return store.listPublications(q).publications.map((p) => byId.get(p.id) ?? -1);
}

describe('listPublications filters', () => {
  const single: Array<[Condition, number[]]> = [
    [{ field: 'campaign_name', op: '$is', value: 'Summer 100% Sale' }, [1, 2, 6]],
    [{ field: 'campaign_name', op: '$is_not', value: 'Summer 100% Sale' }, [3, 4, 5, 7, 8]],
    [{ field: 'campaign_name', op: '$in', value: ['Winter_Promo', 'Refer a friend'] }, [3, 4]],
    [{ field: 'campaign_name', op: '$in', value: [] }, []],
    [{ field: 'campaign_name', op: '$not_in', value: ['Summer 100% Sale', 'Winter-Promo'] }, [3, 4, 5, 7]],
    [{ field: 'campaign_name', op: '$not_in', value: [] }, ALL],
    [{ field: 'campaign_name', op: '$has_value' }, [1, 2, 3, 4, 6, 8]],
    [{ field: 'campaign_name', op: '$is_unknown' }, [5, 7]],
    [{ field: 'campaign_name', op: '$starts_with', value: 'Summer 100%' }, [1, 2, 6]],
    [{ field: 'campaign_name', op: '$starts_with', value: 'Summer 1%' }, []],
    [{ field: 'campaign_name', op: '$starts_with', value: 'summer' }, []],
    [{ field: 'campaign_name', op: '$ends_with', value: 'r_Promo' }, [3]],
    [{ field: 'campaign_name', op: '$ends_with', value: 'Promo' }, [3, 8]],
    [{ field: 'campaign_name', op: '$ends_with', value: 'A much longer suffix than any name' }, []],
    [{ field: 'campaign_name', op: '$ends_with', value: '' }, [1, 2, 3, 4, 6, 8]],
    [{ field: 'voucher_code', op: '$is', value: 'SUM-002' }, [2]],
    [{ field: 'voucher_code', op: '$is', value: '50%_OFF' }, [2]],
    [{ field: 'voucher_code', op: '$is_not', value: '50%_OFF' }, [1, 3, 4, 5, 6, 7, 8]],
    [{ field: 'voucher_code', op: '$in', value: ['SUM-001', 'GIFT-1'] }, [1, 3]],
    [{ field: 'voucher_code', op: '$in', value: [] }, []],
    [{ field: 'voucher_code', op: '$not_in', value: ['SUM-001', 'LOY-1'] }, [2, 3, 4, 6, 7, 8]],
    [{ field: 'voucher_code', op: '$not_in', value: [] }, ALL],
    [{ field: 'voucher_code', op: '$has_value' }, [1, 2, 3, 4, 5, 8]],
    [{ field: 'voucher_code', op: '$is_unknown' }, [6, 7]],
    [{ field: 'voucher_code', op: '$starts_with', value: '50%' }, [2]],
    [{ field: 'voucher_code', op: '$starts_with', value: '5%' }, []],
    [{ field: 'voucher_code', op: '$ends_with', value: '-1' }, [3, 4, 5, 8]],
    [{ field: 'voucher_code', op: '$ends_with', value: '_OFF' }, [2]],
    [{ field: 'voucher_type', op: '$is', value: 'gift' }, [3, 8]],
    [{ field: 'voucher_type', op: '$is_not', value: 'discount' }, [3, 5, 6, 7, 8]],
    [{ field: 'voucher_type', op: '$in', value: ['discount', 'loyalty'] }, [1, 2, 4, 5]],
    [{ field: 'voucher_type', op: '$is_unknown' }, [6, 7]],
    [{ field: 'customer_id', op: '$is', value: 'cust_a' }, [1, 3, 7]],
    [{ field: 'customer_id', op: '$not_in', value: ['cust_a', 'cust_b'] }, [4, 6, 8]],
    [{ field: 'customer_id', op: '$starts_with', value: 'cust_' }, ALL],
    [{ field: 'result', op: '$is', value: 'FAILURE' }, [6, 7]],
    [{ field: 'result', op: '$is_not', value: 'FAILURE' }, [1, 2, 3, 4, 5, 8]],
    [{ field: 'source_id', op: '$is', value: 'src-1' }, [1, 6]],
    [{ field: 'source_id', op: '$is_not', value: 'src-1' }, [2, 3, 4, 5, 7, 8]],
    [{ field: 'source_id', op: '$in', value: ['src-4', 'src-5', 'nope'] }, [4, 5]],
    [{ field: 'source_id', op: '$has_value' }, [1, 4, 5, 6, 8]],
    [{ field: 'source_id', op: '$is_unknown' }, [2, 3, 7]],
    [{ field: 'source_id', op: '$is', value: "x' OR 1=1 --" }, []],
    [{ field: 'channel', op: '$ends_with', value: 'website' }, [2]],
    [{ field: 'channel', op: '$starts_with', value: 'Auto' }, [4]],
    [{ field: 'channel', op: '$starts_with', value: 'auto' }, []],
    [{ field: 'channel', op: '$in', value: ['Automation', 'voucherify-website'] }, [2, 4]],
    [{ field: 'failure_code', op: '$has_value' }, [6, 7]],
    [{ field: 'failure_code', op: '$is_unknown' }, [1, 2, 3, 4, 5, 8]],
    [{ field: 'failure_code', op: '$starts_with', value: 'no_' }, [6]],
    [{ field: 'is_referral_code', op: '$is', value: true }, [4]],
    [{ field: 'is_referral_code', op: '$is', value: false }, [1, 2, 3, 5, 8]],
    [{ field: 'is_referral_code', op: '$is_not', value: true }, [1, 2, 3, 5, 6, 7, 8]],
    [{ field: 'is_referral_code', op: '$is_not', value: false }, [4, 6, 7]],
    [{ field: 'is_referral_code', op: '$has_value' }, [1, 2, 3, 4, 5, 8]],
    [{ field: 'is_referral_code', op: '$is_unknown' }, [6, 7]],
  ];

  const named = single.map(
    ([condition, expected]) =>
      [`${condition.field} ${condition.op} ${JSON.stringify(condition.value ?? null)}`, condition, expected] as const,
  );
  test.each(named)(
    '%s matches the same publications as a `must` condition and as a lone filter with either junction',
    (_name, condition, expected) => {
      const store = listingStore();
      expect(listedNumbers(store, query({ must: [condition] }))).toEqual(expected);
      expect(listedNumbers(store, query({ filters: [condition], junction: 'and' }))).toEqual(expected);
      expect(listedNumbers(store, query({ filters: [condition], junction: 'or' }))).toEqual(expected);
      expect(store.listPublications(query({ must: [condition] })).total).toBe(expected.length);
    },
  );

  const combined: Array<[string, Partial<PublicationQuery>, number[]]> = [
    [
      'must conditions are all required',
      {
        must: [
          { field: 'customer_id', op: '$is', value: 'cust_a' },
          { field: 'result', op: '$is', value: 'SUCCESS' },
        ],
      },
      [1, 3],
    ],
    [
      'and-filters are all required',
      {
        filters: [
          { field: 'channel', op: '$is', value: 'API' },
          { field: 'voucher_type', op: '$is', value: 'gift' },
        ],
        junction: 'and',
      },
      [3, 8],
    ],
    [
      'or-filters need one to hold',
      {
        filters: [
          { field: 'campaign_name', op: '$is', value: 'Winter_Promo' },
          { field: 'voucher_type', op: '$is', value: 'loyalty' },
        ],
        junction: 'or',
      },
      [3, 5],
    ],
    [
      'or-filters mixing voucher_code and a column',
      {
        filters: [
          { field: 'voucher_code', op: '$is', value: 'REF-1' },
          { field: 'source_id', op: '$is', value: 'src-1' },
        ],
        junction: 'or',
      },
      [1, 4, 6],
    ],
    [
      'or-filters of a boolean and a negative-ish operator',
      {
        filters: [
          { field: 'is_referral_code', op: '$is', value: true },
          { field: 'failure_code', op: '$has_value' },
        ],
        junction: 'or',
      },
      [4, 6, 7],
    ],
    [
      'must conditions are AND-ed with the or-filters as a group',
      {
        must: [{ field: 'result', op: '$is', value: 'SUCCESS' }],
        filters: [
          { field: 'customer_id', op: '$is', value: 'cust_c' },
          { field: 'source_id', op: '$is', value: 'src-1' },
        ],
        junction: 'or',
      },
      [1, 4],
    ],
    [
      'must conditions with and-filters including negations',
      {
        must: [{ field: 'customer_id', op: '$in', value: ['cust_a', 'cust_b'] }],
        filters: [
          { field: 'voucher_code', op: '$has_value' },
          { field: 'channel', op: '$is_not', value: 'API' },
        ],
        junction: 'and',
      },
      [2],
    ],
    ['no filters with the or junction match everything', { filters: [], junction: 'or' }, ALL],
    [
      'two voucher_code conditions AND-ed can match different vouchers of one publication',
      {
        filters: [
          { field: 'voucher_code', op: '$is', value: 'SUM-002' },
          { field: 'voucher_code', op: '$is', value: '50%_OFF' },
        ],
        junction: 'and',
      },
      [2],
    ],
  ];
  test.each(combined)('%s', (_name, overrides, expected) => {
    const store = listingStore();
    const result = store.listPublications(query(overrides));
    expect(listedNumbers(store, query(overrides))).toEqual(expected);
    expect(result.total).toBe(expected.length);
  });

  test('listed publications are whole records with their vouchers in publishing order', () => {
    const store = listingStore();
    const byCode = query({ must: [{ field: 'voucher_code', op: '$is', value: '50%_OFF' }] });
    const [listed] = store.listPublications(byCode).publications;
    expect(listed).toStrictEqual({
      ...store.getPublication(PUB[2] ?? ''),
      voucher_ids: ['v_sum2', 'v_pct'],
      multiple: true,
      seq: 2,
    });
  });

  const invalid: Array<[string, PublicationQuery]> = [
    [
      'an unknown field',
      query({ must: [{ field: 'p.id; DROP TABLE publications', op: '$is', value: 'x' } as unknown as Condition] }),
    ],
    ['an unknown operator', query({ must: [{ field: 'channel', op: '$like', value: 'x' } as unknown as Condition] })],
    ['$in with a string', query({ must: [{ field: 'channel', op: '$in', value: 'API' }] })],
    ['$is with an array', query({ filters: [{ field: 'channel', op: '$is', value: ['API'] }] })],
    ['$starts_with without a value', query({ must: [{ field: 'channel', op: '$starts_with' }] })],
    ['is_referral_code with a string', query({ must: [{ field: 'is_referral_code', op: '$is', value: 'true' }] })],
    [
      'is_referral_code with $starts_with',
      query({ must: [{ field: 'is_referral_code', op: '$starts_with', value: true }] }),
    ],
    ['an unknown order field', query({ order: { field: 'metadata' as OrderField, direction: 'asc' } })],
    ['an unknown direction', query({ order: { field: 'id', direction: 'sideways' as 'asc' } })],
    ['an unknown junction', query({ filters: [{ field: 'channel', op: '$has_value' }], junction: 'xor' as 'and' })],
    ['a negative limit', query({ limit: -1 })],
    ['a fractional offset', query({ offset: 1.5 })],
  ];
  test.each(invalid)('a query with %s is refused', (_name, q) => {
    const store = listingStore();
    expect(() => store.listPublications(q)).toThrow();
    expect(store.listPublications(query()).total).toBe(8);
  });
});

describe('listPublications ordering and paging', () => {
  const orders: Array<[OrderField, 'asc' | 'desc', number[]]> = [
    ['created_at', 'asc', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['created_at', 'desc', [8, 7, 6, 5, 4, 3, 2, 1]],
    ['id', 'asc', [4, 6, 2, 8, 1, 7, 5, 3]],
    ['id', 'desc', [3, 5, 7, 1, 8, 2, 6, 4]],
    ['customer_id', 'asc', [1, 3, 7, 2, 5, 4, 6, 8]],
    ['customer_id', 'desc', [8, 6, 4, 5, 2, 7, 3, 1]],
    ['voucher_code', 'asc', [6, 7, 3, 5, 4, 1, 2, 8]],
    ['voucher_code', 'desc', [8, 2, 1, 4, 5, 3, 7, 6]],
    ['tracking_id', 'asc', [7, 1, 3, 2, 5, 4, 6, 8]],
    ['tracking_id', 'desc', [8, 6, 4, 5, 2, 3, 1, 7]],
    ['channel', 'asc', [1, 3, 5, 6, 7, 8, 4, 2]],
    ['channel', 'desc', [2, 4, 8, 7, 6, 5, 3, 1]],
  ];
  test.each(orders)(
    'ordering by %s %s under a frozen clock breaks ties by insertion order in the same direction',
    (field, direction, expected) => {
      expect(listedNumbers(listingStore(), query({ order: { field, direction } }))).toEqual(expected);
    },
  );

  test.each<['asc' | 'desc', string[]]>([
    ['asc', ['q2', 'q4', 'q1', 'q3', 'q5']],
    ['desc', ['q5', 'q3', 'q1', 'q4', 'q2']],
  ])('ordering by created_at %s sorts by time, then by insertion order among equal times', (direction, expected) => {
    const store = memoryStore();
    const times: Array<[string, number]> = [
      ['q1', 2],
      ['q2', 1],
      ['q3', 2],
      ['q4', 1],
      ['q5', 3],
    ];
    for (const [id, seconds] of times) store.insertPublication(publication(id, { created_at: at(seconds) }));
    const listed = store.listPublications(query({ order: { field: 'created_at', direction } }));
    expect(listed.publications.map((p) => p.id)).toEqual(expected);
  });

  const pages: Array<[string, Partial<PublicationQuery>, number[], number]> = [
    ['the first page', { limit: 3, offset: 0 }, [8, 7, 6], 8],
    ['a middle page', { limit: 3, offset: 3 }, [5, 4, 3], 8],
    ['the last, short page', { limit: 3, offset: 6 }, [2, 1], 8],
    ['past the end', { limit: 3, offset: 9 }, [], 8],
    ['a zero limit (count only)', { limit: 0, offset: 0 }, [], 8],
    [
      'a filtered page',
      { limit: 2, offset: 1, must: [{ field: 'customer_id', op: '$is', value: 'cust_a' }] },
      [3, 1],
      3,
    ],
  ];
  test.each(pages)('paging: %s returns its slice and the total of all matches', (_name, overrides, expected, total) => {
    const store = listingStore();
    const q = query({ order: { field: 'created_at', direction: 'desc' }, ...overrides });
    expect(listedNumbers(store, q)).toEqual(expected);
    expect(store.listPublications(q).total).toBe(total);
  });

  test('a customer-filtered page among 20,000 publications holds the right rows', () => {
    const store = memoryStore();
    const customers = 37;
    const inserted: PublicationRecord[] = [];
    store.transaction(() => {
      store.insertCampaign(campaign('camp_big', { name: 'Big' }));
      for (let i = 0; i < 20_000; i++) {
        const failed = i % 10 === 9;
        const holder = `cust_${i % customers}`;
        if (!failed) {
          store.insertVoucher(voucher(`v_${i}`, { code: `BIG-${i}`, campaign_id: 'camp_big', holder_id: holder }));
        }
        inserted.push(
          store.insertPublication(
            publication(`pub_${i}`, {
              customer_id: holder,
              // 50 publications per second: many equal timestamps.
              created_at: at(Math.floor(i / 50)),
              campaign_id: 'camp_big',
              voucher_ids: failed ? [] : [`v_${i}`],
              result: failed ? 'FAILURE' : 'SUCCESS',
              failure_code: failed ? 'no_voucher_suitable_for_publication' : null,
              source_id: `src-${i}`,
            }),
          ),
        );
      }
    });
    const expected = inserted
      .filter((p) => p.customer_id === 'cust_5')
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || (b.seq ?? 0) - (a.seq ?? 0));
    const page = store.listPublications(
      query({
        must: [{ field: 'customer_id', op: '$is', value: 'cust_5' }],
        order: { field: 'created_at', direction: 'desc' },
        limit: 25,
        offset: 40,
      }),
    );
    expect(page.total).toBe(expected.length);
    expect(page.publications).toStrictEqual(expected.slice(40, 65));

    const successes = store.listPublications(
      query({
        must: [{ field: 'customer_id', op: '$is', value: 'cust_5' }],
        filters: [{ field: 'result', op: '$is', value: 'SUCCESS' }],
        order: { field: 'created_at', direction: 'asc' },
        limit: 10,
        offset: 0,
      }),
    );
    expect(successes.publications.map((p) => p.id)).toEqual(
      inserted
        .filter((p) => p.customer_id === 'cust_5' && p.result === 'SUCCESS')
        .slice(0, 10)
        .map((p) => p.id),
    );
    expect(store.campaignStock('camp_big')).toEqual({ total: 18_000, publishable: 0 });
  });
});

describe('sequences, meta, clear and close', () => {
  test('nextSequence counts from 1, independently per name', () => {
    const store = memoryStore();
    const drawn = ['pub', 'pub', 'cust', 'pub', 'cust'].map((name) => store.nextSequence(name));
    expect(drawn).toEqual([1, 2, 1, 3, 2]);
  });

  test('setMeta stores and overwrites a value', () => {
    const store = memoryStore();
    store.setMeta('seed', '42');
    store.setMeta('seed', '43');
    store.setMeta('empty', '');
    expect([store.getMeta('seed'), store.getMeta('empty')]).toEqual(['43', '']);
  });

  test('clear() deletes every record, counter and meta value; publication seqs restart', () => {
    const store = listingStore();
    store.insertCustomer(customer('cust_1', { source_id: 'src' }));
    store.nextSequence('pub');
    store.setMeta('seed', '1');
    store.clear();
    expect(store.listCampaigns()).toEqual([]);
    expect(store.getVoucher('v_sum1')).toBeUndefined();
    expect(store.listCustomers(10)).toEqual([]);
    expect(store.listPublications(query())).toEqual({ publications: [], total: 0 });
    expect(store.getMeta('seed')).toBeUndefined();
    expect(store.nextSequence('pub')).toBe(1);
    expect(store.insertPublication(publication('pub_new', { source_id: 'src-1' })).seq).toBe(1);
    expect(() => store.insertVoucher(voucher('v_sum1', { code: 'SUM-001' }))).not.toThrow();
  });

  test('close() closes the database', () => {
    const store = memoryStore();
    store.close();
    expect(() => store.getCampaign('camp_1')).toThrow(/not open/);
  });
});

describe('persistence', () => {
  test('a file store reopens with every record, sequences and meta continuing', () => {
    const file = tempFile();
    const first = openSqliteStore({ file });
    first.insertCampaign(campaign('camp_1', { name: 'Kept' }));
    first.insertVoucher(voucher('v_1', { campaign_id: 'camp_1', metadata: { a: 1 } }));
    first.insertVoucher(voucher('v_2', { campaign_id: 'camp_1' }));
    first.insertCustomer(customer('cust_1', { source_id: 'src', address: {} }));
    const stored = first.insertPublication(
      publication('pub_1', { customer_id: 'cust_1', campaign_id: 'camp_1', voucher_ids: ['v_1'], source_id: 'p-1' }),
    );
    expect([first.nextSequence('pub'), first.nextSequence('pub')]).toEqual([1, 2]);
    first.setMeta('seed', '7');
    first.close();

    const second = openSqliteStore({ file });
    stores.push(second);
    expect(second.getCampaign('camp_1')).toStrictEqual(campaign('camp_1', { name: 'Kept' }));
    expect(second.getVoucher('v_1')).toStrictEqual(voucher('v_1', { campaign_id: 'camp_1', metadata: { a: 1 } }));
    expect(second.findCustomerBySourceId('src')).toStrictEqual(customer('cust_1', { source_id: 'src', address: {} }));
    expect(second.findPublicationBySourceId('p-1')).toStrictEqual(stored);
    expect(second.findPublishableVoucher('camp_1')?.id).toBe('v_1');
    const byCampaign = query({ must: [{ field: 'campaign_name', op: '$is', value: 'Kept' }] });
    expect(second.listPublications(byCampaign).total).toBe(1);
    expect(second.nextSequence('pub')).toBe(3);
    expect(second.getMeta('seed')).toBe('7');
    expect(second.insertPublication(publication('pub_2')).seq).toBe(2);
    expect(() => second.insertPublication(publication('pub_3', { source_id: 'p-1' }))).toThrow(/UNIQUE/);
  });

  test('a file store is in WAL mode with its schema version in user_version', () => {
    const file = tempFile();
    openSqliteStore({ file }).close();
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      raw.close();
    }
  });

  test.each<[string, (raw: Database.Database) => void, RegExp]>([
    ['a newer schema version', (raw) => raw.pragma('user_version = 99'), /schema version 99/],
    ['tables but no schema version', (raw) => raw.exec('CREATE TABLE other (x)'), /not a store database/],
  ])('opening a file with %s is refused and leaves the file alone', (_name, prepare, message) => {
    const file = tempFile();
    const raw = new Database(file);
    prepare(raw);
    raw.close();
    expect(() => openSqliteStore({ file })).toThrow(message);
    const after = new Database(file, { readonly: true });
    try {
      expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    } finally {
      after.close();
    }
  });

  test('a publication committed before the process is killed with SIGKILL is still there', () => {
    const file = tempFile();
    const child = `
      const [tsPath, storePath, file] = process.argv.slice(1);
      const ts = require(tsPath);
      const fs = require('fs');
      require.extensions['.ts'] = (module, filename) => module._compile(ts.transpileModule(
        fs.readFileSync(filename, 'utf8'),
        { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } },
      ).outputText, filename);
      const { openSqliteStore } = require(storePath);
      const records = JSON.parse(process.env.RECORDS);
      const store = openSqliteStore({ file });
      store.transaction(() => {
        store.insertCampaign(records.campaign);
        store.insertVoucher(records.voucher);
        store.insertPublication(records.publication);
      });
      process.stdout.write('committed\\n');
      process.kill(process.pid, 'SIGKILL');
    `;
    const records = {
      campaign: campaign('camp_1'),
      voucher: voucher('v_1', { campaign_id: 'camp_1', holder_id: 'cust_1' }),
      publication: publication('pub_1', {
        customer_id: 'cust_1',
        campaign_id: 'camp_1',
        voucher_ids: ['v_1'],
        source_id: 'before-kill',
      }),
    };
    const args = ['-e', child, require.resolve('typescript'), require.resolve('./sqlite-store.ts'), file];
    const result = spawnSync(process.execPath, args, {
      env: { ...process.env, RECORDS: JSON.stringify(records) },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('committed\n');
    expect(result.signal).toBe('SIGKILL');
    expect(fs.existsSync(`${file}-wal`)).toBe(true);

    const reopened = openSqliteStore({ file });
    stores.push(reopened);
    expect(reopened.findPublicationBySourceId('before-kill')).toStrictEqual({ ...records.publication, seq: 1 });
    expect(reopened.getVoucher('v_1')?.holder_id).toBe('cust_1');
  });
});

describe('exportState and importState (state snapshots)', () => {
  /** A store with every table used: a listing world, customers, counters and meta. */
  function fullStore(): Store {
    const store = listingStore();
    store.insertCustomer(
      customer('cust_a', { source_id: 'src-a', address: { city: 'Oslo' }, metadata: { tier: 'gold' } }),
    );
    store.insertCustomer(customer('cust_b', { name: 'Bee' }));
    [1, 2, 3].forEach(() => store.nextSequence('publication'));
    store.nextSequence('customer');
    store.setMeta('initialized_with_seed', '5');
    return store;
  }

  test('export → import into an empty store → export gives the same snapshot', () => {
    const original = fullStore();
    const snapshot = original.exportState();
    expect(snapshot.campaigns.length).toBeGreaterThan(0);
    expect(snapshot.publications.every((p) => typeof p.seq === 'number')).toBe(true);
    const copy = memoryStore();
    copy.importState(JSON.parse(JSON.stringify(snapshot)) as typeof snapshot);
    expect(copy.exportState()).toStrictEqual(snapshot);
  });

  test('after import, counters and publication seqs continue where the original stopped', () => {
    const original = fullStore();
    const copy = memoryStore();
    copy.importState(original.exportState());
    expect([copy.nextSequence('publication'), copy.nextSequence('customer'), copy.nextSequence('new')]).toEqual([
      original.nextSequence('publication'),
      original.nextSequence('customer'),
      1,
    ]);
    expect(copy.insertPublication(publication('pub_next')).seq).toBe(
      original.insertPublication(publication('pub_next')).seq,
    );
    expect(copy.listPublications(query()).publications.map((p) => p.id)).toEqual(
      original.listPublications(query()).publications.map((p) => p.id),
    );
    expect(copy.findPublishableVoucher('camp_summer')).toStrictEqual(original.findPublishableVoucher('camp_summer'));
  });

  test('import replaces everything the store held before', () => {
    const store = memoryStore();
    store.insertCampaign(campaign('camp_old'));
    store.setMeta('old', '1');
    store.nextSequence('old');
    store.importState(fullStore().exportState());
    expect(store.getCampaign('camp_old')).toBeUndefined();
    expect(store.getMeta('old')).toBeUndefined();
    expect(store.nextSequence('old')).toBe(1);
  });

  test.each<[string, (s: StoreSnapshot) => void, RegExp]>([
    ['two vouchers with one code', (s) => s.vouchers.push(voucher('v_dup', { code: 'SUM-001' })), /UNIQUE/],
    [
      'a publication naming a missing voucher',
      (s) => s.publications.push(publication('pub_x', { voucher_ids: ['v_missing'] })),
      /unknown voucher/,
    ],
    [
      'a publication naming a missing campaign',
      (s) => s.publications.push(publication('pub_y', { campaign_id: 'camp_missing' })),
      /unknown campaign/,
    ],
  ])('a snapshot with %s is refused and the store is left as it was', (_name, spoil, message) => {
    const store = memoryStore();
    store.insertCampaign(campaign('camp_kept'));
    store.nextSequence('kept');
    const before = store.exportState();
    const snapshot = fullStore().exportState();
    spoil(snapshot);
    expect(() => store.importState(snapshot)).toThrow(message);
    expect(store.exportState()).toStrictEqual(before);
  });
});
