/**
 * The mock's state as a whole: the store, the clock, the seeded id source and
 * the fixtures it starts from. Knows how to fill an empty store and how to
 * reset to the starting world (the same ids and codes come out again).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Fixtures } from '../domain/fixtures';
import type { Clock } from '../runtime/clock';
import { IdSource } from '../runtime/id-source';
import type { AsyncStore, StoreTransaction } from '../store/async-store';
import type { Store } from '../store/store';

const INITIALIZED = 'initialized_with_seed';
/** Which world a store was filled from, so a data file is never silently resumed with other fixtures. */
const ORIGIN = 'world_origin';

/** Where the starting world comes from: the generated one (of the seed) or a fixture file. */
export type WorldSource = { kind: 'generated' } | { kind: 'file'; file: string };

/**
 * A world's origin as stored: a fixture file's is named by a hash of the world it gave, so an edited file is another
 * origin.
 */
export type WorldOrigin = { kind: 'generated' } | { kind: 'file'; file: string; sha256: string };

/** The world a store says it holds (its seed and origin), read from its meta values. */
export function readStoredWorld(meta: { seed: string | undefined; origin: string | undefined }): {
  seed: number | undefined;
  origin: WorldOrigin | undefined;
} {
  let origin: WorldOrigin | undefined;
  try {
    origin = meta.origin === undefined ? undefined : (JSON.parse(meta.origin) as WorldOrigin);
  } catch {
    origin = undefined;
  }
  return { seed: meta.seed === undefined ? undefined : Number(meta.seed), origin };
}

/** The meta keys `readStoredWorld` reads. */
export const WORLD_META_KEYS = { seed: INITIALIZED, origin: ORIGIN } as const;

export class MockState {
  readonly ids: IdSource;
  fixtures: Fixtures;
  /** Run after every reset: the QA tools (request journal, scenario queue) empty themselves here. */
  private readonly resetListeners = new Set<() => void>();

  constructor(
    /** Where state lives, on either engine: every request and QA tool runs in one of its transactions. */
    readonly data: AsyncStore,
    readonly clock: Clock,
    readonly seed: number,
    private readonly makeFixtures: () => Fixtures,
    /** Keys this run's request ids; random unless a test needs two states to answer byte for byte alike. */
    runId: string = randomBytes(8).toString('hex'),
    readonly source: WorldSource = { kind: 'generated' },
    /** SQLite's synchronous store under `data` (tests read it directly); absent on PostgreSQL. */
    readonly embedded?: Store,
  ) {
    this.ids = new IdSource(seed, runId);
    this.fixtures = makeFixtures();
  }

  /** The synchronous store, SQLite only: for tests and tools that read the embedded database directly. */
  get store(): Store {
    if (!this.embedded) throw new Error(`the synchronous store is SQLite's; this state is on ${this.data.engine}`);
    return this.embedded;
  }

  /**
   * Fills the store from the fixtures unless it already holds a world (a
   * restart on a data file resumes it). Checked inside the write transaction:
   * of several processes starting at once on one file, one fills, the others
   * resume.
   */
  initialize(): Promise<'filled' | 'resumed'> {
    const { embedded } = this;
    if (embedded) {
      // SQLite: filled at once, synchronously, so a caller that does not wait (createMockHandler, tests reading the
      // store) finds the world in place; nothing else can be running on a state just made.
      try {
        return Promise.resolve(
          embedded.transaction(() => {
            if (embedded.getMeta(INITIALIZED) !== undefined) return 'resumed';
            for (const write of this.fillInto(embedded)) write();
            return 'filled';
          }),
        );
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    return this.data.transaction(async (tx) => {
      if ((await tx.getMeta(INITIALIZED)) !== undefined) return 'resumed';
      for (const write of this.fillInto(tx)) await write();
      return 'filled';
    });
  }

  /** The seed a data file (or database) was first filled with, if any. */
  async storedSeed(tx?: StoreTransaction): Promise<number | undefined> {
    const value = tx ? await tx.getMeta(INITIALIZED) : await this.data.transaction((t) => t.getMeta(INITIALIZED));
    return value === undefined ? undefined : Number(value);
  }

  /** The origin of the world these fixtures give, as `initialize` stores it. */
  currentOrigin(): WorldOrigin {
    if (this.source.kind === 'generated') return { kind: 'generated' };
    return {
      kind: 'file',
      file: this.source.file,
      sha256: createHash('sha256').update(JSON.stringify(this.fixtures)).digest('hex'),
    };
  }

  /** The origin of the world the store holds, when it says (data files made before this was recorded do not). */
  async storedOrigin(): Promise<WorldOrigin | undefined> {
    const value = await this.data.transaction((tx) => tx.getMeta(ORIGIN), { readOnly: true });
    return readStoredWorld({ seed: undefined, origin: value }).origin;
  }

  /**
   * Records that the store holds this mock's world (after a fill, and after a restored snapshot, which the running
   * fixtures now reset to).
   */
  async markOrigin(tx: StoreTransaction): Promise<void> {
    await tx.setMeta(ORIGIN, JSON.stringify(this.currentOrigin()));
  }

  /**
   * Back to the starting world: fixtures and counters as right after a fresh start (request ids go on, never
   * repeating). On a shared database this is the whole shared world, for every replica at once.
   */
  async reset(): Promise<void> {
    this.fixtures = this.makeFixtures();
    await this.data.transaction(async (tx) => {
      await tx.clear();
      for (const write of this.fillInto(tx)) await write();
    });
    for (const listener of this.resetListeners) listener();
  }

  /** Calls `listener` after each reset; returns the function that stops it. */
  onReset(listener: () => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  /**
   * The writes that fill a store from the fixtures, one per record, through `target`: the synchronous store's run at
   * once, a transaction's are awaited one after another (one connection runs one query at a time).
   */
  private fillInto<R>(target: FillTarget<R>): Array<() => R> {
    const { fixtures } = this;
    return [
      ...fixtures.campaigns.map((campaign) => () => target.insertCampaign(campaign)),
      ...fixtures.vouchers.map((voucher) => () => target.insertVoucher(voucher)),
      ...fixtures.customers.map((customer) => () => target.insertCustomer(customer)),
      () => target.setMeta(INITIALIZED, String(this.seed)),
      () => target.setMeta(ORIGIN, JSON.stringify(this.currentOrigin())),
    ];
  }
}

/** What filling a store writes through: the synchronous store, or a transaction. */
interface FillTarget<R> {
  insertCampaign(campaign: Fixtures['campaigns'][number]): R;
  insertVoucher(voucher: Fixtures['vouchers'][number]): R;
  insertCustomer(customer: Fixtures['customers'][number]): R;
  setMeta(key: string, value: string): R;
}
