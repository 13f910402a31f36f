/**
 * The mock's state as a whole: the store, the clock, the seeded id source and
 * the fixtures it starts from. Knows how to fill an empty store and how to
 * reset to the starting world (the same ids and codes come out again).
 */
import type { Fixtures } from '../../mocks/fixtures';
import type { Clock } from '../runtime/clock';
import { IdSource } from '../runtime/id-source';
import type { Store } from '../store/store';

const INITIALIZED = 'initialized_with_seed';

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
  ) {
    this.ids = new IdSource(seed, store);
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

  /** Back to the starting world: fixtures, counters and request ids as right after a fresh start. */
  reset(): void {
    this.fixtures = this.makeFixtures();
    this.store.transaction(() => {
      this.store.clear();
      this.fill();
    });
    this.ids.restart();
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
    });
  }
}
