/**
 * The asynchronous Store's contract, one table of cases run against both
 * implementations: SQLite (the synchronous store under the async adapter) and
 * PostgreSQL (a real server, see test/support/postgres-server.ts). Same
 * records in, same records, orders, counts and errors out; transactions
 * atomic; and, where several processes share one database (PostgreSQL: here
 * several stores, each with its own pool, stand for the processes), the races
 * the rules depend on — one voucher per publication from a pool, one join per
 * customer, one success per source_id, counters without a repeat — come out as
 * if the transactions had run one at a time.
 */
import type { PublicationRecord, VoucherRecord } from '../domain/records';
import { describeWithPostgres } from '../../test/support/postgres-server';
import { T0, at, campaign, customer, publication, query, voucher } from '../../test/support/store-records';
import type { AsyncStore, StoreTransaction as AnyTransaction, TransactionVerb } from './async-store';
import type { Store } from './store';

/**
 * A transaction whose verbs all return promises: the cases chain on `.then`, while an engine's verbs may answer at once
 * (SQLite's do).
 */
type StoreTransaction = {
  [K in TransactionVerb]: Store[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;
};

function promised(tx: AnyTransaction): StoreTransaction {
  return new Proxy(tx, {
    get: (target, verb: TransactionVerb) => {
      const call = target[verb] as (...args: unknown[]) => unknown;
      return async (...args: unknown[]) => call.apply(target, args);
    },
  }) as unknown as StoreTransaction;
}
import { openPostgresStore } from './postgres/postgres-store';
import { openSqliteAsyncStore } from './sqlite-async-store';
import type { Condition, OrderField, PublicationQuery, StoreSnapshot } from './store';

/**
 * How a case reaches an engine: `open` one store on a cleared database; `replicas` several on the same one (processes
 * sharing it).
 */
interface Engine {
  open(): Promise<AsyncStore>;
  replicas(count: number): Promise<AsyncStore[]>;
}

const opened: AsyncStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

/**
 * A rejection's message. Read by property, not by `instanceof Error`: better-sqlite3's native part keeps the error
 * class of the first test file that loaded it in this worker, whose Error is another realm's, so toThrow would not
 * recognise it.
 */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

function write<T>(store: AsyncStore, fn: (tx: StoreTransaction) => T | Promise<T>): Promise<T> {
  return store.transaction((tx) => fn(promised(tx)));
}

function read<T>(store: AsyncStore, fn: (tx: StoreTransaction) => T | Promise<T>): Promise<T> {
  return store.transaction((tx) => fn(promised(tx)), { readOnly: true });
}

/**
 * The listing data set, all published at T0 (a frozen clock), so the default order is insertion order. Publication n
 * has id PUB[n].
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

async function fillListing(tx: StoreTransaction): Promise<void> {
  await tx.insertCampaign(campaign('camp_summer', { name: 'Summer 100% Sale' }));
  await tx.insertCampaign(campaign('camp_winter', { name: 'Winter_Promo', type: 'GIFT_VOUCHER' }));
  await tx.insertCampaign(campaign('camp_winter2', { name: 'Winter-Promo', type: 'GIFT_VOUCHER' }));
  await tx.insertCampaign(campaign('camp_refer', { name: 'Refer a friend', is_referral: true }));
  await tx.insertVoucher(voucher('v_sum1', { code: 'SUM-001', campaign_id: 'camp_summer' }));
  await tx.insertVoucher(voucher('v_sum2', { code: 'SUM-002', campaign_id: 'camp_summer' }));
  await tx.insertVoucher(voucher('v_pct', { code: '50%_OFF', campaign_id: 'camp_summer' }));
  await tx.insertVoucher(voucher('v_gift', { code: 'GIFT-1', campaign_id: 'camp_winter', type: 'GIFT_VOUCHER' }));
  await tx.insertVoucher(voucher('v_ref', { code: 'REF-1', campaign_id: 'camp_refer', is_referral_code: true }));
  await tx.insertVoucher(voucher('v_loy', { code: 'LOY-1', type: 'LOYALTY_CARD' }));
  await tx.insertVoucher(voucher('v_wp', { code: 'WP-1', campaign_id: 'camp_winter2', type: 'GIFT_VOUCHER' }));
  const failure = { result: 'FAILURE' as const, failure_message: 'failed' };
  const rows: PublicationRecord[] = [
    publication(PUB[1]!, {
      customer_id: 'cust_a',
      tracking_id: 'track-a',
      campaign_id: 'camp_summer',
      voucher_ids: ['v_sum1'],
      source_id: 'src-1',
    }),
    publication(PUB[2]!, {
      customer_id: 'cust_b',
      tracking_id: 'track-b',
      campaign_id: 'camp_summer',
      voucher_ids: ['v_sum2', 'v_pct'],
      multiple: true,
      channel: 'voucherify-website',
    }),
    publication(PUB[3]!, {
      customer_id: 'cust_a',
      tracking_id: 'track-a',
      campaign_id: 'camp_winter',
      voucher_ids: ['v_gift'],
      source_id: '',
    }),
    publication(PUB[4]!, {
      customer_id: 'cust_c',
      tracking_id: 'track-c',
      campaign_id: 'camp_refer',
      voucher_ids: ['v_ref'],
      channel: 'Automation',
      source_id: 'src-4',
    }),
    publication(PUB[5]!, { customer_id: 'cust_b', tracking_id: 'track-b', voucher_ids: ['v_loy'], source_id: 'src-5' }),
    publication(PUB[6]!, {
      ...failure,
      customer_id: 'cust_c',
      tracking_id: 'track-c',
      campaign_id: 'camp_summer',
      source_id: 'src-1',
      failure_code: 'no_voucher_suitable_for_publication',
    }),
    publication(PUB[7]!, { ...failure, customer_id: 'cust_a', failure_code: 'not_found' }),
    publication(PUB[8]!, {
      customer_id: 'cust_d',
      tracking_id: 'track-d',
      campaign_id: 'camp_winter2',
      voucher_ids: ['v_wp'],
      source_id: 'src-8',
    }),
  ];
  for (const row of rows) await tx.insertPublication(row);
}

async function listed(store: AsyncStore, q: PublicationQuery): Promise<{ numbers: number[]; total: number }> {
  const byId = new Map(Object.entries(PUB).map(([n, id]) => [id, Number(n)]));
  const result = await read(store, (tx) => tx.listPublications(q));
  return { numbers: result.publications.map((p) => byId.get(p.id) ?? -1), total: result.total };
}

const FILTERS: Array<[Condition, number[]]> = [
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
  [{ field: 'campaign_name', op: '$ends_with', value: 'A much longer suffix than any name' }, []],
  [{ field: 'campaign_name', op: '$ends_with', value: '' }, [1, 2, 3, 4, 6, 8]],
  [{ field: 'campaign_name', op: '$contains', value: '_' }, [3]],
  [{ field: 'campaign_name', op: '$not_contain', value: 'Promo' }, [1, 2, 4, 5, 6, 7]],
  [{ field: 'voucher_code', op: '$is', value: '50%_OFF' }, [2]],
  [{ field: 'voucher_code', op: '$is_not', value: '50%_OFF' }, [1, 3, 4, 5, 6, 7, 8]],
  [{ field: 'voucher_code', op: '$in', value: ['SUM-001', 'GIFT-1'] }, [1, 3]],
  [{ field: 'voucher_code', op: '$not_in', value: ['SUM-001', 'LOY-1'] }, [2, 3, 4, 6, 7, 8]],
  [{ field: 'voucher_code', op: '$has_value' }, [1, 2, 3, 4, 5, 8]],
  [{ field: 'voucher_code', op: '$is_unknown' }, [6, 7]],
  [{ field: 'voucher_code', op: '$starts_with', value: '5%' }, []],
  [{ field: 'voucher_code', op: '$ends_with', value: '-1' }, [3, 4, 5, 8]],
  [{ field: 'related_object_id', op: '$is', value: 'v_pct' }, [2]],
  [{ field: 'voucher_type', op: '$in', value: ['discount', 'loyalty'] }, [1, 2, 4, 5]],
  [{ field: 'voucher_type', op: '$is_unknown' }, [6, 7]],
  [{ field: 'customer_id', op: '$not_in', value: ['cust_a', 'cust_b'] }, [4, 6, 8]],
  [{ field: 'result', op: '$is', value: 'FAILURE' }, [6, 7]],
  [{ field: 'source_id', op: '$is_not', value: 'src-1' }, [2, 3, 4, 5, 7, 8]],
  [{ field: 'source_id', op: '$is_unknown' }, [2, 3, 7]],
  [{ field: 'source_id', op: '$is', value: "x' OR 1=1 --" }, []],
  [{ field: 'source_id', op: '$in', value: ['a"b', 'c\\d', '{x,y}'] }, []],
  [{ field: 'channel', op: '$starts_with', value: 'auto' }, []],
  [{ field: 'failure_code', op: '$starts_with', value: 'no_' }, [6]],
  [{ field: 'parent_object_id', op: '$is', value: 'camp_summer' }, [1, 2, 6]],
  [{ field: 'is_referral_code', op: '$is', value: true }, [4]],
  [{ field: 'is_referral_code', op: '$is', value: false }, [1, 2, 3, 5, 8]],
  [{ field: 'is_referral_code', op: '$is_not', value: false }, [4, 6, 7]],
  [{ field: 'is_referral_code', op: '$is_unknown' }, [6, 7]],
];

const ORDERS: Array<[OrderField, 'asc' | 'desc', number[]]> = [
  ['created_at', 'asc', [1, 2, 3, 4, 5, 6, 7, 8]],
  ['created_at', 'desc', [8, 7, 6, 5, 4, 3, 2, 1]],
  ['id', 'asc', [4, 6, 2, 8, 1, 7, 5, 3]],
  ['customer_id', 'desc', [8, 6, 4, 5, 2, 7, 3, 1]],
  // Failures have no voucher code: first in ascending order, last in descending, on both engines.
  ['voucher_code', 'asc', [6, 7, 3, 5, 4, 1, 2, 8]],
  ['voucher_code', 'desc', [8, 2, 1, 4, 5, 3, 7, 6]],
  ['tracking_id', 'asc', [7, 1, 3, 2, 5, 4, 6, 8]],
  ['tracking_id', 'desc', [8, 6, 4, 5, 2, 3, 1, 7]],
  ['channel', 'asc', [1, 3, 5, 6, 7, 8, 4, 2]],
];

const INVALID_QUERIES: Array<[string, PublicationQuery]> = [
  [
    'an unknown field',
    query({ must: [{ field: 'p.id; DROP TABLE publications', op: '$is', value: 'x' } as unknown as Condition] }),
  ],
  ['an unknown operator', query({ must: [{ field: 'channel', op: '$like', value: 'x' } as unknown as Condition] })],
  ['$in with a string', query({ must: [{ field: 'channel', op: '$in', value: 'API' }] })],
  ['is_referral_code with a string', query({ must: [{ field: 'is_referral_code', op: '$is', value: 'true' }] })],
  ['an unknown order field', query({ order: { field: 'metadata' as OrderField, direction: 'asc' } })],
  ['a negative limit', query({ limit: -1 })],
];

/** One pool of `size` vouchers of camp_pool, created in order. */
async function fillPool(tx: StoreTransaction, size: number): Promise<void> {
  await tx.insertCampaign(campaign('camp_pool'));
  for (let i = 1; i <= size; i++) {
    await tx.insertVoucher(
      voucher(`v_pool_${String(i).padStart(3, '0')}`, { campaign_id: 'camp_pool', created_at: at(i) }),
    );
  }
  await tx.insertCustomer(customer('cust_racer'));
}

/**
 * What a publish from a pool does with the store, as the rules do it: take the first publishable voucher, hold it,
 * record the publication.
 */
async function publishFromPool(tx: StoreTransaction, customerId: string): Promise<string | undefined> {
  const free = await tx.findPublishableVoucher('camp_pool');
  const n = await tx.nextSequence('publication');
  if (free === undefined) {
    await tx.insertPublication(
      publication(`pub_fail_${n}`, {
        customer_id: customerId,
        result: 'FAILURE',
        campaign_id: 'camp_pool',
        failure_code: 'no_voucher_suitable_for_publication',
      }),
    );
    return undefined;
  }
  await tx.updateVoucher({ ...free, holder_id: customerId, publish_count: free.publish_count + 1 });
  await tx.insertPublication(
    publication(`pub_${n}`, { customer_id: customerId, campaign_id: 'camp_pool', voucher_ids: [free.id] }),
  );
  return free.code;
}

/** join_once as the rules do it: the customer's earlier publication from the campaign, or a new one. */
async function joinOnce(tx: StoreTransaction, customerId: string): Promise<string> {
  const joined = await tx.findJoinedPublication(customerId, 'camp_pool');
  if (joined !== undefined) return joined.id;
  const free = await tx.findPublishableVoucher('camp_pool');
  if (free === undefined) throw new Error('pool dry');
  const n = await tx.nextSequence('publication');
  await tx.updateVoucher({ ...free, holder_id: customerId });
  await tx.insertPublication(
    publication(`pub_${n}`, { customer_id: customerId, campaign_id: 'camp_pool', voucher_ids: [free.id] }),
  );
  return `pub_${n}`;
}

/** A source_id retry as the rules do it: the first success with this source_id, or a new publication. */
async function publishOnceBySourceId(tx: StoreTransaction, sourceId: string): Promise<string> {
  const earlier = await tx.findPublicationBySourceId(sourceId);
  if (earlier !== undefined) return earlier.id;
  const n = await tx.nextSequence('publication');
  await tx.insertPublication(publication(`pub_${n}`, { customer_id: 'cust_racer', source_id: sourceId }));
  return `pub_${n}`;
}

/** `count` calls of `fn`, spread round-robin over the replicas, all started at once. */
function race<T>(
  replicas: AsyncStore[],
  count: number,
  fn: (tx: StoreTransaction, i: number) => Promise<T>,
): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => write(replicas[i % replicas.length]!, (tx) => fn(tx, i))));
}

function storeContract(engine: Engine): void {
  async function store(): Promise<AsyncStore> {
    const opened1 = await engine.open();
    opened.push(opened1);
    return opened1;
  }

  describe('records round-trip whole', () => {
    const records: Array<
      [string, (tx: StoreTransaction) => Promise<unknown>, (tx: StoreTransaction) => Promise<unknown>, unknown]
    > = [
      [
        'a campaign with JSON fields (key order kept), booleans and nulls',
        (tx) =>
          tx.insertCampaign(
            campaign('camp_1', {
              is_referral: true,
              auto_update: true,
              code_config: { pattern: 'PROMO-####', charset: 'ABC' },
              discount: { type: 'PERCENT', percent_off: 10 } as never,
              metadata: { z: 1, a: { nested: [1, 'two', null] }, m: 'ünïcødé ✓' },
              redemption_quantity: 3,
              start_date: at(10),
            }),
          ),
        (tx) => tx.getCampaign('camp_1'),
        campaign('camp_1', {
          is_referral: true,
          auto_update: true,
          code_config: { pattern: 'PROMO-####', charset: 'ABC' },
          discount: { type: 'PERCENT', percent_off: 10 } as never,
          metadata: { z: 1, a: { nested: [1, 'two', null] }, m: 'ünïcødé ✓' },
          redemption_quantity: 3,
          start_date: at(10),
        }),
      ],
      [
        'a voucher with validity fields and counts',
        (tx) =>
          tx.insertVoucher(
            voucher('v_1', {
              validity_day_of_week: [1, 3, 5],
              validity_timeframe: { interval: 'P1D', duration: 'PT1H' },
              publish_count: 2,
              redeemed_quantity: 1,
              active: false,
            }),
          ),
        (tx) => tx.findVoucherByCode('CODE-v_1'),
        voucher('v_1', {
          validity_day_of_week: [1, 3, 5],
          validity_timeframe: { interval: 'P1D', duration: 'PT1H' },
          publish_count: 2,
          redeemed_quantity: 1,
          active: false,
        }),
      ],
      [
        'a customer with an address and a source_id',
        (tx) =>
          tx.insertCustomer(
            customer('cust_1', { source_id: 'src', address: { city: 'Kraków', line_2: null }, name: "O'Brien" }),
          ),
        (tx) => tx.findCustomerBySourceId('src'),
        customer('cust_1', { source_id: 'src', address: { city: 'Kraków', line_2: null }, name: "O'Brien" }),
      ],
      [
        'unknown keys read as undefined',
        async () => undefined,
        async (tx) => [
          await tx.getCampaign('x'),
          await tx.getVoucher('x'),
          await tx.getCustomer('x'),
          await tx.getPublication('x'),
          await tx.getMeta('x'),
        ],
        [undefined, undefined, undefined, undefined, undefined],
      ],
    ];
    it.each(records)('%s', async (_name, insert, lookup, expected) => {
      const s = await store();
      await write(s, insert);
      expect(await read(s, lookup)).toStrictEqual(expected);
    });

    it('a publication gets seq 1, 2, … and comes back with its vouchers in publishing order', async () => {
      const s = await store();
      const inserted = await write(s, async (tx) => {
        await fillListing(tx);
        return tx.getPublication(PUB[2]!);
      });
      expect(inserted).toStrictEqual(
        publication(PUB[2]!, {
          customer_id: 'cust_b',
          tracking_id: 'track-b',
          campaign_id: 'camp_summer',
          voucher_ids: ['v_sum2', 'v_pct'],
          multiple: true,
          channel: 'voucherify-website',
          seq: 2,
        }),
      );
    });
  });

  describe('lookups and updates', () => {
    it.each<[string, (tx: StoreTransaction) => Promise<unknown>, unknown]>([
      [
        'findCampaignByName matches the exact name',
        (tx) => tx.findCampaignByName('Winter_Promo').then((c) => c?.id),
        'camp_winter',
      ],
      [
        'listCampaigns in insertion order',
        (tx) => tx.listCampaigns().then((list) => list.map((c) => c.id)),
        ['camp_summer', 'camp_winter', 'camp_winter2', 'camp_refer'],
      ],
      [
        'campaignStock counts every voucher and the unpublished active ones',
        (tx) => tx.campaignStock('camp_summer'),
        { total: 3, publishable: 3 },
      ],
      [
        'findPublicationBySourceId finds the success, not the failure of the same source_id',
        (tx) => tx.findPublicationBySourceId('src-1').then((p) => p?.id),
        PUB[1],
      ],
      [
        "findJoinedPublication: the customer's first success from the campaign",
        (tx) => tx.findJoinedPublication('cust_a', 'camp_winter').then((p) => p?.id),
        PUB[3],
      ],
      [
        'findJoinedPublication: a failure is not a join',
        (tx) => tx.findJoinedPublication('cust_a', 'camp_pool').then((p) => p?.id),
        undefined,
      ],
    ])('%s', async (_name, lookup, expected) => {
      const s = await store();
      await write(s, fillListing);
      expect(await read(s, lookup)).toStrictEqual(expected);
    });

    it(
      'findPublishableVoucher gives the oldest active unheld voucher; ' +
        'campaignStock follows holds and deactivations',
      async () => {
        const s = await store();
        await write(s, (tx) => fillPool(tx, 3));
        const steps = await write(s, async (tx) => {
          const first = await tx.findPublishableVoucher('camp_pool');
          await tx.updateVoucher({ ...first!, holder_id: 'cust_racer' });
          const second = await tx.findPublishableVoucher('camp_pool');
          await tx.updateVoucher({ ...second!, active: false });
          return [
            first?.id,
            second?.id,
            (await tx.findPublishableVoucher('camp_pool'))?.id,
            await tx.campaignStock('camp_pool'),
          ];
        });
        expect(steps).toEqual(['v_pool_001', 'v_pool_002', 'v_pool_003', { total: 3, publishable: 1 }]);
      },
    );

    it("listHeldLoyaltyCards: the customer's loyalty cards, oldest first, nothing else", async () => {
      const s = await store();
      const held = await write(s, async (tx) => {
        await tx.insertVoucher(voucher('v_l2', { type: 'LOYALTY_CARD', holder_id: 'cust_a', created_at: at(2) }));
        await tx.insertVoucher(voucher('v_l1', { type: 'LOYALTY_CARD', holder_id: 'cust_a', created_at: at(1) }));
        await tx.insertVoucher(voucher('v_d', { holder_id: 'cust_a' }));
        await tx.insertVoucher(voucher('v_other', { type: 'LOYALTY_CARD', holder_id: 'cust_b' }));
        return (await tx.listHeldLoyaltyCards('cust_a')).map((v) => v.id);
      });
      expect(held).toEqual(['v_l1', 'v_l2']);
    });

    it('listCustomers: newest first, ties newest-inserted first, up to the limit', async () => {
      const s = await store();
      const newest = await write(s, async (tx) => {
        for (const [id, seconds] of [
          ['c1', 1],
          ['c2', 3],
          ['c3', 3],
          ['c4', 2],
        ] as const)
          await tx.insertCustomer(customer(id, { created_at: at(seconds) }));
        return (await tx.listCustomers(3)).map((c) => c.id);
      });
      expect(newest).toEqual(['c3', 'c2', 'c4']);
    });

    it.each<[string, (tx: StoreTransaction) => Promise<unknown>, RegExp]>([
      ['updateVoucher of an unknown voucher', (tx) => tx.updateVoucher(voucher('v_none')), /no voucher v_none/],
      [
        'updateCustomer of an unknown customer',
        (tx) => tx.updateCustomer(customer('cust_none')),
        /no customer cust_none/,
      ],
      [
        'a second voucher with the same code',
        (tx) => tx.insertVoucher(voucher('v_dup', { code: 'SUM-001' })),
        /UNIQUE constraint failed: vouchers\.code|unique constraint "vouchers_code"/,
      ],
      [
        'a second success with the same source_id',
        (tx) => tx.insertPublication(publication('pub_dup', { source_id: 'src-1' })),
        /UNIQUE constraint failed: publications\.source_id|unique constraint "publications_source_id"/,
      ],
      [
        'a publication of an unknown voucher',
        (tx) => tx.insertPublication(publication('pub_x', { voucher_ids: ['v_none'] })),
        /unknown voucher v_none/,
      ],
    ])('%s is refused, and its transaction leaves nothing behind', async (_name, refused, message) => {
      const s = await store();
      await write(s, fillListing);
      const before = await read(s, (tx) => tx.exportState());
      const outcome = await write(s, async (tx) => {
        await tx.insertCustomer(customer('cust_written_first'));
        await refused(tx);
        return 'committed';
      }).catch((error: unknown) => messageOf(error));
      expect(outcome).toMatch(message);
      expect(await read(s, (tx) => tx.exportState())).toStrictEqual(before);
    });

    it('a failure may repeat the source_id of a success', async () => {
      const s = await store();
      await write(s, fillListing);
      await write(s, (tx) =>
        tx.insertPublication(publication('pub_again', { source_id: 'src-1', result: 'FAILURE', failure_code: 'x' })),
      );
      expect((await read(s, (tx) => tx.findPublicationBySourceId('src-1')))?.id).toBe(PUB[1]);
    });
  });

  describe('listPublications', () => {
    let s: AsyncStore;
    beforeAll(async () => {
      s = await engine.open();
      await write(s, fillListing);
    });
    afterAll(() => s.close());

    it.each(
      FILTERS.map(
        ([condition, expected]) =>
          [
            `${condition.field} ${condition.op} ${JSON.stringify(condition.value ?? null)}`,
            condition,
            expected,
          ] as const,
      ),
    )(
      'filter %s: the same publications as a must condition and as a lone or-filter, with the total',
      async (_name, condition, expected) => {
        expect(await listed(s, query({ must: [condition] }))).toEqual({ numbers: expected, total: expected.length });
        expect((await listed(s, query({ filters: [condition], junction: 'or' }))).numbers).toEqual(expected);
      },
    );

    it.each<[string, Partial<PublicationQuery>, number[]]>([
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
        'or-filters mixing voucher_code and a column, AND-ed with a must condition',
        {
          must: [{ field: 'result', op: '$is', value: 'SUCCESS' }],
          filters: [
            { field: 'voucher_code', op: '$is', value: 'REF-1' },
            { field: 'source_id', op: '$is', value: 'src-1' },
          ],
          junction: 'or',
        },
        [1, 4],
      ],
      [
        'two voucher_code conditions AND-ed match different vouchers of one publication',
        {
          filters: [
            { field: 'voucher_code', op: '$is', value: 'SUM-002' },
            { field: 'voucher_code', op: '$is', value: '50%_OFF' },
          ],
        },
        [2],
      ],
    ])('%s', async (_name, overrides, expected) => {
      expect(await listed(s, query(overrides))).toEqual({ numbers: expected, total: expected.length });
    });

    it.each(ORDERS)(
      'order by %s %s, ties by insertion order in the same direction',
      async (field, direction, expected) => {
        expect((await listed(s, query({ order: { field, direction } }))).numbers).toEqual(expected);
      },
    );

    it.each<[string, Partial<PublicationQuery>, number[], number]>([
      ['a middle page', { limit: 3, offset: 3 }, [5, 4, 3], 8],
      ['past the end', { limit: 3, offset: 9 }, [], 8],
      ['a zero limit (count only)', { limit: 0 }, [], 8],
      [
        'a filtered page',
        { limit: 2, offset: 1, must: [{ field: 'customer_id', op: '$is', value: 'cust_a' }] },
        [3, 1],
        3,
      ],
    ])('paging: %s', async (_name, overrides, expected, total) => {
      expect(await listed(s, query({ order: { field: 'created_at', direction: 'desc' }, ...overrides }))).toEqual({
        numbers: expected,
        total,
      });
    });

    it.each(INVALID_QUERIES)('a query with %s is refused; the store goes on answering', async (_name, q) => {
      await expect(read(s, (tx) => tx.listPublications(q))).rejects.toThrow();
      expect((await listed(s, query())).total).toBe(8);
    });
  });

  describe('transactions, counters, clear and snapshots', () => {
    it('a throw rolls back every write of the transaction, counters and meta included', async () => {
      const s = await store();
      await expect(
        write(s, async (tx) => {
          await tx.insertCampaign(campaign('camp_gone'));
          await tx.nextSequence('publication');
          await tx.setMeta('k', 'v');
          throw new Error('rule refused');
        }),
      ).rejects.toThrow('rule refused');
      expect(await read(s, async (tx) => [await tx.getCampaign('camp_gone'), await tx.getMeta('k')])).toEqual([
        undefined,
        undefined,
      ]);
      expect(await write(s, (tx) => tx.nextSequence('publication'))).toBe(1);
    });

    it('nextSequence counts from 1 per name; setMeta overwrites', async () => {
      const s = await store();
      const values = await write(s, async (tx) => {
        const counted = [
          await tx.nextSequence('a'),
          await tx.nextSequence('a'),
          await tx.nextSequence('b'),
          await tx.nextSequence('a'),
        ];
        await tx.setMeta('seed', '1');
        await tx.setMeta('seed', '2');
        return [...counted, await tx.getMeta('seed')];
      });
      expect(values).toEqual([1, 2, 1, 3, '2']);
    });

    it('clear empties every table and counter; publication seqs start again from 1', async () => {
      const s = await store();
      await write(s, async (tx) => {
        await fillListing(tx);
        await tx.nextSequence('publication');
        await tx.setMeta('k', 'v');
      });
      await write(s, (tx) => tx.clear());
      expect(await read(s, (tx) => tx.exportState())).toStrictEqual({
        campaigns: [],
        vouchers: [],
        customers: [],
        publications: [],
        sequences: {},
        meta: {},
      });
      expect((await write(s, (tx) => tx.insertPublication(publication('pub_new')))).seq).toBe(1);
    });

    it(
      'export → import into an emptied store → export gives the same ' + 'snapshot, and seqs continue after it',
      async () => {
        const s = await store();
        const exported = await write(s, async (tx) => {
          await fillListing(tx);
          await tx.nextSequence('publication');
          await tx.setMeta('initialized_with_seed', '7');
          return tx.exportState();
        });
        await write(s, (tx) => tx.clear());
        await write(s, (tx) => tx.importState(exported));
        expect(await read(s, (tx) => tx.exportState())).toStrictEqual(exported);
        expect((await write(s, (tx) => tx.insertPublication(publication('pub_next')))).seq).toBe(9);
      },
    );

    it('an import that fails half way (a dangling voucher) changes nothing', async () => {
      const s = await store();
      const before = await write(s, async (tx) => {
        await fillListing(tx);
        return tx.exportState();
      });
      const broken: StoreSnapshot = {
        ...before,
        publications: [...before.publications, publication('pub_bad', { voucher_ids: ['v_missing'], seq: 99 })],
      };
      await expect(write(s, (tx) => tx.importState(broken))).rejects.toThrow(/v_missing/);
      expect(await read(s, (tx) => tx.exportState())).toStrictEqual(before);
    });
  });

  describe('races between replicas on one database: as if one at a time', () => {
    it(
      'a pool of 5 hit by 20 publishes at once: exactly 5 published, no code ' + 'twice, the rest recorded as failures',
      async () => {
        const replicas = await engine.replicas(3);
        await write(replicas[0]!, (tx) => fillPool(tx, 5));
        const codes = await race(replicas, 20, (tx, i) => publishFromPool(tx, `cust_${i}`));
        const published = codes.filter((code): code is string => code !== undefined);
        expect(published).toHaveLength(5);
        expect(new Set(published).size).toBe(5);
        const state = await read(replicas[1]!, (tx) => tx.exportState());
        expect(state.publications.filter((p) => p.result === 'SUCCESS')).toHaveLength(5);
        expect(state.publications.filter((p) => p.result === 'FAILURE')).toHaveLength(15);
        expect(state.vouchers.filter((v: VoucherRecord) => v.holder_id !== null)).toHaveLength(5);
        // Counters never repeat: one value per publication, 1 to 20, and seqs without gaps.
        expect(state.sequences.publication).toBe(20);
        expect(state.publications.map((p) => p.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      },
    );

    it('60 join_once requests for one customer at once: one publication, every answer names it', async () => {
      const replicas = await engine.replicas(3);
      await write(replicas[0]!, (tx) => fillPool(tx, 30));
      const answers = await race(replicas, 60, (tx) => joinOnce(tx, 'cust_racer'));
      expect(new Set(answers).size).toBe(1);
      const state = await read(replicas[2]!, (tx) => tx.exportState());
      expect(state.publications.map((p) => p.id)).toEqual([answers[0]]);
    });

    it('the same source_id from 12 requests at once: one publication, every retry answered with it', async () => {
      const replicas = await engine.replicas(3);
      await write(replicas[0]!, (tx) => fillPool(tx, 1));
      const answers = await race(replicas, 12, (tx) => publishOnceBySourceId(tx, 'order-42'));
      expect(new Set(answers).size).toBe(1);
      expect((await read(replicas[1]!, (tx) => tx.exportState())).publications).toHaveLength(1);
    });

    it('a write committed on one replica is read by the others at once', async () => {
      const [one, two] = await engine.replicas(2);
      await write(one!, (tx) => tx.insertCustomer(customer('cust_shared', { created_at: T0 })));
      expect((await read(two!, (tx) => tx.getCustomer('cust_shared')))?.id).toBe('cust_shared');
    });
  });
}

describe('store contract on SQLite (the synchronous store under the async adapter)', () => {
  storeContract({
    open: async () => openSqliteAsyncStore(),
    // One process: SQLite's replicas are processes on one file (tested in sqlite-store.test.ts); here one store takes
    // all the racing requests.
    replicas: async (count) => {
      const only = openSqliteAsyncStore();
      opened.push(only);
      return Array.from({ length: count }, () => only);
    },
  });
});

describeWithPostgres('store contract on PostgreSQL', (database) => {
  async function cleared(): Promise<AsyncStore> {
    const s = await openPostgresStore(database().url, { poolSize: 4 });
    await s.transaction((tx) => tx.clear());
    return s;
  }
  storeContract({
    open: cleared,
    replicas: async (count) => {
      const first = await cleared();
      opened.push(first);
      const rest = await Promise.all(
        Array.from({ length: count - 1 }, () => openPostgresStore(database().url, { poolSize: 4 })),
      );
      opened.push(...rest);
      return [first, ...rest];
    },
  });
});

describeWithPostgres('the same transactions give the same state on either engine', (database) => {
  it(
    'a scripted sequence (a world, publishes until the pool is dry and ' +
      'past it, a repeated join, counters, meta) exports the same snapshot ' +
      'from SQLite and PostgreSQL',
    async () => {
      const sqlite = openSqliteAsyncStore();
      const postgres = await openPostgresStore(database().url, { poolSize: 2 });
      opened.push(sqlite, postgres);
      await postgres.transaction((tx) => tx.clear());
      const snapshots = await Promise.all(
        [sqlite, postgres].map(async (s) => {
          await write(s, fillListing);
          await write(s, (tx) => fillPool(tx, 3));
          for (let i = 0; i < 5; i++) await write(s, (tx) => publishFromPool(tx, `cust_${i}`));
          await write(s, (tx) => joinOnce(tx, 'cust_1'));
          await write(s, (tx) => tx.setMeta('initialized_with_seed', '1'));
          return read(s, (tx) => tx.exportState());
        }),
      );
      expect(snapshots[0]!.publications).toHaveLength(13);
      expect(snapshots[1]).toStrictEqual(snapshots[0]);
    },
  );
});
