/**
 * The mock's state as a whole: the store, the clock, the seeded id source and
 * the fixtures it starts from. Knows how to fill an empty store and how to
 * reset to the starting world (the same ids and codes come out again).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Fixtures } from '../domain/fixtures';
import type { Clock } from '../runtime/clock';
import { IdSource } from '../runtime/id-source';
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

export class MockState {
  readonly ids: IdSource;
  fixtures: Fixtures;
  /** Run after every reset: the QA tools (request journal, scenario queue) empty themselves here. */
  private readonly resetListeners = new Set<() => void>();

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly seed: number,
    private readonly makeFixtures: () => Fixtures,
    /** Keys this run's request ids; random unless a test needs two states to answer byte for byte alike. */
    runId: string = randomBytes(8).toString('hex'),
    readonly source: WorldSource = { kind: 'generated' },
  ) {
    this.ids = new IdSource(seed, store, runId);
    this.fixtures = makeFixtures();
  }

  /**
   * Fills the store from the fixtures unless it already holds a world (a
   * restart on a data file resumes it). Checked inside the write transaction:
   * of several processes starting at once on one file, one fills, the others
   * resume.
   */
  initialize(): 'filled' | 'resumed' {
    return this.store.transaction(() => {
      if (this.store.getMeta(INITIALIZED) !== undefined) return 'resumed';
      this.fill();
      return 'filled';
    });
  }

  /** The seed a data file was first filled with, if any. */
  storedSeed(): number | undefined {
    const value = this.store.getMeta(INITIALIZED);
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
  storedOrigin(): WorldOrigin | undefined {
    const value = this.store.getMeta(ORIGIN);
    if (value === undefined) return undefined;
    try {
      return JSON.parse(value) as WorldOrigin;
    } catch {
      return undefined;
    }
  }

  /**
   * Records that the store holds this mock's world (after a fill, and after a restored snapshot, which the running
   * fixtures now reset to).
   */
  markOrigin(): void {
    this.store.setMeta(ORIGIN, JSON.stringify(this.currentOrigin()));
  }

  /**
   * Back to the starting world: fixtures and counters as right after a fresh start (request ids go on, never
   * repeating).
   */
  reset(): void {
    this.fixtures = this.makeFixtures();
    this.store.transaction(() => {
      this.store.clear();
      this.fill();
    });
    for (const listener of this.resetListeners) listener();
  }

  /** Calls `listener` after each reset; returns the function that stops it. */
  onReset(listener: () => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  private fill(): void {
    const { store, fixtures } = this;
    store.transaction(() => {
      for (const campaign of fixtures.campaigns) store.insertCampaign(campaign);
      for (const voucher of fixtures.vouchers) store.insertVoucher(voucher);
      for (const customer of fixtures.customers) store.insertCustomer(customer);
      store.setMeta(INITIALIZED, String(this.seed));
      this.markOrigin();
    });
  }
}
