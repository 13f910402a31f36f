/**
 * The asynchronous Store, which a database across the network needs
 * (PostgreSQL: src/store/postgres/postgres-store.ts) and SQLite implements over
 * its synchronous store (src/store/sqlite-async-store.ts). The verbs are the
 * synchronous Store's (src/store/store.ts), each returning its result or a
 * promise of it (SQLite answers at once, PostgreSQL later: callers `await`
 * either, and SQLite's request path allocates no promise per verb), and they
 * are reached only through a transaction: several requests are in flight at
 * once on one process, so which transaction a call belongs to is explicit (the
 * `tx` handed to `fn`), never implied by "the one running now".
 *
 * The request path runs on it: every API request and QA tool is one
 * `transaction` (src/api/operation-handlers.ts, src/app/mock-state.ts).
 */
import type { Store } from './store';

/**
 * The Store's verbs that a transaction offers (the rest — transaction, the export view, close — belong to the store as
 * a whole).
 */
export type TransactionVerb = Exclude<keyof Store, 'transaction' | 'openExportView' | 'close'>;

type Promised<F> = F extends (...args: infer A) => infer R ? (...args: A) => R | Promise<R> : never;

/**
 * One transaction's view of the store: every verb of the synchronous Store, asynchronous, all inside this transaction.
 */
export type StoreTransaction = { [K in TransactionVerb]: Promised<Store[K]> };

/** Every verb of a transaction, by name: a new Store verb fails to compile here until it is listed. */
export const TRANSACTION_VERBS: Readonly<Record<TransactionVerb, true>> = {
  getCampaign: true,
  findCampaignByName: true,
  listCampaigns: true,
  campaignStock: true,
  insertCampaign: true,
  getVoucher: true,
  findVoucherByCode: true,
  findPublishableVoucher: true,
  listHeldLoyaltyCards: true,
  insertVoucher: true,
  updateVoucher: true,
  getCustomer: true,
  findCustomerBySourceId: true,
  insertCustomer: true,
  updateCustomer: true,
  listCustomers: true,
  getPublication: true,
  findPublicationBySourceId: true,
  findJoinedPublication: true,
  insertPublication: true,
  listPublications: true,
  nextSequence: true,
  getMeta: true,
  setMeta: true,
  clear: true,
  exportState: true,
  importState: true,
};

export interface TransactionOptions {
  /** Reads only: one consistent view of the store, taking no write lock (a list page, an export). */
  readOnly?: boolean;
}

export interface AsyncStore {
  /** Which engine: 'sqlite' or 'postgres'. */
  readonly engine: string;
  /**
   * Runs `fn` in one transaction, committed (durably) before the promise
   * resolves; a throw rolls everything back and rejects with it. Atomic across
   * processes: two transactions never see each other half done.
   *
   * `fn` may run more than once: an engine that detects a conflict with a
   * concurrent transaction (PostgreSQL's serialization failure) rolls back and
   * runs it again. So `fn` must change nothing but the store through `tx`
   * (ids and codes come from the store's counters, which roll back with it).
   */
  transaction<T>(fn: (tx: StoreTransaction) => T | Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Calls `listener` after a write committed by another process (PostgreSQL: LISTEN/NOTIFY); returns the function
   * that stops it. Absent where no other process writes (SQLite: the live view of one process is its own).
   */
  onChange?(listener: () => void): () => void;
  /** Waits for the transactions in flight and closes the connections. */
  close(): Promise<void>;
}

/**
 * The engine could not complete a transaction for reasons of its own (conflicts kept recurring, the database is gone):
 * a 503, not a 500.
 */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    readonly reason: 'conflicts' | 'unreachable',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
