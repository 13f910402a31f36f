/**
 * The asynchronous Store (src/store/async-store.ts) on SQLite: the synchronous
 * store (the same statements, sqlite-store.ts) on a connection of its own, its
 * transactions held open across the `await`s of `fn`. SQLite has one writer per
 * connection, so transactions run one at a time, in the order they were asked
 * for (a queue); everything inside them is synchronous, as before.
 *
 * The connection is this store's alone: a synchronous user of the same
 * connection could write into a transaction held open here.
 */
import type Database from 'better-sqlite3';
import {
  type AsyncStore,
  type StoreTransaction,
  TRANSACTION_VERBS,
  type TransactionOptions,
  type TransactionVerb,
} from './async-store';
import { openSqliteDatabase, sqliteStoreOn } from './sqlite-store';
import type { Store } from './store';

/** The transaction verbs of `store`, each as an async function calling it. */
function transactionOver(store: Store): StoreTransaction {
  const tx: Partial<Record<TransactionVerb, (...args: never[]) => Promise<unknown>>> = {};
  for (const verb of Object.keys(TRANSACTION_VERBS) as TransactionVerb[]) {
    const call = store[verb] as (...args: unknown[]) => unknown;
    // Called at once, as an async function would be; a throw becomes the promise's rejection.
    tx[verb] = (...args: unknown[]) => new Promise<unknown>((resolve) => resolve(call(...args)));
  }
  // Filled from TRANSACTION_VERBS, which the compiler holds to every verb of StoreTransaction.
  return tx as StoreTransaction;
}

export function openSqliteAsyncStore(options: { file?: string } = {}): AsyncStore {
  const db: Database.Database = openSqliteDatabase(options);
  const store = sqliteStoreOn(db, options);
  const tx = transactionOver(store);
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function run<T>(fn: (tx: StoreTransaction) => Promise<T>, readOnly: boolean): Promise<T> {
    // IMMEDIATE: another process on the same file waits for our write lock rather than failing to upgrade later.
    db.exec(readOnly ? 'BEGIN DEFERRED' : 'BEGIN IMMEDIATE');
    try {
      const result = await fn(tx);
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }

  return {
    engine: 'sqlite',
    transaction<T>(fn: (tx: StoreTransaction) => Promise<T>, transactionOptions: TransactionOptions = {}): Promise<T> {
      if (closed) return Promise.reject(new Error('the store is closed'));
      const next = queue.then(() => run(fn, transactionOptions.readOnly === true));
      queue = next.catch(() => undefined);
      return next;
    },
    async close(): Promise<void> {
      closed = true;
      await queue;
      store.close();
    },
  };
}
